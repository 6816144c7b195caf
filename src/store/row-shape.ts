// Turns a fixture record into a stored row: every property of its type present (missing ones filled
// with their default), properties in a fixed order, and every object and array deep-frozen. Compiled
// once per schema into plain closures, so a row costs one pass.
//
// The order: an entity's own properties as property-order.ts lists them for its type (else its
// schema's order); inside complex values always the schema's order, which is the contract's, so that
// a full response and a `$select`ed one (src/odata/select.ts) write `createdBy.user` alike.
//
// Defaults for a missing property: `null` when the schema allows null (most structural properties of
// this API); `[]` for a non-nullable collection (publicError.details, publicInnerError.details);
// `false` and `0` for a non-nullable boolean or number (a policy's isEnabled); a non-nullable string
// stays absent. Required properties are never filled, so validation still reports them.
//
// Shaping runs *before* validation and never hides a problem from it: a value of the wrong type is
// passed through untouched, and a property the schema does not declare is kept (after the declared
// ones) so that validation rejects it.

import { propertyOrder } from './property-order.js'

export type Shaper = (value: unknown) => unknown

const EMPTY_ARRAY: readonly never[] = Object.freeze([])

/** Builds the shaper for a JSON Schema node (the schemas in /schemas: objects, arrays, scalars). */
export function compileShaper (schema: unknown, pool: StringPool = new StringPool(STRING_POOL_SIZE)): Shaper {
  return compileNode(schema, pool, true)
}

/** `entity`: the schema is the entity's own (the root), not a complex value inside it. */
function compileNode (schema: unknown, pool: StringPool, entity: boolean): Shaper {
  if (!isRecord(schema)) return passThrough
  const types = schemaTypes(schema)
  if (types.includes('object') && isRecord(schema['properties'])) return compileObjectShaper(schema, schema['properties'], pool, entity)
  if (types.includes('array') && schema['items'] !== undefined) return compileArrayShaper(schema['items'], pool)
  if (types.includes('string')) return (value) => typeof value === 'string' ? pool.intern(value) : value
  return passThrough
}

/** Distinct strings a shaper remembers; see StringPool. */
const STRING_POOL_SIZE = 4096

/**
 * Equal strings of the rows share one copy: JSON.parse gives every string value its own, and the
 * same texts recur (enum members, an identity in both createdBy and lastModifiedBy, a completion
 * time that is also the last modification, error messages). Remembers recent strings only, and
 * starts afresh when full, so it costs a bounded map whatever the number of rows.
 */
export class StringPool {
  private readonly strings = new Map<string, string>()

  constructor (private readonly limit: number) {}

  intern (value: string): string {
    const known = this.strings.get(value)
    if (known !== undefined) return known
    if (this.strings.size >= this.limit) this.strings.clear()
    this.strings.set(value, value)
    return value
  }
}

interface PropertyPlan {
  readonly name: string
  readonly shape: Shaper
  /** What a missing property becomes; `undefined` leaves it missing (required properties). */
  readonly fallback: unknown
}

function compileObjectShaper (schema: Readonly<Record<string, unknown>>, properties: Readonly<Record<string, unknown>>, pool: StringPool, entity: boolean): Shaper {
  const required = new Set(stringArray(schema['required']))
  const plans: PropertyPlan[] = (entity ? orderedNames(schema, properties) : Object.keys(properties)).map((name) => ({
    name,
    shape: compileNode(properties[name], pool, false),
    fallback: required.has(name) ? undefined : defaultFor(properties[name])
  }))
  const declared = new Set(plans.map((plan) => plan.name))

  return function shapeObject (value) {
    if (!isRecord(value) || Array.isArray(value)) return value
    const row: Record<string, unknown> = {}
    let present = 0
    for (const plan of plans) {
      const property = value[plan.name]
      if (property !== undefined) {
        row[plan.name] = plan.shape(property)
        present++
      } else if (plan.fallback !== undefined) {
        row[plan.name] = plan.fallback
      }
    }
    // Undeclared properties are kept so that validation names them; defineProperty, because a JSON
    // key "__proto__" must stay a plain property.
    if (Object.keys(value).length !== present) {
      for (const [name, property] of Object.entries(value)) {
        if (!declared.has(name)) Object.defineProperty(row, name, { value: property, enumerable: true, writable: true, configurable: true })
      }
    }
    return Object.freeze(row)
  }
}

function compileArrayShaper (items: unknown, pool: StringPool): Shaper {
  const shapeItem = compileNode(items, pool, false)
  return function shapeArray (value) {
    if (!Array.isArray(value)) return value
    return Object.freeze(value.map((item: unknown) => shapeItem(item)))
  }
}

function orderedNames (schema: Readonly<Record<string, unknown>>, properties: Readonly<Record<string, unknown>>): string[] {
  const declared = Object.keys(properties)
  const title = schema['title']
  const order = typeof title === 'string' ? propertyOrder[title] : undefined
  if (order === undefined) return declared
  const missing = declared.filter((name) => !order.includes(name))
  const extra = order.filter((name) => !declared.includes(name))
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`property-order.ts: the order for ${String(title)} must list exactly its schema's properties (missing: ${missing.join(', ') || 'none'}; extra: ${extra.join(', ') || 'none'})`)
  }
  return [...order]
}

function defaultFor (schema: unknown): unknown {
  if (!isRecord(schema)) return null
  const types = schemaTypes(schema)
  if (types.includes('null')) return null
  // A property Graph never sends as null gets its type's default (CSDL's Nullable="false" values).
  if (types.includes('array')) return EMPTY_ARRAY
  if (types.includes('boolean')) return false
  if (types.includes('integer') || types.includes('number')) return 0
  if (types.includes('string')) return undefined
  return null
}

function passThrough (value: unknown): unknown {
  return value
}

function schemaTypes (schema: Readonly<Record<string, unknown>>): readonly string[] {
  const type = schema['type']
  if (typeof type === 'string') return [type]
  return stringArray(type)
}

function stringArray (value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

function isRecord (value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null
}
