// The published contract (../shared/contract/exchange-restore-sessions.openapi.yaml) as a response
// checker: its schemas are read as Graph sends them by DocumentValidator (document-validator.ts says
// how), then `checkResponse` says which schema a response must match (by path, method and status) and
// lists what in it does not.

import { rewriteKeySegments } from '../../src/graph/key-segments.js'
import { contract } from './contract.js'
import { DocumentValidator, INT32 } from './document-validator.js'

type JsonSchema = Record<string, unknown>

let validator: DocumentValidator | undefined

function subset (): DocumentValidator {
  validator ??= new DocumentValidator(contract(), 'graph-contract')
  return validator
}

/**
 * Every component schema of the contract, converted. A collection envelope also declares the
 * annotations Graph puts on it (`@odata.context`, `@odata.count`) and requires its `value`.
 */
export function contractDefinitions (): Record<string, JsonSchema> {
  return subset().definitions()
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
  return { schema, errors: subset().errors(schema, body) }
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
