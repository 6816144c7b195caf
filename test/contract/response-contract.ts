// The published contract (../shared/contract) as a response checker. Its OpenAPI 3.0 schemas are
// converted once into JSON Schema for Ajv, read as Graph sends them:
// - `nullable: true` admits null; a `$ref`'d property that is not required may be null too (CSDL's
//   default, which the OpenAPI conversion cannot state beside a `$ref`);
// - `allOf` is merged into one object (properties and `required` of every part, refs followed), so
//   the type can be closed;
// - an object with declared properties is closed: its `additionalProperties: {type: object}` is the
//   generator's noise (the CSDL types are not open). Only OData annotations (`@odata.*`,
//   `property@odata.*`) may stand beside the known properties. An object that declares none
//   (`ODataErrors.InnerError`, "service-specific") stays open;
// - `number` + `int32` is an integer in the Int32 range; a flags enum is a comma-separated list of
//   its members; `date-time` keeps the contract's pattern and is also checked as a date-time.
// Then `checkResponse` says which schema a response must match (by path, method and status) and
// lists what in it does not.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { rewriteKeySegments } from '../../src/graph/key-segments.js'
import { contract, type OpenApiSchema } from './contract.js'

type JsonSchema = Record<string, unknown>

const addFormats = addFormatsModule.default
const CONTRACT_ID = 'graph-contract'
const PREFIX = '#/components/schemas/'

/** The annotations Graph may put beside any object's properties. */
const ANNOTATIONS: JsonSchema = {
  '^@odata\\.(context|deltaLink|type|id|etag|editLink|readLink)$': { type: 'string' },
  '^@odata\\.count$': { type: 'integer', minimum: 0 },
  '^[^@]*@odata\\.[A-Za-z]+$': true
}

const INT32 = { minimum: -2147483648, maximum: 2147483647 }

function nameOf (ref: string): string {
  if (!ref.startsWith(PREFIX)) throw new Error(`unsupported $ref ${ref}`)
  return ref.slice(PREFIX.length)
}

function component (name: string): OpenApiSchema {
  const schema = contract().components.schemas[name]
  if (schema === undefined) throw new Error(`the contract has no schema ${name}`)
  return schema
}

/** `allOf` (and the refs in it) merged into one object schema; anything else unchanged. */
function merged (schema: OpenApiSchema): OpenApiSchema {
  if (schema.allOf === undefined) return schema
  const properties: Record<string, OpenApiSchema> = {}
  const required: string[] = []
  const visit = (part: OpenApiSchema): void => {
    if (part.$ref !== undefined) return visit(component(nameOf(part.$ref)))
    for (const inner of part.allOf ?? []) visit(inner)
    Object.assign(properties, part.properties)
    required.push(...(part.required ?? []))
  }
  visit(schema)
  return { type: 'object', properties, required }
}

function withNull (types: string, nullable: boolean | undefined): string | string[] {
  return nullable === true ? [types, 'null'] : types
}

function convertString (schema: OpenApiSchema): JsonSchema {
  const nullable = schema.nullable === true
  if (schema.enum !== undefined && schema['x-ms-enum-flags']?.isFlags === true) {
    const member = `(${schema.enum.join('|')})`
    return { type: withNull('string', nullable), pattern: `^${member}(,${member})*$` }
  }
  if (schema.enum !== undefined) return { type: withNull('string', nullable), enum: nullable ? [...schema.enum, null] : schema.enum }
  return {
    type: withNull('string', nullable),
    ...(schema.pattern === undefined ? {} : { pattern: schema.pattern }),
    ...(schema.format === 'date-time' ? { format: 'date-time' } : {})
  }
}

function convertObject (schema: OpenApiSchema): JsonSchema {
  const entries = Object.entries(schema.properties ?? {})
  if (entries.length === 0) return { type: withNull('object', schema.nullable) }
  const required = schema.required ?? []
  const properties: Record<string, JsonSchema> = {}
  for (const [key, property] of entries) {
    properties[key] = property.$ref !== undefined && !required.includes(key)
      ? { anyOf: [convert(property), { type: 'null' }] }
      : convert(property)
  }
  return {
    type: withNull('object', schema.nullable),
    properties,
    ...(required.length === 0 ? {} : { required }),
    patternProperties: ANNOTATIONS,
    additionalProperties: false
  }
}

/** One OpenAPI schema as JSON Schema; refs point into the converted definitions. */
function convert (input: OpenApiSchema): JsonSchema {
  if (input.$ref !== undefined) return { $ref: `#/definitions/${nameOf(input.$ref)}` }
  const schema = merged(input)
  switch (schema.type) {
    case 'object': return convertObject(schema)
    case 'string': return convertString(schema)
    case 'array': return { type: withNull('array', schema.nullable), items: schema.items === undefined ? true : convert(schema.items) }
    case 'boolean': return { type: withNull('boolean', schema.nullable) }
    case 'integer':
    case 'number': {
      const integer = schema.type === 'integer' || schema.format === 'int32'
      const range = schema.format === 'int32' ? INT32 : {}
      return {
        type: withNull(integer ? 'integer' : 'number', schema.nullable),
        ...range,
        ...(schema.minimum === undefined ? {} : { minimum: schema.minimum }),
        ...(schema.maximum === undefined ? {} : { maximum: schema.maximum })
      }
    }
    case undefined:
    default:
      throw new Error(`unsupported schema type ${String(schema.type)}`)
  }
}

/**
 * Every component schema of the contract, converted. A collection envelope also declares the
 * annotations Graph puts on it (`@odata.context`, `@odata.count`) and requires its `value`.
 */
export function contractDefinitions (): Record<string, JsonSchema> {
  const definitions: Record<string, JsonSchema> = {}
  for (const [name, schema] of Object.entries(contract().components.schemas)) {
    const converted = convert(schema)
    const properties = converted['properties']
    if (name.endsWith('CollectionResponse') && typeof properties === 'object' && properties !== null) {
      converted['properties'] = { '@odata.context': { type: 'string' }, '@odata.count': { type: 'integer', minimum: 0 }, ...properties }
      converted['required'] = ['value']
    }
    definitions[name] = converted
  }
  return definitions
}

let ajv: Ajv | undefined

function validatorFor (name: string): ValidateFunction {
  if (ajv === undefined) {
    ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, allowMatchingProperties: true })
    addFormats(ajv)
    ajv.addSchema({ $id: CONTRACT_ID, definitions: contractDefinitions() })
  }
  const validate = ajv.getSchema(`${CONTRACT_ID}#/definitions/${name}`)
  if (validate === undefined) throw new Error(`the contract has no schema ${name}`)
  return validate
}

function describe (error: ErrorObject): string {
  const where = error.instancePath === '' ? '(body)' : error.instancePath
  const extra = error.keyword === 'additionalProperties' ? ` '${String(error.params.additionalProperty)}'` : ''
  return `${where} ${error.message ?? error.keyword}${extra}`
}

/** A response as the checker needs it. */
export interface CheckedResponse {
  method: string
  /** The request URL, path and query. */
  url: string
  statusCode: number
  contentType: string | undefined
  body: string
}

export interface ContractVerdict {
  /** The contract schema the body had to match. */
  schema: string
  /** What does not match; empty when the body keeps to the contract. */
  errors: string[]
}

export const SCHEMAS = {
  collection: 'microsoft.graph.exchangeRestoreSessionCollectionResponse',
  entity: 'microsoft.graph.exchangeRestoreSession',
  count: 'ODataCountResponse',
  error: 'microsoft.graph.ODataErrors.ODataError'
} as const

const GRAPH_ROOT = /^\/(?:beta|v1\.0)(?:\/|$)/i
const ENTITY_SET = /^\/(?:beta|v1\.0)\/solutions\/backupRestore\/exchangeRestoreSessions(?:\/([^/]+))?\/?$/i
const COUNT_SEGMENT = /^(?:\$|%24)count$/i

function validateJson (schema: string, response: CheckedResponse): ContractVerdict {
  if (!/^application\/json\b/i.test(response.contentType ?? '')) {
    return { schema, errors: [`Content-Type must be application/json, got ${response.contentType ?? 'none'}`] }
  }
  let body: unknown
  try {
    body = JSON.parse(response.body)
  } catch {
    return { schema, errors: ['the body is not JSON'] }
  }
  const validate = validatorFor(schema)
  return { schema, errors: validate(body) ? [] : (validate.errors ?? []).map(describe) }
}

function validateCount (response: CheckedResponse): ContractVerdict {
  const errors: string[] = []
  if (!/^text\/plain\b/i.test(response.contentType ?? '')) errors.push(`Content-Type must be text/plain, got ${response.contentType ?? 'none'}`)
  if (!/^\d+$/.test(response.body) || Number(response.body) > INT32.maximum) errors.push(`the body must be an Int32 count, got '${response.body.slice(0, 40)}'`)
  return { schema: SCHEMAS.count, errors }
}

/**
 * The contract verdict on one response, or undefined where the contract says nothing (open routes,
 * HEAD, a 2xx to another method than GET outside the Graph roots).
 */
export function checkResponse (response: CheckedResponse): ContractVerdict | undefined {
  if (response.method === 'HEAD') return undefined
  const path = rewriteKeySegments(response.url).split('?')[0] ?? ''
  const underGraph = GRAPH_ROOT.test(path)
  if (response.statusCode >= 400) {
    if (!underGraph && !/^application\/json\b/i.test(response.contentType ?? '')) return undefined
    return validateJson(SCHEMAS.error, response)
  }
  if (!underGraph || response.statusCode < 200 || response.statusCode >= 300) return undefined
  const match = ENTITY_SET.exec(path)
  if (response.method !== 'GET' || match === null) {
    return { schema: '(none)', errors: [`the contract has no ${response.statusCode} answer to ${response.method} ${path}`] }
  }
  const segment = match[1]
  if (segment === undefined) return validateJson(SCHEMAS.collection, response)
  if (COUNT_SEGMENT.test(segment)) return validateCount(response)
  return validateJson(SCHEMAS.entity, response)
}
