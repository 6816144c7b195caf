// The Graph URL space the mock knows, used to answer an unmatched path the way Graph does: the first
// segment Graph would not know → 400 "Resource not found for the segment"; a path Graph knows but
// the mock does not serve → 404 saying so (a mock never answers 5xx by design); a served path with another method → 405. Pure.

export interface ResourceNode {
  /** Methods the mock serves here (empty: Graph has it, the mock does not serve it yet). */
  readonly methods: readonly string[]
  /** Child segments by lower-case name (Graph matches segments case-insensitively). */
  readonly children?: Readonly<Record<string, ResourceNode>>
  /** A key segment (`/{id}`) below an entity set. */
  readonly key?: ResourceNode
}

const notServed: ResourceNode = { methods: [] }

const exchangeRestoreSession: ResourceNode = {
  methods: ['GET'],
  children: {
    granularmailboxrestoreartifacts: notServed,
    mailboxrestoreartifacts: notServed,
    mailboxrestoreartifactsbulkadditionrequests: notServed
  }
}

/** The tree below a version root (`/beta`, `/v1.0`). */
export const graphResourceTree: ResourceNode = {
  methods: [],
  children: {
    solutions: {
      methods: [],
      children: {
        backuprestore: {
          methods: [],
          children: {
            exchangerestoresessions: {
              methods: ['GET'],
              children: { $count: { methods: ['GET'] } },
              key: exchangeRestoreSession
            },
            restoresessions: notServed,
            protectionpolicies: notServed,
            protectionunits: notServed,
            restorepoints: notServed,
            serviceapps: notServed,
            exchangeprotectionpolicies: notServed,
            onedriveforbusinessrestoresessions: notServed,
            sharepointrestoresessions: notServed
          }
        }
      }
    }
  }
}

export type Resolution =
  | { readonly kind: 'unknownSegment', readonly segment: string }
  | { readonly kind: 'notServed', readonly path: string }
  | { readonly kind: 'served', readonly methods: readonly string[] }

function decodeSegment (segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** Walks `segments` (the path below the version root, already split at '/') through the tree. */
export function resolveSegments (segments: readonly string[], tree: ResourceNode = graphResourceTree): Resolution {
  let node = tree
  const walked: string[] = []
  for (const raw of segments) {
    if (raw === '') continue
    const segment = decodeSegment(raw)
    const name = segment.toLowerCase()
    const child = node.children !== undefined && Object.hasOwn(node.children, name) ? node.children[name] : undefined
    const next = child ?? node.key
    if (next === undefined) return { kind: 'unknownSegment', segment }
    walked.push(segment)
    node = next
  }
  if (node.methods.length === 0) return { kind: 'notServed', path: walked.join('/') }
  return { kind: 'served', methods: node.methods }
}
