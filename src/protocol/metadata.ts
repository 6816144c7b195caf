// `GET /{version}/$metadata`: the service's CSDL XML document (OData 4.0, Graph's own form), generated
// from the same model that serves every path: the enums (UnderlyingType, members and values), complex
// and entity types (declared properties, base types, keys, navigation properties with ContainsTarget),
// the bound actions and functions of the contract's paths with their parameters and return types, and
// the entity container with the `solutions` singleton the root hangs from. Built once per version.
// Open like Graph's: no bearer token needed. `$metadata#…` context URLs point into this document.

import type { FastifyInstance } from 'fastify'
import { graphErrors } from '../errors.js'
import { models, type Model, type NavigationProperty, type OperationModel, type PathModel, type PathSegment, type StructuralProperty, type StructuredType } from '../model/index.js'

const NAMESPACE = 'microsoft.graph'

/** The Content-Type Graph sends with `$metadata`. */
export const METADATA_CONTENT_TYPE = 'application/xml;charset=utf-8'

function escape (text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}

function attributes (values: Record<string, string | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escape(value)}"`)
    .join('')
}

function localName (qualified: string): string {
  return qualified.startsWith(`${NAMESPACE}.`) ? qualified.slice(NAMESPACE.length + 1) : qualified
}

function typeRef (type: string, collection: boolean): string {
  return collection ? `Collection(${type})` : type
}

/**
 * Enum member values: the contract lists members in order but gives no values, so they are numbered
 * as Graph numbers them: 0, 1, 2, … for a plain enum; for flags, `none` is 0 and the others take
 * successive bits (1, 2, 4, …).
 */
export function enumMemberValues (members: readonly string[], flags: boolean): number[] {
  if (!flags) return members.map((_member, index) => index)
  let bit = 1
  return members.map((member) => {
    if (member === 'none') return 0
    const value = bit
    bit *= 2
    return value
  })
}

/** The properties a type declares itself (the model lists inherited ones first). */
function declared<T extends { name: string }> (model: Model, type: StructuredType, pick: (t: StructuredType) => readonly T[]): readonly T[] {
  if (type.baseType === undefined || !model.hasType(type.baseType)) return pick(type)
  const inherited = new Set(pick(model.type(type.baseType)).map((member) => member.name))
  return pick(type).filter((member) => !inherited.has(member.name))
}

function propertyXml (property: StructuralProperty): string {
  return `<Property${attributes({ Name: property.name, Type: typeRef(property.type, property.collection), Nullable: property.nullable ? undefined : 'false' })}/>`
}

function navigationXml (nav: NavigationProperty): string {
  return `<NavigationProperty${attributes({ Name: nav.name, Type: typeRef(nav.type, nav.collection), ContainsTarget: nav.contained ? 'true' : undefined })}/>`
}

function structuredXml (model: Model, type: StructuredType): string {
  const element = type.kind === 'entity' ? 'EntityType' : 'ComplexType'
  const parts: string[] = []
  const isKeyRoot = type.kind === 'entity' && (type.baseType === undefined || !model.hasType(type.baseType))
  if (isKeyRoot && type.properties.some((property) => property.name === 'id')) parts.push('<Key><PropertyRef Name="id"/></Key>')
  for (const property of declared(model, type, (t) => t.properties)) parts.push(propertyXml(property))
  for (const nav of declared(model, type, (t) => t.navigationProperties)) parts.push(navigationXml(nav))
  const open = `<${element}${attributes({ Name: localName(type.name), BaseType: type.baseType })}`
  return parts.length === 0 ? `${open}/>` : `${open}>${parts.join('')}</${element}>`
}

interface BoundOperation {
  readonly kind: 'action' | 'function'
  readonly name: string
  readonly bindingType: string
  readonly parameters: ReadonlyArray<{ name: string, type: string, nullable: boolean }>
  readonly returnType: string | undefined
}

/** The binding parameter's type of an operation segment: what the segment before it addresses. */
function bindingTypeOf (segments: readonly PathSegment[], index: number): string | undefined {
  const previous = segments[index - 1]
  if (previous === undefined) return undefined
  switch (previous.kind) {
    case 'root':
    case 'key':
      return previous.type
    case 'navigation':
    case 'cast':
      return typeRef(previous.type, previous.collection)
    case 'count':
    case 'action':
    case 'function':
      return undefined
  }
}

function operationOf (path: PathModel): BoundOperation | undefined {
  const index = path.segments.findIndex((segment) => segment.kind === 'action' || segment.kind === 'function')
  const segment = path.segments[index]
  if (segment === undefined || (segment.kind !== 'action' && segment.kind !== 'function')) return undefined
  const bindingType = bindingTypeOf(path.segments, index)
  const operation: OperationModel | undefined = path.operations[0]
  if (bindingType === undefined || operation === undefined) return undefined
  const given = operation.parameters.map((p) => ({ name: p.name, type: typeRef(p.type, p.collection), nullable: p.nullable }))
  // A function's parameters are named in its path; the contract types them as strings there.
  const parameters = segment.kind === 'function'
    ? segment.parameters.map((name) => given.find((p) => p.name === name) ?? { name, type: 'Edm.String', nullable: true })
    : given
  const returnType = operation.responseType === 'count' ? 'Edm.Int64' : operation.responseType
  return { kind: segment.kind, name: segment.name.replace(/^microsoft\.graph\./, ''), bindingType, parameters, returnType }
}

function operationXml (operation: BoundOperation): string {
  const element = operation.kind === 'action' ? 'Action' : 'Function'
  const parts = [`<Parameter${attributes({ Name: 'bindingParameter', Type: operation.bindingType })}/>`]
  for (const parameter of operation.parameters) {
    parts.push(`<Parameter${attributes({ Name: parameter.name, Type: parameter.type, Nullable: parameter.nullable ? undefined : 'false' })}/>`)
  }
  if (operation.returnType !== undefined) parts.push(`<ReturnType${attributes({ Type: operation.returnType })}/>`)
  return `<${element}${attributes({ Name: operation.name, IsBound: 'true', IsComposable: operation.kind === 'function' ? 'true' : undefined })}>${parts.join('')}</${element}>`
}

/** The bound operations of the model's paths, each (name, binding type) once. */
export function boundOperations (model: Model): BoundOperation[] {
  const seen = new Set<string>()
  const found: BoundOperation[] = []
  for (const path of model.paths) {
    const operation = operationOf(path)
    if (operation === undefined) continue
    const key = `${operation.kind} ${operation.name} ${operation.bindingType}`
    if (seen.has(key)) continue
    seen.add(key)
    found.push(operation)
  }
  return found
}

/** The types the root's path passes through (`solutions` → `backupRestore`), with the singleton they start at. */
function rootChain (model: Model): { singleton: string, singletonType: string, types: string[] } {
  const [first = 'solutions', ...rest] = model.root.path.split('/')
  const types: string[] = []
  let typeName = `${NAMESPACE}.${first}Root`
  const singletonType = typeName
  rest.forEach((segment, index) => {
    const last = index === rest.length - 1
    const target = last ? model.root.type : `${NAMESPACE}.${segment}Root`
    if (!model.hasType(typeName)) types.push(`<EntityType${attributes({ Name: localName(typeName) })}>${navigationXml({ name: segment, type: target, collection: false, contained: true })}</EntityType>`)
    typeName = target
  })
  return { singleton: first, singletonType, types }
}

/** The whole CSDL XML document of a version's model. */
export function metadataDocument (model: Model): string {
  const data = model.data
  const parts: string[] = []
  for (const enumType of Object.values(data.enums)) {
    const values = enumMemberValues(enumType.members, enumType.flags)
    const members = enumType.members.map((member, index) => `<Member${attributes({ Name: member, Value: String(values[index] ?? index) })}/>`).join('')
    parts.push(`<EnumType${attributes({ Name: localName(enumType.name), UnderlyingType: 'Edm.Int32', IsFlags: enumType.flags ? 'true' : undefined })}>${members}</EnumType>`)
  }
  const types = Object.values(data.types)
  for (const type of types.filter((t) => t.kind === 'complex')) parts.push(structuredXml(model, type))
  for (const type of types.filter((t) => t.kind === 'entity')) parts.push(structuredXml(model, type))
  const chain = rootChain(model)
  parts.push(...chain.types)
  for (const operation of boundOperations(model)) parts.push(operationXml(operation))
  parts.push(`<EntityContainer Name="GraphService"><Singleton${attributes({ Name: chain.singleton, Type: chain.singletonType })}/></EntityContainer>`)
  return '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>' +
    `<Schema Namespace="${NAMESPACE}" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">${parts.join('')}</Schema>` +
    '</edmx:DataServices></edmx:Edmx>'
}

export interface MetadataRoutesOptions {
  versions: readonly (keyof typeof models)[]
}

/** `GET /{version}/$metadata` for each version, on the root (no bearer check, as on Graph). */
export async function metadataRoutes (app: FastifyInstance, options: MetadataRoutesOptions): Promise<void> {
  for (const version of options.versions) {
    const document = Buffer.from(metadataDocument(models[version]))
    const config = { produces: ['application/xml', 'text/xml'] }
    app.get(`/${version}/$metadata`, { schema: { hide: true }, config }, async (_request, reply) => await reply.type(METADATA_CONTENT_TYPE).send(document))
    app.route({
      method: ['POST', 'PUT', 'PATCH', 'DELETE'],
      url: `/${version}/$metadata`,
      schema: { hide: true },
      handler: async () => { throw graphErrors.methodNotAllowed(['GET', 'HEAD', 'OPTIONS']) }
    })
    app.options(`/${version}/$metadata`, { schema: { hide: true } }, async (_request, reply) => await reply.code(204).header('allow', 'GET, HEAD, OPTIONS').send())
  }
}
