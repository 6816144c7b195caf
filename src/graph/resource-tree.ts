// The Graph URL space below a version root, built from the model, used to answer an unmatched path
// the way Graph does: the first segment Graph would not know → 400 "Resource not found for the
// segment"; a path Graph has but the mock does not serve (another Graph resource such as /me or
// /users, or an action of this API) → 404 saying so (a mock never answers 5xx by design); a served
// path with another method → 405 with `Allow`. Pure.

import type { Model } from '../model/index.js'

export interface ResourceNode {
  /** Methods the mock serves here (empty: Graph has it, the mock does not serve it yet). */
  readonly methods: string[]
  /** Child segments by lower-case name (Graph matches segments case-insensitively). */
  readonly children: Map<string, ResourceNode>
  /** A key segment (`/{id}`) below a collection. */
  key?: ResourceNode
  /** Anything below is Graph's, and not served (another Graph resource). */
  readonly opaque?: boolean
}

/**
 * Graph's other top-level resources (v1.0 and beta), and the other children of /solutions: the mock
 * serves none of them, but they are not typos, so they get the not-served 404 rather than the
 * unknown-segment 400.
 */
const graphTopLevel = [
  '$batch', '$metadata', 'admin', 'agreementAcceptances', 'agreements', 'appCatalogs', 'applications',
  'applicationTemplates', 'auditLogs', 'authenticationMethodConfigurations', 'authenticationMethodsPolicy',
  'certificateBasedAuthConfiguration', 'chats', 'communications', 'compliance', 'connections', 'contacts',
  'contracts', 'copilot', 'dataPolicyOperations', 'deviceAppManagement', 'deviceManagement', 'devices',
  'directory', 'directoryObjects', 'directoryRoles', 'directoryRoleTemplates', 'domainDnsRecords', 'domains',
  'drives', 'education', 'employeeExperience', 'external', 'filterOperators', 'functions', 'groupLifecyclePolicies',
  'groups', 'groupSettings', 'groupSettingTemplates', 'identity', 'identityGovernance', 'identityProtection',
  'identityProviders', 'informationProtection', 'invitations', 'me', 'oauth2PermissionGrants', 'organization',
  'permissionGrants', 'places', 'planner', 'policies', 'print', 'privacy', 'reports', 'roleManagement',
  'schemaExtensions', 'scopedRoleMemberships', 'search', 'security', 'servicePrincipals', 'shares', 'sites',
  'storage', 'subscribedSkus', 'subscriptions', 'teams', 'teamsTemplates', 'teamwork', 'tenantRelationships',
  'users', 'workbooks', 'appRoleAssignments', 'bookingBusinesses', 'bookingCurrencies', 'financials',
  'networkAccess', 'onPremisesPublishingProfiles', 'programs', 'solutions'
]

const solutionsChildren = ['bookingBusinesses', 'bookingCurrencies', 'virtualEvents', 'businessScenarios', 'cloudPcs']

function node (opaque = false): ResourceNode {
  return { methods: [], children: new Map(), ...(opaque ? { opaque } : {}) }
}

function child (parent: ResourceNode, name: string): ResourceNode {
  const key = name.toLowerCase()
  let next = parent.children.get(key)
  if (next === undefined) {
    next = node()
    parent.children.set(key, next)
  }
  return next
}

/** The tree below a version root, from the model's paths (`served` says which paths have routes). */
export function resourceTreeOf (model: Model, served: (path: string) => readonly string[]): ResourceNode {
  const tree = node()
  for (const name of graphTopLevel) tree.children.set(name.toLowerCase(), node(true))
  const solutions = node()
  tree.children.set('solutions', solutions)
  for (const name of solutionsChildren) solutions.children.set(name.toLowerCase(), node(true))
  for (const path of model.readPaths()) {
    let current = tree
    for (const part of path.path.split('/').filter((p) => p !== '')) {
      if (/^\{.+\}$/.test(part)) {
        current.key ??= node()
        current = current.key
      } else {
        current = child(current, segmentName(part))
      }
    }
    for (const method of served(path.path)) if (!current.methods.includes(method)) current.methods.push(method)
  }
  return tree
}

export type Resolution =
  | { readonly kind: 'unknownSegment', readonly segment: string }
  | { readonly kind: 'notServed', readonly path: string }
  | { readonly kind: 'served', readonly methods: readonly string[] }

/**
 * A segment's name in the tree: a function call (`microsoft.graph.browse(nextFetchToken='…')`) is a
 * node of its own, apart from the action of the same name (`microsoft.graph.browse`), since each
 * answers its own method.
 */
function segmentName (segment: string): string {
  return segment.toLowerCase().replace(/\(.*\)$/, '()')
}

function decodeSegment (segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/** Walks `segments` (the path below the version root, already split at '/') through the tree. */
export function resolveSegments (segments: readonly string[], tree: ResourceNode): Resolution {
  let current = tree
  const walked: string[] = []
  for (const [index, raw] of segments.entries()) {
    // An empty segment (`/beta//solutions`, or a key with no set before it, `…/backupRestore/('a')`)
    // is one the OData path parser cannot resolve; only a trailing slash is tolerated.
    if (raw === '') {
      if (index === segments.length - 1) continue
      return { kind: 'unknownSegment', segment: '' }
    }
    const segment = decodeSegment(raw)
    walked.push(segment)
    if (current.opaque === true) continue
    // Parentheses are a function call's only: `sessions('id')` was made `sessions/id` before routing,
    // so `sessions(1)` or `microsoft.graph.enable()` names nothing, as on Graph.
    const next = current.children.get(segmentName(segment)) ?? current.key
    if (next === undefined) return { kind: 'unknownSegment', segment }
    current = next
  }
  if (current.methods.length === 0) return { kind: 'notServed', path: walked.join('/') }
  return { kind: 'served', methods: current.methods }
}
