// Turns a stored entity into the JSON object Graph sends: `@odata.type` first, then the properties
// (all of them, or the `$select`ed ones), with evolvable enum members hidden from callers that did
// not opt in. Pure.

import type { JsonSchemaNode } from './schema-walk.js'
import { evolvableEnumPaths, type EvolvableEnumPath } from './schema-walk.js'

/** The projection a `$select` asks for; `undefined` means every property. */
export interface Projection {
  project: (row: object) => Record<string, unknown>
}

export interface SerializeOptions {
  /** The request carried `Prefer: include-unknown-enum-members`. */
  includeUnknownEnumMembers: boolean
  select?: Projection | undefined
}

export interface EntitySerializer {
  serialize: (row: object, options: SerializeOptions) => string
  /** Whether the response for these rows would differ with `include-unknown-enum-members`. */
  readonly hasEvolvableEnums: boolean
}

function hideMembers (value: unknown, path: EvolvableEnumPath, depth: number): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const record = value as Record<string, unknown>
  const name = path.path[depth]
  if (name === undefined || !Object.hasOwn(record, name)) return value
  const current = record[name]
  const last = depth === path.path.length - 1
  const replaced = last
    ? (typeof current === 'string' && path.hidden.has(current) ? 'unknownFutureValue' : current)
    : hideMembers(current, path, depth + 1)
  return replaced === current ? value : { ...record, [name]: replaced }
}

/** How much serialized JSON (in characters) the row cache keeps by default: about 11,000 sessions. */
export const DEFAULT_ROW_CACHE_CHARS = 8 * 1024 * 1024

export interface EntitySerializerOptions {
  /** Characters of row JSON kept for rows served whole (no `$select`); 0 turns the cache off. */
  rowCacheChars?: number
  /** The stored row as this version shows it (properties the version lacks left out), if it differs. */
  view?: ((row: object) => object) | undefined
}

/** A row's JSON, once for both audiences when it has no hidden member, else once for each. */
type CachedJson = string | { readonly public: string, readonly full: string }

/**
 * A bounded map from frozen rows to their JSON, in two generations: when the current one holds half
 * the budget it becomes the previous one and the older is dropped, and a hit in the previous one is
 * carried over. So rows served often stay, memory stays under the budget, and nothing is scanned.
 */
export class RowJsonCache {
  private current = new Map<object, CachedJson>()
  private previous = new Map<object, CachedJson>()
  private chars = 0

  constructor (private readonly budget: number) {}

  get (row: object): CachedJson | undefined {
    const hit = this.current.get(row)
    if (hit !== undefined) return hit
    const old = this.previous.get(row)
    if (old !== undefined) this.set(row, old)
    return old
  }

  set (row: object, json: CachedJson): void {
    this.current.set(row, json)
    this.chars += typeof json === 'string' ? json.length : json.public.length + json.full.length
    if (this.chars * 2 > this.budget) {
      this.previous = this.current
      this.current = new Map()
      this.chars = 0
    }
  }

  /** Rows held, both generations. */
  get size (): number {
    return this.current.size + this.previous.size
  }
}

export function createEntitySerializer (qualifiedTypeName: string, schema: JsonSchemaNode, options: EntitySerializerOptions = {}): EntitySerializer {
  const typeAnnotation = `{"@odata.type":${JSON.stringify(`#${qualifiedTypeName}`)}`
  const paths = evolvableEnumPaths(schema)
  const budget = options.rowCacheChars ?? DEFAULT_ROW_CACHE_CHARS
  const cache = budget > 0 ? new RowJsonCache(budget) : undefined
  const view = options.view ?? ((row: object) => row)

  function publicView (value: object): object {
    let result: unknown = value
    for (const path of paths) result = hideMembers(result, path, 0)
    return result as object
  }

  function annotated (value: object): string {
    const json = JSON.stringify(value)
    return json === '{}' ? `${typeAnnotation}}` : `${typeAnnotation},${json.slice(1)}`
  }

  /** The whole row's JSON for both audiences; a frozen row cannot change, so it is cached. */
  function wholeRow (row: object): CachedJson {
    const cached = cache?.get(row)
    if (cached !== undefined) return cached
    const served = view(row)
    const visible = publicView(served)
    const full = annotated(served)
    const json: CachedJson = visible === served ? full : { public: annotated(visible), full }
    if (cache !== undefined && Object.isFrozen(row)) cache.set(row, json)
    return json
  }

  return {
    hasEvolvableEnums: paths.length > 0,
    serialize (row, options) {
      if (options.select === undefined) {
        const json = wholeRow(row)
        return typeof json === 'string' ? json : options.includeUnknownEnumMembers ? json.full : json.public
      }
      const shaped = options.select.project(view(row))
      return annotated(options.includeUnknownEnumMembers ? shaped : publicView(shaped))
    }
  }
}
