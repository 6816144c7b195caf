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

export function createEntitySerializer (qualifiedTypeName: string, schema: JsonSchemaNode): EntitySerializer {
  const typeAnnotation = `{"@odata.type":${JSON.stringify(`#${qualifiedTypeName}`)}`
  const paths = evolvableEnumPaths(schema)

  function publicView (value: object): object {
    let result: unknown = value
    for (const path of paths) result = hideMembers(result, path, 0)
    return result as object
  }

  return {
    hasEvolvableEnums: paths.length > 0,
    serialize (row, options) {
      const shaped = options.select === undefined ? row : options.select.project(row)
      const visible = options.includeUnknownEnumMembers ? shaped : publicView(shaped)
      const json = JSON.stringify(visible)
      return json === '{}' ? `${typeAnnotation}}` : `${typeAnnotation},${json.slice(1)}`
    }
  }
}
