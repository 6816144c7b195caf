// The project's schemas must agree with Microsoft's published contract on property names, types,
// nullability and enum members. Each side is reduced to the same shape, then compared whole.
// Rules for reading the contract as Graph sends it: a `$ref` property is nullable (CSDL's default;
// the OpenAPI conversion cannot say so beside a `$ref`), `nullable: true` is nullable, anything
// else is not; `number` + `int32` is Edm.Int32; navigation properties are not structural.

import t from 'tap'
import * as schemas from '../../schemas/index.js'
import { contract, resolveRef, type OpenApiSchema } from './contract.js'

type Shape = string

function contractProperty (property: OpenApiSchema): Shape {
  if (property.$ref !== undefined) {
    const target = resolveRef(property.$ref)
    return `${target.enum !== undefined ? 'enum' : 'complex'} ${target.title ?? '?'} nullable`
  }
  const nullable = property.nullable === true ? ' nullable' : ''
  if (property.type === 'array' && property.items !== undefined) return `collection(${contractProperty(property.items).replace(' nullable', '')})`
  if (property.type === 'string' && property.format === 'date-time') return `dateTimeOffset pattern=${property.pattern ?? ''}${nullable}`
  if (property.type === 'number' && property.format === 'int32') return `int32${nullable}`
  return `${property.type ?? '?'}${nullable}`
}

function contractProperties (name: string): Record<string, Shape> {
  const result: Record<string, Shape> = {}
  const visit = (schema: OpenApiSchema): void => {
    if (schema.$ref !== undefined) visit(resolveRef(schema.$ref))
    for (const part of schema.allOf ?? []) visit(part)
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      if (property['x-ms-navigationProperty'] !== true) result[key] = contractProperty(property)
    }
  }
  visit(resolveRef(`#/components/schemas/microsoft.graph.${name}`))
  return result
}

interface ProjectSchema {
  type?: string | readonly string[]
  format?: string
  pattern?: string
  title?: string
  enum?: readonly unknown[]
  items?: ProjectSchema
  properties?: Record<string, ProjectSchema>
}

function projectProperty (property: ProjectSchema): Shape {
  const types = typeof property.type === 'string' ? [property.type] : [...(property.type ?? [])]
  const nullable = types.includes('null') ? ' nullable' : ''
  const type = types.find((candidate) => candidate !== 'null')
  if (property.enum !== undefined) return `enum ${property.title ?? '?'}${nullable}`
  if (type === 'object') return `complex ${property.title ?? '?'}${nullable}`
  if (type === 'array' && property.items !== undefined) return `collection(${projectProperty(property.items)})`
  if (type === 'string' && property.format === 'date-time') return `dateTimeOffset pattern=${property.pattern ?? ''}${nullable}`
  if (type === 'integer') return `int32${nullable}`
  return `${type ?? '?'}${nullable}`
}

function projectProperties (schema: ProjectSchema): Record<string, Shape> {
  const result: Record<string, Shape> = {}
  for (const [key, property] of Object.entries(schema.properties ?? {})) result[key] = projectProperty(property)
  return result
}

const complexAndEntityTypes: Array<[string, ProjectSchema]> = [
  ['entity', schemas.entitySchema],
  ['restoreSessionBase', schemas.restoreSessionBaseSchema],
  ['exchangeRestoreSession', schemas.exchangeRestoreSessionSchema],
  ['identitySet', schemas.identitySetSchema],
  ['identity', schemas.identitySchema],
  ['publicError', schemas.publicErrorSchema],
  ['publicErrorDetail', schemas.publicErrorDetailSchema],
  ['publicInnerError', schemas.publicInnerErrorSchema],
  ['restoreSessionArtifactCount', schemas.restoreSessionArtifactCountSchema]
]

t.test('every complex and entity type has the contract\'s properties, types and nullability', async (t) => {
  for (const [name, schema] of complexAndEntityTypes) {
    t.equal(schema.title, name, `${name}: title`)
    t.strictSame(projectProperties(schema), contractProperties(name), `${name}: properties`)
  }
})

t.test('the enums have the contract\'s members, in its order', async (t) => {
  const enums: Array<[string, ProjectSchema]> = [
    ['restoreSessionStatus', schemas.restoreSessionStatusSchema],
    ['restoreJobType', schemas.restoreJobTypeSchema]
  ]
  for (const [name, schema] of enums) {
    const published = resolveRef(`#/components/schemas/microsoft.graph.${name}`)
    t.equal(schema.title, name, `${name}: title`)
    t.strictSame(schema.enum, published.enum, `${name}: members`)
  }
})

t.test('enum properties carry the same members as their enum type', async (t) => {
  const base = schemas.restoreSessionBaseSchema.properties
  t.strictSame(base.status.enum, [...schemas.restoreSessionStatusMembers, null])
  t.strictSame(base.restoreJobType.enum, [...schemas.restoreJobTypeMembers, null])
})

t.test('the comparison itself notices drift', async (t) => {
  const drifted = { ...schemas.identitySchema, properties: { ...schemas.identitySchema.properties, displayName: { type: 'string' } } }
  t.notSame(projectProperties(drifted), contractProperties('identity'), 'a property that lost its nullability differs')
  t.ok(Object.keys(contract().components.schemas).length > 0, 'the contract was read')
})
