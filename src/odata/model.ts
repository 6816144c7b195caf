// The entity model the binder checks names and types against, read from an entity's JSON Schema, so
// a new entity set is data, not code. Names resolve case-insensitively (an exact match wins), and all
// lookups go through Maps, so `__proto__`, `constructor` and friends are simply unknown properties.
import { knownNavigationProperties } from './navigation.js'

export type PrimitiveTypeName =
  | 'Edm.String' | 'Edm.Boolean' | 'Edm.Int32' | 'Edm.Int64' | 'Edm.Decimal' | 'Edm.Double'
  | 'Edm.DateTimeOffset' | 'Edm.Date' | 'Edm.TimeOfDay' | 'Edm.Guid' | 'Edm.Duration'

export interface EnumType {
  readonly kind: 'enum'
  readonly name: string
  readonly members: readonly string[]
  /** member → position (its value) */
  readonly positions: ReadonlyMap<string, number>
  /** Members declared after `unknownFutureValue` (evolvable members). */
  readonly evolvable: readonly string[]
}

export interface ComplexType {
  readonly kind: 'complex'
  readonly name: string
  readonly properties: ReadonlyMap<string, PropertyModel>
}

export type ValueType =
  | { readonly kind: 'primitive', readonly name: PrimitiveTypeName }
  | EnumType
  | ComplexType
  | { readonly kind: 'collection', readonly element: ValueType }

export interface PropertyModel {
  readonly name: string
  readonly type: ValueType
}

export interface EntityModel extends ComplexType {
  /** Enum types by qualified name (`microsoft.graph.restoreSessionStatus`). */
  readonly enumTypes: ReadonlyMap<string, EnumType>
  /** Navigation properties declared on the type but not served (they cannot be expanded). */
  readonly navigationProperties: readonly string[]
  /** The key property used to break ties in ordering. */
  readonly keyProperty: string
  /** For `isof(…)`: which type names exist, and whether a row is of a type (or derives from it). */
  readonly isOf?: TypeTest | undefined
}

export interface TypeTest {
  readonly knows: (typeName: string) => boolean
  readonly test: (row: object, typeName: string) => boolean
}

export interface EntityModelOptions {
  readonly namespace?: string
  readonly navigationProperties?: readonly string[]
  readonly keyProperty?: string
  readonly isOf?: TypeTest
}

type SchemaNode = Readonly<Record<string, unknown>>

/** Reads an entity's JSON Schema (`properties`, `type`, `format`, `enum` + `title`, nested `title`d objects, arrays). */
export function entityModelFromSchema (qualifiedTypeName: string, schema: object, options: EntityModelOptions = {}): EntityModel {
  const namespace = options.namespace ?? qualifiedNamespace(qualifiedTypeName)
  const enumTypes = new Map<string, EnumType>()
  const root = complexFromSchema(qualifiedTypeName, schema as SchemaNode, namespace, enumTypes)
  return {
    ...root,
    enumTypes,
    navigationProperties: options.navigationProperties ?? knownNavigationProperties.get(qualifiedTypeName) ?? [],
    keyProperty: options.keyProperty ?? 'id',
    isOf: options.isOf
  }
}

function qualifiedNamespace (qualifiedTypeName: string): string {
  const dot = qualifiedTypeName.lastIndexOf('.')
  return dot < 0 ? 'microsoft.graph' : qualifiedTypeName.slice(0, dot)
}

function complexFromSchema (name: string, schema: SchemaNode, namespace: string, enums: Map<string, EnumType>): ComplexType {
  const properties = new Map<string, PropertyModel>()
  const declared = schema.properties
  if (isNode(declared)) {
    for (const [propertyName, propertySchema] of Object.entries(declared)) {
      if (!isNode(propertySchema)) continue
      properties.set(propertyName, { name: propertyName, type: typeFromSchema(propertyName, propertySchema, namespace, enums) })
    }
  }
  return { kind: 'complex', name, properties }
}

function typeFromSchema (propertyName: string, schema: SchemaNode, namespace: string, enums: Map<string, EnumType>): ValueType {
  const types = schemaTypes(schema)
  const title = typeof schema.title === 'string' ? schema.title : undefined
  if (Array.isArray(schema.enum)) {
    const members = schema.enum.filter((member): member is string => typeof member === 'string')
    const enumName = `${namespace}.${title ?? propertyName}`
    const existing = enums.get(enumName)
    if (existing !== undefined) return existing
    const enumType = enumFromMembers(enumName, members)
    enums.set(enumName, enumType)
    return enumType
  }
  if (types.includes('array')) {
    const items = isNode(schema.items) ? schema.items : {}
    return { kind: 'collection', element: typeFromSchema(propertyName, items, namespace, enums) }
  }
  if (types.includes('object')) {
    return complexFromSchema(`${namespace}.${title ?? propertyName}`, schema, namespace, enums)
  }
  return { kind: 'primitive', name: primitiveFromSchema(types, schema) }
}

function primitiveFromSchema (types: readonly string[], schema: SchemaNode): PrimitiveTypeName {
  if (types.includes('integer')) return schema.format === 'int64' ? 'Edm.Int64' : 'Edm.Int32'
  if (types.includes('number')) return schema.format === 'decimal' ? 'Edm.Decimal' : 'Edm.Double'
  if (types.includes('boolean')) return 'Edm.Boolean'
  switch (schema.format) {
    case 'date-time': return 'Edm.DateTimeOffset'
    case 'date': return 'Edm.Date'
    case 'time': return 'Edm.TimeOfDay'
    case 'uuid': return 'Edm.Guid'
    case 'duration': return 'Edm.Duration'
    default: return 'Edm.String'
  }
}

function enumFromMembers (name: string, members: readonly string[]): EnumType {
  const positions = new Map(members.map((member, index) => [member, index] as const))
  const sentinel = members.indexOf('unknownFutureValue')
  return { kind: 'enum', name, members, positions, evolvable: sentinel < 0 ? [] : members.slice(sentinel + 1) }
}

function schemaTypes (schema: SchemaNode): readonly string[] {
  const type = schema.type
  if (typeof type === 'string') return [type]
  if (Array.isArray(type)) return type.filter((t): t is string => typeof t === 'string')
  return []
}

function isNode (value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Resolves a property by name: the exact spelling first, then case-insensitively. */
export function findProperty (type: ComplexType, name: string): PropertyModel | undefined {
  const exact = type.properties.get(name)
  if (exact !== undefined) return exact
  const lower = name.toLowerCase()
  for (const property of type.properties.values()) {
    if (property.name.toLowerCase() === lower) return property
  }
  return undefined
}

/** The name a type has in messages: `Edm.String`, `microsoft.graph.identitySet`, `Collection(…)`. */
export function typeDisplayName (type: ValueType): string {
  switch (type.kind) {
    case 'primitive': return type.name
    case 'enum': return type.name
    case 'complex': return type.name
    case 'collection': return `Collection(${typeDisplayName(type.element)})`
  }
}

/**
 * Per enum property path (`status`, `createdBy/…`), the members declared after `unknownFutureValue`.
 * Graph sends those only to callers that opt in; the serializer maps them to `unknownFutureValue`.
 */
export function evolvableEnumMembers (model: ComplexType): ReadonlyMap<string, readonly string[]> {
  const result = new Map<string, readonly string[]>()
  collectEvolvable(model, '', result, 0)
  return result
}

function collectEvolvable (type: ComplexType, prefix: string, out: Map<string, readonly string[]>, depth: number): void {
  if (depth > 16) return
  for (const property of type.properties.values()) {
    const path = prefix + property.name
    let valueType = property.type
    while (valueType.kind === 'collection') valueType = valueType.element
    if (valueType.kind === 'enum' && valueType.evolvable.length > 0) out.set(path, valueType.evolvable)
    if (valueType.kind === 'complex') collectEvolvable(valueType, `${path}/`, out, depth + 1)
  }
}
