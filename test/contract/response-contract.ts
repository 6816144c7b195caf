// The published contract documents (../shared/contract/BackupRestore.{beta,v1.0}.yml) as a response
// checker: a response under /beta or /v1.0 is matched to the path template of that version's document
// (keys in parentheses or as segments, `%24count`, names in any case), and its body is held to the
// 2XX answer that template declares for the method; any error body to Graph's ODataError. The schemas
// are read as Graph sends them by DocumentValidator (document-validator.ts says how).

import { rewriteKeySegments } from '../../src/graph/key-segments.js'
import type { OpenApiSchema } from './contract.js'
import { DocumentValidator, INT32 } from './document-validator.js'
import { declaredResponse, templateOf, wholeContract, type ContractVersion, type OperationMethod } from './documents.js'

const validators = new Map<ContractVersion, DocumentValidator>()

function validatorOf (version: ContractVersion): DocumentValidator {
  let validator = validators.get(version)
  if (validator === undefined) {
    validator = new DocumentValidator(wholeContract(version), `graph-contract-${version}`)
    validators.set(version, validator)
  }
  return validator
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

const GRAPH_ROOT = /^\/(beta|v1\.0)(?=\/|$)/i
const METHODS = new Set(['get', 'post', 'patch', 'put', 'delete'])

function validateJson (schema: string | OpenApiSchema, name: string, version: ContractVersion, response: CheckedResponse): ContractVerdict {
  if (!/^application\/json\b/i.test(response.contentType ?? '')) {
    return { schema: name, errors: [`Content-Type must be application/json, got ${response.contentType ?? 'none'}`] }
  }
  let body: unknown
  try {
    body = JSON.parse(response.body)
  } catch {
    return { schema: name, errors: ['the body is not JSON'] }
  }
  return { schema: name, errors: validatorOf(version).errors(schema, body) }
}

function validateCount (response: CheckedResponse): ContractVerdict {
  const errors: string[] = []
  if (!/^text\/plain\b/i.test(response.contentType ?? '')) errors.push(`Content-Type must be text/plain, got ${response.contentType ?? 'none'}`)
  if (!/^\d+$/.test(response.body) || Number(response.body) > INT32.maximum) errors.push(`the body must be an Int32 count, got '${response.body.slice(0, 40)}'`)
  return { schema: SCHEMAS.count, errors }
}

/**
 * The contract verdict on one response, or undefined where the contract says nothing (open routes,
 * HEAD, OPTIONS, a 2xx outside the Graph roots).
 */
export function checkResponse (response: CheckedResponse): ContractVerdict | undefined {
  // HEAD has no body; OPTIONS (CORS preflight) is HTTP's, not a Graph operation.
  if (response.method === 'HEAD' || response.method === 'OPTIONS') return undefined
  const path = rewriteKeySegments(response.url).split('?')[0] ?? ''
  const root = GRAPH_ROOT.exec(path)
  const version: ContractVersion = root?.[1]?.toLowerCase() === 'v1.0' ? 'v1.0' : 'beta'
  if (response.statusCode >= 400) {
    if (root === null && !/^application\/json\b/i.test(response.contentType ?? '')) return undefined
    return validateJson(SCHEMAS.error, SCHEMAS.error, version, response)
  }
  if (root === null || response.statusCode < 200 || response.statusCode >= 300) return undefined
  // $metadata and $batch are OData's protocol, not operations of the contract: their own tests
  // (test/protocol) check them, the CSDL with an XML parser and each batch item as a request.
  if (/^\/(?:\$|%24)(?:metadata|batch)\b/i.test(path.slice(root[0].length))) return undefined
  const method = response.method.toLowerCase()
  const document = wholeContract(version)
  const below = path.slice(root[0].length)
  const { template, cast } = resolveTemplate(below, version)
  const declared = template !== undefined && METHODS.has(method)
    ? declaredResponse(document, template, method as OperationMethod)
    : undefined
  if (declared === undefined) {
    return { schema: '(none)', errors: [`the contract has no ${response.statusCode} answer to ${response.method} ${path}`] }
  }
  switch (declared.kind) {
    case 'count': return validateCount(response)
    case 'empty': return { schema: '(no body)', errors: response.body === '' ? [] : ['the contract declares no body'] }
    case 'json': {
      const name = declared.schema.$ref?.replace('#/components/schemas/', '') ?? `(the ${response.method} ${template ?? ''} answer)`
      if (cast === undefined) return validateJson(declared.schema, name, version, response)
      // Through a cast the contract does not list, the answer is the declared one narrowed to the cast type.
      const ref = { $ref: `#/components/schemas/${cast}` }
      return name.endsWith('CollectionResponse')
        ? validateJson({ type: 'object', properties: { value: { type: 'array', items: ref }, '@odata.nextLink': { type: 'string', nullable: true } } }, `Collection(${cast})`, version, response)
        : validateJson(ref, cast, version, response)
    }
  }
}

/**
 * The template a path below the version is an instance of. A type cast on a polymorphic set
 * (`restoreSessions/microsoft.graph.exchangeRestoreSession`) is OData's on any set, though the
 * contract lists casts only for protectionUnits: without a template of its own, the cast segment is
 * set aside, the rest matched, and the cast type returned to narrow the answer.
 */
function resolveTemplate (below: string, version: ContractVersion): { template: string | undefined, cast?: string } {
  const document = wholeContract(version)
  const template = templateOf(document, below)
  if (template !== undefined) return { template }
  const segments = below.split('/')
  const at = segments.findLastIndex((segment) => segment.startsWith('microsoft.graph.') && document.components.schemas[segment] !== undefined)
  if (at < 0) return { template: undefined }
  const cast = segments[at]
  const rest = templateOf(document, [...segments.slice(0, at), ...segments.slice(at + 1)].join('/'))
  return rest === undefined || cast === undefined ? { template: undefined } : { template: rest, cast }
}
