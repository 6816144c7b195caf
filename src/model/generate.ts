// `npm run contract`: reads Microsoft's published OpenAPI documents for /solutions/backupRestore
// (../shared/contract/BackupRestore.{beta,v1.0}.yml) and writes, per version, the project's JSON
// Schemas (schemas/<version>.ts, with FromSchema types for beta) and the resource model
// (src/model/generated/<version>.ts). The output is committed; test/model/generated.test.ts runs this
// again and fails on any difference. Development only: nothing at run time imports this file. The
// few operations the docs publish and the documents lack are added from a list here (DOCUMENTED_WORKLOADS).

import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import type {
  EnumTypeModel, GraphVersion, NavigationProperty, OperationModel, OperationParameter, PathModel,
  PathSegment, ServiceModel, StructuralProperty, StructuredType
} from './types.js'

const NAMESPACE = 'microsoft.graph.'
const ROOT_PATH = '/solutions/backupRestore'

interface OpenApiSchema {
  $ref?: string
  allOf?: OpenApiSchema[]
  anyOf?: OpenApiSchema[]
  type?: string
  format?: string
  pattern?: string
  title?: string
  description?: string
  enum?: unknown[]
  items?: OpenApiSchema
  properties?: Record<string, OpenApiSchema>
  nullable?: boolean
  readOnly?: boolean
  minimum?: number
  maximum?: number
  'x-ms-navigationProperty'?: boolean
  'x-ms-enum-flags'?: { isFlags?: boolean }
}

interface OpenApiOperation {
  operationId?: string
  summary?: string
  description?: string
  externalDocs?: { url?: string }
  'x-ms-docs-operation-type'?: string
  requestBody?: { content?: Record<string, { schema?: OpenApiSchema }> }
  responses?: Record<string, { $ref?: string, content?: Record<string, { schema?: OpenApiSchema }> }>
  parameters?: Array<{ name?: string, in?: string, schema?: OpenApiSchema, $ref?: string }>
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>
  components: {
    schemas: Record<string, OpenApiSchema>
    responses: Record<string, { content?: Record<string, { schema?: OpenApiSchema }> }>
  }
}

export interface ContractSource {
  version: GraphVersion
  file: string
  text: string
}

export interface GeneratedFiles {
  /** Project-relative path → contents. */
  readonly [path: string]: string
}

/** Where the contract lives relative to the project root. */
export const CONTRACT_DIR = join('..', 'shared', 'contract')
export const CONTRACT_FILES: Record<GraphVersion, string> = { beta: 'BackupRestore.beta.yml', 'v1.0': 'BackupRestore.v1.0.yml' }

function fail (message: string): never {
  throw new Error(`contract generator: ${message}`)
}

function refName (ref: string): string {
  const prefix = '#/components/schemas/'
  if (!ref.startsWith(prefix)) fail(`unexpected $ref ${ref}`)
  return ref.slice(prefix.length)
}

function isStructuredName (name: string): boolean {
  return name.startsWith(NAMESPACE) && !name.endsWith('CollectionResponse') && !name.startsWith(`${NAMESPACE}ODataErrors.`)
}

/** The part of a schema declared by the type itself (the second member of `allOf`, or the schema). */
function ownPart (schema: OpenApiSchema): OpenApiSchema {
  if (schema.allOf === undefined) return schema
  return schema.allOf.find((part) => part.$ref === undefined) ?? {}
}

function baseOf (schema: OpenApiSchema): string | undefined {
  const ref = schema.allOf?.find((part) => part.$ref !== undefined)?.$ref
  return ref === undefined ? undefined : refName(ref)
}

const STRING_FORMATS: Readonly<Record<string, string>> = {
  '': 'Edm.String',
  'date-time': 'Edm.DateTimeOffset',
  date: 'Edm.Date',
  time: 'Edm.TimeOfDay',
  duration: 'Edm.Duration',
  uuid: 'Edm.Guid',
  base64url: 'Edm.Binary'
}

const NUMBER_FORMATS: Readonly<Record<string, string>> = { int32: 'Edm.Int32', int64: 'Edm.Int64', double: 'Edm.Double', decimal: 'Edm.Decimal' }

function edmOf (schema: OpenApiSchema, where: string): string {
  const format = schema.format ?? ''
  if (schema.type === 'boolean') return 'Edm.Boolean'
  const table = schema.type === 'string' ? STRING_FORMATS : schema.type === 'number' || schema.type === 'integer' ? NUMBER_FORMATS : undefined
  if (table === undefined) return fail(`${where}: unsupported schema ${JSON.stringify(schema)}`)
  return (Object.hasOwn(table, format) ? table[format] : undefined) ?? fail(`${where}: unknown ${schema.type ?? ''} format '${format}'`)
}

class ContractReader {
  readonly schemas: Record<string, OpenApiSchema>
  readonly structured = new Map<string, { kind: 'entity' | 'complex', base: string | undefined, schema: OpenApiSchema }>()
  readonly enums = new Map<string, EnumTypeModel>()

  constructor (readonly doc: OpenApiDocument) {
    this.schemas = doc.components.schemas
    for (const [name, schema] of Object.entries(this.schemas)) {
      if (!isStructuredName(name)) continue
      if (schema.enum !== undefined) {
        const members = schema.enum.filter((member): member is string => typeof member === 'string')
        const sentinel = members.indexOf('unknownFutureValue')
        this.enums.set(name, {
          kind: 'enum',
          name,
          members,
          evolvable: sentinel < 0 ? [] : members.slice(sentinel + 1),
          flags: schema['x-ms-enum-flags']?.isFlags === true
        })
      } else if (schema.type === 'object' || schema.allOf !== undefined) {
        this.structured.set(name, { kind: 'complex', base: baseOf(schema), schema })
      }
    }
    for (const [name, entry] of this.structured) {
      if (this.chain(name).includes(`${NAMESPACE}entity`)) entry.kind = 'entity'
    }
  }

  /** The type and its ancestors, the type first. */
  chain (name: string): string[] {
    const result: string[] = []
    let current: string | undefined = name
    while (current !== undefined) {
      if (result.includes(current)) fail(`inheritance cycle at ${current}`)
      result.push(current)
      current = this.structured.get(current)?.base
    }
    return result
  }

  isEntity (name: string): boolean {
    return this.structured.get(name)?.kind === 'entity'
  }

  /** A property's target type name if it is a `$ref` (or an array of them). */
  refTarget (schema: OpenApiSchema): string | undefined {
    const ref = schema.$ref ?? schema.items?.$ref
    return ref === undefined ? undefined : refName(ref)
  }

  isNavigation (schema: OpenApiSchema): boolean {
    if (schema['x-ms-navigationProperty'] === true) return true
    const target = this.refTarget(schema)
    return target !== undefined && this.isEntity(target)
  }
}

function structuralProperty (reader: ContractReader, name: string, schema: OpenApiSchema, where: string): StructuralProperty {
  const collection = schema.type === 'array'
  const element = collection ? schema.items ?? fail(`${where}: array without items`) : schema
  const target = reader.refTarget(element)
  const type = target ?? edmOf(element, where)
  // A `$ref` property is nullable (CSDL's default; the OpenAPI conversion cannot say so beside a
  // `$ref`); a collection itself is never null.
  const nullable = collection ? false : target !== undefined || element.nullable === true
  return { name, type, collection, nullable, readOnly: schema.readOnly === true || element.readOnly === true }
}

function buildTypes (reader: ContractReader, containment: ReadonlySet<string>): Record<string, StructuredType> {
  const types: Record<string, StructuredType> = {}
  const order = [...reader.structured.keys()]
  for (const name of order) {
    const chain = reader.chain(name).reverse()
    const properties: StructuralProperty[] = []
    const navigationProperties: NavigationProperty[] = []
    for (const typeName of chain) {
      const entry = reader.structured.get(typeName) ?? fail(`unknown base type ${typeName}`)
      for (const [propertyName, schema] of Object.entries(ownPart(entry.schema).properties ?? {})) {
        const where = `${typeName}.${propertyName}`
        if (reader.isNavigation(schema)) {
          const target = reader.refTarget(schema) ?? fail(`${where}: navigation without a target`)
          navigationProperties.push({
            name: propertyName,
            type: target,
            collection: schema.type === 'array',
            contained: containment.has(`${typeName}/${propertyName}`)
          })
        } else {
          properties.push(structuralProperty(reader, propertyName, schema, where))
        }
      }
    }
    const entry = reader.structured.get(name) ?? fail(`unknown type ${name}`)
    types[name] = {
      kind: entry.kind,
      name,
      baseType: entry.base,
      derivedTypes: order.filter((other) => other !== name && reader.chain(other).includes(name)),
      properties,
      navigationProperties
    }
  }
  return types
}

/**
 * Which navigation properties are contained: every navigation of the root singleton, and below it
 * those through which the contract lets clients create (POST on a collection) or update (PATCH on a
 * single-valued one). Keyed `<declaring type>/<property>`.
 */
function containmentOf (reader: ContractReader, walked: ReadonlyArray<{ path: string, segments: PathSegment[] }>): Set<string> {
  const contained = new Set<string>()
  for (const { path, segments } of walked) {
    const methods = Object.keys(reader.doc.paths[path] ?? {})
    let owner: string | undefined
    for (let index = 0; index < segments.length; index++) {
      const segment = segments[index]
      if (segment === undefined) continue
      if (segment.kind === 'navigation') {
        const declaring = owner === undefined ? undefined : declaringType(reader, owner, segment.name)
        const last = index === segments.length - 1
        const writable = last && (segment.collection ? methods.includes('post') : methods.includes('patch'))
        const isRoot = segments[index - 1]?.kind === 'root'
        if (declaring !== undefined && (isRoot || writable)) contained.add(`${declaring}/${segment.name}`)
      }
      if (segment.kind === 'root' || segment.kind === 'navigation' || segment.kind === 'cast') owner = segment.type
    }
  }
  return contained
}

function declaringType (reader: ContractReader, type: string, property: string): string | undefined {
  for (const name of reader.chain(type)) {
    const own = ownPart(reader.structured.get(name)?.schema ?? {}).properties ?? {}
    if (Object.hasOwn(own, property)) return name
  }
  return undefined
}

/** A navigation property looked up on the type, its ancestors, then (for casts) its derived types. */
function findNavigation (reader: ContractReader, type: string, name: string): OpenApiSchema | undefined {
  for (const typeName of reader.chain(type)) {
    const own = ownPart(reader.structured.get(typeName)?.schema ?? {}).properties ?? {}
    if (Object.hasOwn(own, name)) return own[name]
  }
  return undefined
}

function parseSegments (reader: ContractReader, path: string): PathSegment[] {
  if (!path.startsWith(ROOT_PATH)) fail(`path outside ${ROOT_PATH}: ${path}`)
  const rootType = `${NAMESPACE}backupRestoreRoot`
  const segments: PathSegment[] = [{ kind: 'root', name: 'backupRestore', type: rootType }]
  let type = rootType
  let collection = false
  const rest = path.slice(ROOT_PATH.length).split('/').filter((part) => part !== '')
  for (const raw of rest) {
    const where = `${path}: segment ${raw}`
    if (raw === '$count') {
      segments.push({ kind: 'count' })
      continue
    }
    const key = /^\{(.+)\}$/.exec(raw)
    if (key !== null) {
      if (!collection) fail(`${where}: a key after a single-valued segment`)
      segments.push({ kind: 'key', parameter: key[1] ?? '', type })
      collection = false
      continue
    }
    if (raw.startsWith(NAMESPACE)) {
      const call = /^microsoft\.graph\.([A-Za-z]+)(?:\((.*)\))?$/.exec(raw) ?? fail(`${where}: cannot read`)
      const qualified = `${NAMESPACE}${call[1] ?? ''}`
      if (reader.structured.has(qualified) && call[2] === undefined) {
        if (!reader.chain(qualified).includes(type)) fail(`${where}: ${qualified} does not derive from ${type}`)
        segments.push({ kind: 'cast', type: qualified, collection })
        type = qualified
        continue
      }
      if (call[2] !== undefined) {
        const parameters = [...call[2].matchAll(/([A-Za-z]+)=/g)].map((match) => match[1] ?? '')
        segments.push({ kind: 'function', name: call[1] ?? '', parameters })
      } else {
        segments.push({ kind: 'action', name: call[1] ?? '' })
      }
      continue
    }
    const property = findNavigation(reader, type, raw) ?? fail(`${where}: ${type} has no navigation property ${raw}`)
    const target = reader.refTarget(property) ?? fail(`${where}: not a navigation`)
    const isCollection = property.type === 'array'
    segments.push({ kind: 'navigation', name: raw, type: target, collection: isCollection, contained: false })
    type = target
    collection = isCollection
  }
  return segments
}

function responseTypeOf (reader: ContractReader, operation: OpenApiOperation): string | undefined {
  const success = operation.responses?.['2XX'] ?? operation.responses?.['200'] ?? operation.responses?.['201']
  if (success === undefined) return undefined
  let content = success.content
  if (success.$ref !== undefined) {
    const name = success.$ref.replace('#/components/responses/', '')
    if (name === 'ODataCountResponse') return 'count'
    content = reader.doc.components.responses[name]?.content
  }
  const schema = content?.['application/json']?.schema ?? content?.['text/plain']?.schema
  if (schema === undefined) return undefined
  if (schema.$ref !== undefined) {
    const name = refName(schema.$ref)
    if (name === 'ODataCountResponse') return 'count'
    if (name.endsWith('CollectionResponse')) {
      const collectionSchema = reader.schemas[name]
      const items = collectionSchema?.allOf?.find((part) => part.properties?.value !== undefined)?.properties?.value?.items ??
        collectionSchema?.properties?.value?.items
      const item = items?.$ref ?? fail(`${name}: no value items`)
      return `Collection(${refName(item)})`
    }
    return name
  }
  const value = schema.properties?.value
  if (value?.type === 'array' && value.items !== undefined) {
    return `Collection(${value.items.$ref === undefined ? edmOf(value.items, 'response') : refName(value.items.$ref)})`
  }
  if (value !== undefined) return value.$ref === undefined ? edmOf(value, 'response') : refName(value.$ref)
  return undefined
}

function operationOf (reader: ContractReader, method: string, operation: OpenApiOperation): OperationModel {
  const body = operation.requestBody?.content?.['application/json']?.schema
  let requestType: string | undefined
  const parameters: OperationParameter[] = []
  if (body?.$ref !== undefined) requestType = refName(body.$ref)
  else if (body?.properties !== undefined) {
    for (const [name, schema] of Object.entries(body.properties)) {
      const property = structuralProperty(reader, name, schema, `${operation.operationId ?? '?'} parameter ${name}`)
      parameters.push({ name, type: property.type, collection: property.collection, nullable: property.nullable })
    }
  }
  return {
    method: method.toUpperCase() as OperationModel['method'],
    operationId: operation.operationId ?? fail('an operation without operationId'),
    operationType: operation['x-ms-docs-operation-type'] ?? 'operation',
    summary: operation.summary ?? '',
    docs: operation.externalDocs?.url,
    requestType,
    parameters,
    responseType: responseTypeOf(reader, operation)
  }
}

const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const

/**
 * Operations Graph's docs publish that the OpenAPI documents lack (see
 * ../shared/reference/backup-storage/ops.md and surface.md), added to both versions' models so that
 * routes, permissions, $metadata and the README's table treat them as every other operation:
 * - `run` and `deleteAndUnprotect`, actions the v1.0 CSDL binds to protectionRuleBase, which neither
 *   document gives a path: on a policy's rule (the docs' paths) and on the root-level rule sets (the
 *   same rule; OData routes a bound action wherever its binding type is addressed);
 * - POST of a bulk addition job on its policy's own set (the docs' path; the documents have GET only
 *   there, and POST on the root-level set).
 */
const DOCUMENTED_WORKLOADS = [
  { policies: 'exchangeProtectionPolicies', policy: 'exchangeProtectionPolicy', rules: 'mailboxInclusionRules', rule: 'mailboxProtectionRule', jobs: 'mailboxProtectionUnitsBulkAdditionJobs', job: 'mailboxProtectionUnitsBulkAdditionJob' },
  { policies: 'oneDriveForBusinessProtectionPolicies', policy: 'oneDriveForBusinessProtectionPolicy', rules: 'driveInclusionRules', rule: 'driveProtectionRule', jobs: 'driveProtectionUnitsBulkAdditionJobs', job: 'driveProtectionUnitsBulkAdditionJob' },
  { policies: 'sharePointProtectionPolicies', policy: 'sharePointProtectionPolicy', rules: 'siteInclusionRules', rule: 'siteProtectionRule', jobs: 'siteProtectionUnitsBulkAdditionJobs', job: 'siteProtectionUnitsBulkAdditionJob' }
] as const

interface DocumentedOperation {
  readonly path: string
  readonly operation: OperationModel
}

function capitalized (text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function documentedOperations (version: GraphVersion): DocumentedOperation[] {
  const view = version === 'beta' ? 'graph-rest-beta' : 'graph-rest-1.0'
  const page = (name: string): string => `https://learn.microsoft.com/graph/api/${name}?view=${view}`
  const found: DocumentedOperation[] = []
  for (const action of ['run', 'deleteAndUnprotect']) {
    for (const workload of DOCUMENTED_WORKLOADS) {
      const singular = workload.rules.replace(/s$/, '')
      const ruleKey = `{${workload.rule}-id}`
      const bound = [
        { prefix: `${ROOT_PATH}/${workload.policies}/{${workload.policy}-id}/${workload.rules}/${ruleKey}`, id: `solution.backupRestore.${workload.policy}.${singular}_${action}` },
        { prefix: `${ROOT_PATH}/${workload.rules}/${ruleKey}`, id: `solution.backupRestore.${singular}_${action}` }
      ]
      for (const { prefix, id } of bound) {
        found.push({
          path: `${prefix}/${NAMESPACE}${action}`,
          operation: {
            method: 'POST',
            operationId: id,
            operationType: 'action',
            summary: `Invoke action ${action}`,
            docs: page(`protectionrulebase-${action.toLowerCase()}`),
            parameters: [],
            responseType: `${NAMESPACE}protectionRuleBase`,
            documentedOnly: page(`protectionrulebase-${action.toLowerCase()}`)
          }
        })
      }
    }
  }
  for (const workload of DOCUMENTED_WORKLOADS) {
    found.push({
      path: `${ROOT_PATH}/${workload.policies}/{${workload.policy}-id}/${workload.jobs}`,
      operation: {
        method: 'POST',
        operationId: `solution.backupRestore.${workload.policy}_Create${capitalized(workload.job)}`,
        operationType: 'operation',
        summary: `Create ${workload.job}`,
        docs: page(`${workload.jobs.toLowerCase()}-post`),
        requestType: `${NAMESPACE}${workload.job}`,
        parameters: [],
        responseType: `${NAMESPACE}${workload.job}`,
        documentedOnly: page(`${workload.jobs.toLowerCase()}-post`)
      }
    })
  }
  return found
}

/** The contract's paths with the documented operations merged in (an existing path gains the method). */
function withDocumented (reader: ContractReader, version: GraphVersion, paths: PathModel[], mark: (segments: PathSegment[]) => PathSegment[]): PathModel[] {
  const result = [...paths]
  for (const { path, operation } of documentedOperations(version)) {
    const index = result.findIndex((candidate) => candidate.path === path)
    const existing = result[index]
    if (existing === undefined) {
      result.push({ path, segments: mark(parseSegments(reader, path)), operations: [operation] })
      continue
    }
    if (existing.operations.some((other) => other.method === operation.method)) fail(`${path}: the contract has ${operation.method} now; drop it from the documented operations`)
    const operations = [...existing.operations, operation]
      .sort((a, b) => METHODS.indexOf(a.method.toLowerCase() as typeof METHODS[number]) - METHODS.indexOf(b.method.toLowerCase() as typeof METHODS[number]))
    result[index] = { ...existing, operations }
  }
  return result
}

/** The segments with each navigation's `contained` as the contract's writes decide it. */
function markContained (reader: ContractReader, containment: ReadonlySet<string>, segments: readonly PathSegment[]): PathSegment[] {
  let owner: string | undefined
  return segments.map((segment): PathSegment => {
    let result = segment
    if (segment.kind === 'navigation' && owner !== undefined) {
      const declaring = declaringType(reader, owner, segment.name)
      result = { ...segment, contained: declaring !== undefined && containment.has(`${declaring}/${segment.name}`) }
    }
    if (segment.kind === 'root' || segment.kind === 'navigation' || segment.kind === 'cast') owner = segment.type
    return result
  })
}

export function buildModel (source: ContractSource): ServiceModel {
  const doc = parse(source.text) as OpenApiDocument
  const reader = new ContractReader(doc)
  const walked = Object.keys(doc.paths).map((path) => ({ path, segments: parseSegments(reader, path) }))
  const containment = containmentOf(reader, walked)
  const types = buildTypes(reader, containment)
  const paths: PathModel[] = walked.map(({ path, segments }) => {
    const item = doc.paths[path] ?? {}
    const operations = METHODS.filter((method) => item[method] !== undefined)
      .map((method) => operationOf(reader, method, item[method] ?? {}))
    return { path, segments: markContained(reader, containment, segments), operations }
  })
  const served = withDocumented(reader, source.version, paths, (segments) => markContained(reader, containment, segments))
  const enums: Record<string, EnumTypeModel> = {}
  for (const [name, model] of reader.enums) enums[name] = model
  const digest = createHash('sha256').update(source.text).digest('hex')
  return {
    version: source.version,
    source: `${source.file} sha256:${digest}`,
    types,
    enums,
    root: { path: ROOT_PATH.slice(1), type: `${NAMESPACE}backupRestoreRoot` },
    paths: served
  }
}

// ---- JSON Schemas (schemas/<version>.ts) ----

function shortName (qualified: string): string {
  return qualified.startsWith(NAMESPACE) ? qualified.slice(NAMESPACE.length) : qualified
}

function constName (qualified: string): string {
  return `${shortName(qualified)}Schema`
}

function typeName (qualified: string): string {
  const short = shortName(qualified)
  return short.charAt(0).toUpperCase() + short.slice(1)
}

function literal (value: unknown): string {
  return emit(value)
}

/** A reference to another generated constant inside a schema being emitted. */
class Identifier {
  constructor (readonly name: string) {}
}

const SPREAD = '...'
const DATE_TIME = new Identifier('DATE_TIME_PATTERN')

/** TypeScript source for a JSON-like value: single quotes, bare keys, identifiers and spreads kept. */
function emit (value: unknown): string {
  if (value instanceof Identifier) return value.name
  if (Array.isArray(value)) return `[${value.map(emit).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    const parts = Object.entries(value).map(([key, item]) => {
      if (key === SPREAD) return `...${emit(item)}`
      const name = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : quote(key)
      return `${name}: ${emit(item)}`
    })
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`
  }
  if (typeof value === 'string') return quote(value)
  return JSON.stringify(value)
}

function quote (text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, '\\\'').replace(/\n/g, '\\n')}'`
}

function primitiveSchema (type: string, nullable: boolean): Record<string, unknown> {
  const t = (name: string): string | string[] => nullable ? [name, 'null'] : name
  switch (type) {
    case 'Edm.String': return { type: t('string') }
    case 'Edm.Boolean': return { type: t('boolean') }
    case 'Edm.Int32': return { type: t('integer'), minimum: -2147483648, maximum: 2147483647 }
    case 'Edm.Int64': return { type: t('integer') }
    case 'Edm.Double':
    case 'Edm.Decimal': return { type: t('number') }
    case 'Edm.DateTimeOffset': return { type: t('string'), format: 'date-time', pattern: DATE_TIME }
    case 'Edm.Duration': return { type: t('string'), format: 'duration' }
    case 'Edm.Date': return { type: t('string'), format: 'date' }
    case 'Edm.TimeOfDay': return { type: t('string'), format: 'time' }
    case 'Edm.Guid': return { type: t('string'), format: 'uuid' }
    default: return { type: t('string') }
  }
}

function descriptionOf (reader: ContractReader, typeName: string, property: string): string | undefined {
  for (const name of reader.chain(typeName)) {
    const own = ownPart(reader.structured.get(name)?.schema ?? {}).properties ?? {}
    if (Object.hasOwn(own, property)) return own[property]?.description
  }
  return undefined
}

function elementSchema (model: ServiceModel, type: string, nullable: boolean): Record<string, unknown> {
  const enumType = model.enums[type]
  if (enumType !== undefined) {
    return { title: shortName(type), type: nullable ? ['string', 'null'] : 'string', enum: nullable ? [...enumType.members, null] : enumType.members }
  }
  if (model.types[type] !== undefined) {
    return nullable ? { [SPREAD]: new Identifier(constName(type)), type: ['object', 'null'] } : { [SPREAD]: new Identifier(constName(type)) }
  }
  return primitiveSchema(type, nullable)
}

function propertySchemaText (model: ServiceModel, reader: ContractReader, owner: string, property: StructuralProperty): string {
  const description = descriptionOf(reader, owner, property.name)
  const extra: Record<string, unknown> = {}
  if (description !== undefined) extra.description = description
  if (property.readOnly) extra.readOnly = true
  if (property.collection) {
    // Items of a primitive collection may be null where the contract says so (strings do).
    const items = elementSchema(model, property.type, model.enums[property.type] === undefined && model.types[property.type] === undefined && property.type === 'Edm.String')
    return emit({ type: 'array', items, ...extra })
  }
  return emit({ ...elementSchema(model, property.type, property.nullable), ...extra })
}

/** Types in an order where every complex type comes before the types that use it. */
function emissionOrder (model: ServiceModel): string[] {
  const done = new Set<string>()
  const visiting = new Set<string>()
  const order: string[] = []
  const visit = (name: string): void => {
    if (done.has(name)) return
    if (visiting.has(name)) fail(`complex types refer to each other in a cycle at ${name}`)
    visiting.add(name)
    for (const property of model.types[name]?.properties ?? []) {
      if (model.types[property.type] !== undefined) visit(property.type)
    }
    visiting.delete(name)
    done.add(name)
    order.push(name)
  }
  for (const name of Object.keys(model.types)) visit(name)
  return order
}

export function schemasSource (model: ServiceModel, reader: ContractReader, withTypes: boolean): string {
  const lines: string[] = [
    `// Generated by \`npm run contract\` from ${model.source.split(' ')[0] ?? ''}; do not edit.`,
    `// Source: ${model.source}`,
    '// Every structured type of Microsoft Graph\'s Backup Storage contract as JSON Schema (structural',
    '// properties only, inherited ones first, in the contract\'s order) and every enum with its members.',
    ''
  ]
  if (withTypes) lines.push('import type { FromSchema } from \'json-schema-to-ts\'')
  lines.push('import { DATE_TIME_PATTERN } from \'./common.js\'', '')
  for (const enumType of Object.values(model.enums)) {
    const short = shortName(enumType.name)
    lines.push(`/** ${enumType.name}${enumType.flags ? ' (flags)' : ''} */`)
    lines.push(`export const ${short}Members = ${literal(enumType.members)} as const`)
    lines.push(`export const ${short}Schema = { title: ${literal(short)}, type: 'string', enum: ${short}Members } as const`)
    if (withTypes) lines.push(`export type ${typeName(enumType.name)} = (typeof ${short}Members)[number]`)
    lines.push('')
  }
  for (const name of emissionOrder(model)) {
    const type = model.types[name] ?? fail(`unknown type ${name}`)
    const base = type.baseType === undefined ? '' : `, derives from ${type.baseType}`
    lines.push(`/** ${name}: ${type.kind} type${base}. */`)
    lines.push(`export const ${constName(name)} = {`)
    lines.push(`  title: ${literal(shortName(name))},`)
    lines.push('  type: \'object\',')
    const props = type.properties.map((property) => `    ${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(property.name) ? property.name : quote(property.name)}: ${propertySchemaText(model, reader, name, property)}`)
    if (props.length === 0) lines.push('  properties: {},')
    else lines.push('  properties: {', props.join(',\n'), '  },')
    if (type.kind === 'entity') lines.push('  required: [\'id\'],')
    lines.push('  additionalProperties: false')
    lines.push('} as const')
    if (withTypes) lines.push(`export type ${typeName(name)} = FromSchema<typeof ${constName(name)}>`)
    lines.push('')
  }
  lines.push('/** Every structured type\'s schema by qualified name. */')
  lines.push('export const structuredTypeSchemas = {')
  lines.push(emissionOrder(model).map((name) => `  ${quote(name)}: ${constName(name)}`).join(',\n'))
  lines.push('} as const')
  lines.push('')
  return lines.join('\n')
}

export function modelSource (model: ServiceModel): string {
  const name = model.version === 'beta' ? 'betaModel' : 'v1Model'
  return [
    `// Generated by \`npm run contract\`; do not edit. Source: ${model.source}`,
    `// The resource model of Graph's Backup Storage API, ${model.version}: types, enums, and every path of the`,
    '// contract parsed into segments, with its operations, and the operations Graph\'s docs publish that the',
    '// contract lacks, each marked `documentedOnly` with its docs page.',
    '',
    'import type { ServiceModel } from \'../types.js\'',
    '',
    `export const ${name}: ServiceModel = ${JSON.stringify(model, null, 2)}`,
    ''
  ].join('\n')
}

export function generate (sources: readonly ContractSource[]): GeneratedFiles {
  const files: Record<string, string> = {}
  for (const source of sources) {
    const model = buildModel(source)
    const reader = new ContractReader(parse(source.text) as OpenApiDocument)
    files[`schemas/${source.version}.ts`] = schemasSource(model, reader, source.version === 'beta')
    files[`src/model/generated/${source.version}.ts`] = modelSource(model)
  }
  return files
}

export function readContract (projectRoot: string): ContractSource[] {
  return (Object.entries(CONTRACT_FILES) as Array<[GraphVersion, string]>).map(([version, file]) => {
    const path = join(projectRoot, CONTRACT_DIR, file)
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      throw new Error(`contract generator: cannot read ${path} (${error instanceof Error ? error.message : String(error)}); the contract must be in ../shared/contract beside the project`, { cause: error })
    }
    return { version, file, text }
  })
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..')
  const files = generate(readContract(root))
  for (const [path, text] of Object.entries(files)) {
    writeFileSync(join(root, path), text)
    process.stdout.write(`wrote ${path}\n`)
  }
}
