// Reading a JSON batch (`POST /{version}/$batch`): the rules Graph's json-batching documents, each
// broken rule a 400 whose message says which. Pure: no HTTP framework. What comes out is a list of
// items that can be dispatched as they are, and an order that respects `dependsOn`.

import { badRequest, type GraphError } from '../errors.js'

/** Graph's limit on the requests of one batch. */
export const MAX_BATCH_REQUESTS = 20

/** The methods an item may have (Graph's batching supports these). */
export const BATCH_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

export interface BatchItem {
  /** The id as the caller wrote it (answers carry it back unchanged). */
  readonly id: string
  readonly method: (typeof BATCH_METHODS)[number]
  /** The path below the version root, resolved (no dot segments), with its query: `/solutions/…?$top=2`. */
  readonly path: string
  /** Header names lower-case; only what the item itself gave. */
  readonly headers: Readonly<Record<string, string>>
  /** The body as it goes on the wire, or undefined for none. */
  readonly payload: string | Buffer | undefined
  /** Indexes of the items this one depends on. */
  readonly dependsOn: readonly number[]
}

/** Versions a url must not name: it is relative to the version root the batch was posted to. */
const VERSION_SEGMENTS = new Set(['beta', 'v1.0'])

/** RFC 9110 token: a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** A header value that can be sent unchanged (no CR, LF or NUL). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
/** Control characters, which no url carries (spaces and non-ASCII are percent-encoded on the way in). */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\x00-\x1f\x7f]/

/** Headers an item cannot set: the batch's own connection and framing, and its authorization. */
const IGNORED_HEADERS = new Set(['authorization', 'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'content-encoding'])

const JSON_MEDIA = /^application\/(?:[a-z0-9.+-]*\+)?json(?:\s*;|$)/i

/** An id as it appears in a message: quoted, and cut short when long. */
function shown (id: string): string {
  return `'${id.length > 64 ? `${id.slice(0, 64)}…` : id}'`
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fail (message: string): GraphError {
  return badRequest(message)
}

function methodOf (value: unknown, label: string): BatchItem['method'] {
  if (typeof value !== 'string') throw fail(`${label} has no 'method'; give one of ${BATCH_METHODS.join(', ')}.`)
  const method = BATCH_METHODS.find((candidate) => candidate === value.toUpperCase())
  if (method === undefined) throw fail(`${label} has the method '${value.slice(0, 20)}', which a batch does not support; give one of ${BATCH_METHODS.join(', ')}.`)
  return method
}

const BASE = 'http://batch.invalid/root/'

/** The url of an item, resolved below the version root, or the 400 that says what is wrong with it. */
export function pathOfItemUrl (value: unknown, label: string): string {
  if (typeof value !== 'string' || value === '') throw fail(`${label} has no 'url'; give a url relative to the version root, such as /solutions/backupRestore.`)
  if (CONTROL.test(value)) throw fail(`${label} has a url with control characters.`)
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//')) {
    throw fail(`${label} has an absolute url; a batch takes urls relative to the version root, such as /solutions/backupRestore.`)
  }
  let resolved: URL
  try {
    resolved = new URL(value.startsWith('/') ? value.slice(1) : value, BASE)
  } catch {
    throw fail(`${label} has a url that is not valid.`)
  }
  if (resolved.origin !== 'http://batch.invalid' || !resolved.pathname.startsWith('/root/')) {
    throw fail(`${label} has a url that leaves the version root.`)
  }
  const path = resolved.pathname.slice('/root'.length)
  const first = decodeSafe(path.split('/')[1] ?? '').toLowerCase()
  if (VERSION_SEGMENTS.has(first)) throw fail(`${label} has a url that names the version ('${first}'); batch urls are relative to the version root the batch was posted to.`)
  if (first === '$batch') throw fail(`${label} is a $batch request; batches cannot be nested.`)
  return `${path}${resolved.search}`
}

function decodeSafe (segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

function headersOf (value: unknown, label: string): Record<string, string> {
  if (value === undefined || value === null) return {}
  if (!isRecord(value)) throw fail(`${label} has 'headers' that are not a JSON object of names and values.`)
  const headers: Record<string, string> = {}
  for (const [name, raw] of Object.entries(value)) {
    const lower = name.toLowerCase()
    if (!TOKEN.test(name) || lower in Object.prototype) throw fail(`${label} has a header name that is not valid: ${JSON.stringify(name.slice(0, 40))}.`)
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') throw fail(`${label} has a value for the header '${name.slice(0, 40)}' that is not a string.`)
    const text = String(raw)
    if (!HEADER_VALUE.test(text)) throw fail(`${label} has a value for the header '${name.slice(0, 40)}' with characters a header cannot carry.`)
    if (IGNORED_HEADERS.has(lower)) continue
    headers[lower] = Object.hasOwn(headers, lower) ? `${headers[lower] ?? ''}, ${text}` : text
  }
  return headers
}

/** How deep an item's JSON body may nest (objects and arrays); deeper is refused, not recursed into. */
export const MAX_BODY_DEPTH = 512

/** Whether a JSON value nests deeper than `limit`, walked without recursion. */
function nestsDeeperThan (value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number]
    if (typeof current !== 'object' || current === null) continue
    if (depth > limit) return true
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
    }
  }
  return false
}

/** The body of an item as bytes: JSON for a JSON content type, else a string as given, or base64 (Graph's form for binary bodies). */
function payloadOf (body: unknown, contentType: string, label: string): string | Buffer {
  if (JSON_MEDIA.test(contentType)) {
    if (nestsDeeperThan(body, MAX_BODY_DEPTH)) throw fail(`${label} has a body nested deeper than ${MAX_BODY_DEPTH} levels.`)
    return JSON.stringify(body)
  }
  if (typeof body !== 'string') throw fail(`${label} has a body that is not a string, for the content type '${contentType.slice(0, 60)}'; give JSON with a JSON content type, or the body as a base64 string.`)
  if (/^text\//i.test(contentType)) return body
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(body)) throw fail(`${label} has a body that is not base64, for the content type '${contentType.slice(0, 60)}'.`)
  return Buffer.from(body, 'base64')
}

/** Every id's index, by lower-case id (ids are unique case-insensitively). */
function indexIds (requests: readonly unknown[]): Map<string, number> {
  const ids = new Map<string, number>()
  requests.forEach((request, index) => {
    const label = `The request at index ${index}`
    if (!isRecord(request)) throw fail(`${label} is not a JSON object.`)
    const id = request['id']
    if (typeof id !== 'string' || id === '') throw fail(`${label} has no 'id'; every request needs an id (a non-empty string) unique in the batch.`)
    const key = id.toLowerCase()
    if (ids.has(key)) throw fail(`The id ${shown(id)} is used by more than one request; ids must be unique in a batch (case-insensitively).`)
    ids.set(key, index)
  })
  return ids
}

function dependenciesOf (value: unknown, id: string, ids: ReadonlyMap<string, number>): number[] {
  if (value === undefined || value === null) return []
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list)) throw fail(`The request ${shown(id)} has a 'dependsOn' that is not a list of request ids.`)
  const found: number[] = []
  for (const dependency of list) {
    if (typeof dependency !== 'string') throw fail(`The request ${shown(id)} has a 'dependsOn' that is not a list of request ids.`)
    const index = ids.get(dependency.toLowerCase())
    if (index === undefined) throw fail(`The request ${shown(id)} depends on ${shown(dependency)}, which is not a request of this batch.`)
    if (!found.includes(index)) found.push(index)
  }
  return found
}

/** Throws the 400 naming a cycle in `dependsOn`, if there is one. */
function rejectCycles (items: readonly BatchItem[]): void {
  const state = new Array<0 | 1 | 2>(items.length).fill(0)
  const stack: number[] = []
  const visit = (index: number): void => {
    if (state[index] === 2) return
    if (state[index] === 1) {
      const cycle = [...stack.slice(stack.indexOf(index)), index].map((i) => shown(items[i]?.id ?? ''))
      throw fail(`The requests' dependsOn form a cycle (${cycle.join(' → ')}); a request can run only after the ones it depends on.`)
    }
    state[index] = 1
    stack.push(index)
    for (const dependency of items[index]?.dependsOn ?? []) visit(dependency)
    stack.pop()
    state[index] = 2
  }
  for (let i = 0; i < items.length; i++) visit(i)
}

/** The items of a batch body, or throws Graph's 400 for the first rule it breaks. */
export function parseBatch (body: unknown): BatchItem[] {
  if (!isRecord(body)) throw fail("The batch body must be a JSON object with a 'requests' array.")
  const requests = body['requests']
  if (!Array.isArray(requests)) throw fail("The batch body has no 'requests' array.")
  if (requests.length === 0) throw fail("The batch's 'requests' array is empty; give at least one request.")
  if (requests.length > MAX_BATCH_REQUESTS) throw fail('Number of requests inside batch exceeds the limit.')
  const ids = indexIds(requests)
  const items = requests.map((request, index): BatchItem => {
    const record = request as Record<string, unknown>
    const id = record['id'] as string
    const label = `The request ${shown(id)}`
    const method = methodOf(record['method'], label)
    const path = pathOfItemUrl(record['url'], label)
    const headers = headersOf(record['headers'], label)
    const body = record['body']
    let payload: string | Buffer | undefined
    if (body !== undefined && body !== null) {
      const contentType = headers['content-type']
      if (contentType === undefined || contentType.trim() === '') throw fail(`${label} has a body but no Content-Type header; a request with a body must say its content type.`)
      payload = payloadOf(body, contentType, label)
    }
    return { id, method, path, headers, payload, dependsOn: dependenciesOf(record['dependsOn'], id, ids) }
  })
  rejectCycles(items)
  return items
}
