// The request journal: what each Graph request sent and got back, so a test can check what the code
// under test did (`GET /__admin/requests`) or hold until it has done it (`POST /__admin/requests/wait`).
// Pure: no HTTP framework import; the routes and the hook that builds entries are in journal-routes.ts.
//
// The journal is a bounded ring: when it is full, each new entry takes the place of the oldest one and
// `dropped` counts what went, so a long-running mock keeps a fixed amount of memory and a test can tell
// that what it reads is not everything. It grows only as entries arrive, so an unused journal (one per
// namespace) costs nothing. Recording is O(1): an overwrite, never a shift of the whole array.
//
// A wait keeps its own list of the entries it matched, so the ring dropping them (or a clear) does not
// take them away from a wait in progress.

import { invalidAdminRequest } from './admin-error.js'

/** A fault the mock applied to a request. */
export interface JournalFault {
  readonly id: string
  readonly kind: string
}

export interface JournalEntry {
  /** The entry's number in its journal, as a string: '1', '2', …; never reused, not even after a clear. */
  readonly id: string
  /** The request's `request-id` (the GUID the answer carried). */
  readonly requestId: string
  readonly namespace: string
  /** When the request arrived, on the mock's clock (ISO 8601). */
  readonly time: string
  readonly method: string
  /** The URL as sent: with any /_ns/{name} prefix and the query string. */
  readonly url: string
  /** The path: without the /_ns/{name} prefix and without the query string. */
  readonly path: string
  /** Lowercase names; the bearer token is redacted to its first characters. */
  readonly headers: Readonly<Record<string, string>>
  /** Parsed JSON, a string, or null when there was no body. */
  readonly body: unknown
  readonly status: number
  readonly responseHeaders: Readonly<Record<string, string>>
  readonly durationMs: number
  readonly fault: JournalFault | null
  /** A retry sent before the Retry-After of a throttled answer had passed. */
  readonly earlyRetry: boolean
}

/** An entry as recorded: the journal gives it its id. */
export type NewJournalEntry = Omit<JournalEntry, 'id'>

export type StatusClass = '1xx' | '2xx' | '3xx' | '4xx' | '5xx'

/** A request header that must be present (no value) or have exactly this value. */
export interface JournalHeaderCondition {
  /** Lowercase. */
  readonly name: string
  readonly value?: string
}

/** Every condition given must hold. */
export interface JournalFilter {
  /** Upper case. */
  readonly method?: string
  /** A prefix of the entry's path (case-sensitive). */
  readonly path?: string
  /** Tested against the entry's path. */
  readonly pathRegex?: RegExp
  readonly status?: number | StatusClass
  readonly headers?: readonly JournalHeaderCondition[]
  /** Entries at or after this instant (ISO 8601). */
  readonly since?: string
  /** At most this many entries: the most recent ones, still oldest first. Not a condition of wait. */
  readonly limit?: number
}

export interface JournalOptions {
  /** How many entries the journal keeps (0 keeps none; waits still see entries as they arrive). */
  limit: number
}

export interface JournalWaitResult {
  /** Whether `count` matching entries arrived before the timeout (or the wait was ended). */
  complete: boolean
  /** The matching entries: those already there when the wait began, then those that arrived, in order. */
  requests: JournalEntry[]
}

type Predicate = (entry: JournalEntry) => boolean

interface Waiter {
  readonly matches: (entry: JournalEntry) => boolean
  readonly count: number
  readonly requests: JournalEntry[]
  settle: (complete: boolean) => void
}

/** The longest timer Node keeps (a longer one fires at once). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

export class Journal {
  readonly #limit: number
  /** The ring: filled by push up to the limit, then overwritten from #start (the oldest). */
  #entries: JournalEntry[] = []
  #start = 0
  #dropped = 0
  #nextId = 1
  #closed = false
  readonly #waiters = new Set<Waiter>()

  constructor (options: JournalOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 0) throw new RangeError(`A journal limit is a whole number of 0 or more, not ${String(options.limit)}.`)
    this.#limit = options.limit
  }

  /** How many entries went to make room for newer ones since the journal began or was cleared. */
  get dropped (): number {
    return this.#dropped
  }

  /** How many entries the journal holds. */
  get size (): number {
    return this.#entries.length
  }

  get limit (): number {
    return this.#limit
  }

  record (entry: NewJournalEntry): JournalEntry {
    const recorded: JournalEntry = { id: String(this.#nextId++), ...entry }
    if (this.#entries.length < this.#limit) {
      this.#entries.push(recorded)
    } else if (this.#limit === 0) {
      this.#dropped++
    } else {
      this.#entries[this.#start] = recorded
      this.#start = this.#start + 1 === this.#limit ? 0 : this.#start + 1
      this.#dropped++
    }
    if (this.#waiters.size > 0) {
      for (const waiter of this.#waiters) {
        if (!waiter.matches(recorded)) continue
        waiter.requests.push(recorded)
        if (waiter.requests.length >= waiter.count) waiter.settle(true)
      }
    }
    return recorded
  }

  /** The matching entries, oldest first (with `limit`, the most recent ones). */
  list (filter: JournalFilter = {}): JournalEntry[] {
    const matches = predicateOf(filter)
    const found: JournalEntry[] = []
    this.#each((entry) => { if (matches(entry)) found.push(entry) })
    return filter.limit === undefined || found.length <= filter.limit ? found : found.slice(found.length - filter.limit)
  }

  count (filter: JournalFilter = {}): number {
    let count = 0
    if (isEmpty(filter)) {
      count = this.#entries.length
    } else {
      const matches = predicateOf(filter)
      this.#each((entry) => { if (matches(entry)) count++ })
    }
    return filter.limit === undefined ? count : Math.min(count, filter.limit)
  }

  /** Empties the journal and sets `dropped` back to 0. Waits in progress keep what they matched. */
  clear (): void {
    this.#entries = []
    this.#start = 0
    this.#dropped = 0
  }

  /**
   * Resolves once `count` entries match the filter (those already in the journal count), with
   * complete: true; or after timeoutMs, when the signal aborts, or when the journal is closed, with
   * complete: false and what did match. `filter.limit` plays no part.
   */
  async wait (filter: JournalFilter, count: number, timeoutMs: number, signal?: AbortSignal): Promise<JournalWaitResult> {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`A wait count is a whole number of 0 or more, not ${String(count)}.`)
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new RangeError(`A wait timeout is a number of milliseconds of 0 or more, not ${String(timeoutMs)}.`)
    const matches = predicateOf(filter)
    const requests: JournalEntry[] = []
    this.#each((entry) => { if (matches(entry)) requests.push(entry) })
    if (requests.length >= count) return { complete: true, requests }
    if (timeoutMs === 0 || this.#closed || signal?.aborted === true) return { complete: false, requests }
    return await new Promise<JournalWaitResult>((resolve) => {
      const onAbort = (): void => { waiter.settle(false) }
      const waiter: Waiter = {
        matches,
        count,
        requests,
        settle: (complete) => {
          clearTimeout(timer)
          signal?.removeEventListener('abort', onAbort)
          this.#waiters.delete(waiter)
          resolve({ complete, requests })
        }
      }
      // unref: a wait in progress never keeps the process alive on its own.
      const timer = setTimeout(() => { waiter.settle(false) }, Math.min(timeoutMs, MAX_TIMEOUT_MS))
      timer.unref()
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiters.add(waiter)
    })
  }

  /** How many waits are in progress. */
  get waiting (): number {
    return this.#waiters.size
  }

  /** For shutdown: every wait in progress resolves as incomplete, and so does every later one at once. */
  close (): void {
    this.#closed = true
    for (const waiter of [...this.#waiters]) waiter.settle(false)
  }

  #each (visit: (entry: JournalEntry) => void): void {
    const entries = this.#entries
    const length = entries.length
    for (let i = 0; i < length; i++) {
      const index = this.#start + i
      visit(entries[index < length ? index : index - length] as JournalEntry)
    }
  }
}

function isEmpty (filter: JournalFilter): boolean {
  return filter.method === undefined && filter.path === undefined && filter.pathRegex === undefined &&
    filter.status === undefined && (filter.headers === undefined || filter.headers.length === 0) && filter.since === undefined
}

/** One function testing every condition of the filter (`limit` is not a condition). */
export function predicateOf (filter: JournalFilter): Predicate {
  const conditions: Predicate[] = []
  const { method, path, pathRegex, status, headers, since } = filter
  if (method !== undefined) {
    const upper = method.toUpperCase()
    conditions.push((entry) => entry.method.toUpperCase() === upper)
  }
  if (path !== undefined) conditions.push((entry) => entry.path.startsWith(path))
  if (pathRegex !== undefined) {
    // A global or sticky regex keeps state between tests; this one must not.
    const regex = /[gy]/.test(pathRegex.flags) ? new RegExp(pathRegex.source, pathRegex.flags.replace(/[gy]/g, '')) : pathRegex
    conditions.push((entry) => regex.test(entry.path))
  }
  if (typeof status === 'number') {
    conditions.push((entry) => entry.status === status)
  } else if (status !== undefined) {
    const hundreds = Number(status[0])
    conditions.push((entry) => Math.floor(entry.status / 100) === hundreds)
  }
  for (const header of headers ?? []) {
    const name = header.name.toLowerCase()
    const value = header.value
    conditions.push(value === undefined
      ? (entry) => Object.hasOwn(entry.headers, name)
      : (entry) => Object.hasOwn(entry.headers, name) && entry.headers[name] === value)
  }
  if (since !== undefined) {
    const sinceMs = Date.parse(since)
    conditions.push((entry) => Date.parse(entry.time) >= sinceMs)
  }
  if (conditions.length === 0) return () => true
  if (conditions.length === 1) return conditions[0] as Predicate
  return (entry) => conditions.every((condition) => condition(entry))
}

// ---- Filters from a query string or a JSON object ----

export type JournalFilterSource = 'query' | 'filter'

const QUERY_FILTERS = ['method', 'path', 'pathRegex', 'status', 'header', 'since', 'limit'] as const
const BODY_FILTERS = ['method', 'path', 'pathRegex', 'status', 'header', 'headers', 'since'] as const

const METHOD = /^[A-Za-z]{1,20}$/
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/
const STATUS_CLASS = /^[1-5]xx$/i
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i
const MAX_REGEX_LENGTH = 1000

/**
 * The filter a query string (`GET /__admin/requests?...`, source 'query': string values, `header`
 * repeatable, `limit` allowed) or a JSON object (the `filter` of a wait, source 'filter': numbers as
 * numbers, `header` a string or an array, `headers` an object of name → value or true, no `limit`)
 * asks for. Any value it cannot use is a 400 naming the parameter.
 */
export function parseJournalFilter (input: unknown, source: JournalFilterSource = 'query'): JournalFilter {
  if (input === undefined || input === null) return {}
  if (typeof input !== 'object' || Array.isArray(input)) throw invalidAdminRequest(`The ${source === 'query' ? 'query' : 'filter'} must be an object of filters, not ${describe(input)}.`)
  const values = input as Record<string, unknown>
  const allowed: readonly string[] = source === 'query' ? QUERY_FILTERS : BODY_FILTERS
  const name = (parameter: string): string => source === 'query' ? `The query parameter '${parameter}'` : `filter.${parameter}`
  const filter: { -readonly [K in keyof JournalFilter]: JournalFilter[K] } = {}
  const headers: JournalHeaderCondition[] = []
  for (const key of Object.keys(values)) {
    if (!allowed.includes(key)) throw invalidAdminRequest(`${source === 'query' ? 'Unknown query parameter' : 'Unknown filter'} '${key}'; the filters are ${allowed.join(', ')}.`)
    const value = values[key]
    if (value === undefined) continue
    switch (key) {
      case 'method': {
        const text = single(value, name(key))
        if (!METHOD.test(text)) throw invalidAdminRequest(`${name(key)} must be an HTTP method such as GET, not ${describe(value)}.`)
        filter.method = text.toUpperCase()
        break
      }
      case 'path': {
        const text = single(value, name(key))
        if (!text.startsWith('/')) throw invalidAdminRequest(`${name(key)} must be a path starting with /, not ${describe(value)}.`)
        filter.path = text
        break
      }
      case 'pathRegex':
        filter.pathRegex = regexOf(value, name(key))
        break
      case 'status':
        filter.status = statusOf(value, name(key))
        break
      case 'header':
        for (const item of Array.isArray(value) ? value as unknown[] : [value]) headers.push(headerConditionOf(item, name(key)))
        break
      case 'headers':
        headers.push(...headerObjectOf(value, name(key)))
        break
      case 'since':
        filter.since = instantOf(value, name(key))
        break
      case 'limit':
        filter.limit = wholeNumberOf(value, name(key))
        break
    }
  }
  if (headers.length > 0) filter.headers = headers
  return filter
}

function describe (value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 100 ? `${value.slice(0, 100)}…` : value}'`
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'null'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return `a ${typeof value}`
}

/** A string given once (a query parameter repeated comes as an array). */
function single (value: unknown, name: string): string {
  if (Array.isArray(value)) throw invalidAdminRequest(`${name} may be given only once.`)
  if (typeof value !== 'string') throw invalidAdminRequest(`${name} must be a string, not ${describe(value)}.`)
  return value
}

function regexOf (value: unknown, name: string): RegExp {
  if (value instanceof RegExp) return value
  const source = single(value, name)
  if (source.length > MAX_REGEX_LENGTH) throw invalidAdminRequest(`${name} is longer than ${MAX_REGEX_LENGTH} characters.`)
  try {
    return new RegExp(source)
  } catch (error) {
    throw invalidAdminRequest(`${name} is not a valid regular expression: ${(error as Error).message}.`)
  }
}

function statusOf (value: unknown, name: string): number | StatusClass {
  const text = typeof value === 'number' ? String(value) : single(value, name)
  if (/^\d{3}$/.test(text) && Number(text) >= 100 && Number(text) <= 599) return Number(text)
  if (STATUS_CLASS.test(text)) return text.toLowerCase() as StatusClass
  throw invalidAdminRequest(`${name} must be a status from 100 to 599 or a class such as 4xx, not ${describe(value)}.`)
}

function headerConditionOf (value: unknown, name: string): JournalHeaderCondition {
  if (typeof value !== 'string') throw invalidAdminRequest(`${name} must be a header name, or name:value, not ${describe(value)}.`)
  const colon = value.indexOf(':')
  const header = (colon === -1 ? value : value.slice(0, colon)).trim()
  if (!HEADER_NAME.test(header)) throw invalidAdminRequest(`${name} must be a header name, or name:value, not ${describe(value)}.`)
  // Node trims header values, so the value asked for is trimmed too (`name: value` finds `value`).
  return colon === -1 ? { name: header.toLowerCase() } : { name: header.toLowerCase(), value: value.slice(colon + 1).trim() }
}

function headerObjectOf (value: unknown, name: string): JournalHeaderCondition[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidAdminRequest(`${name} must be an object of header name → value or true, not ${describe(value)}.`)
  return Object.entries(value as Record<string, unknown>).map(([header, expected]) => {
    if (!HEADER_NAME.test(header)) throw invalidAdminRequest(`${name} has '${header}', which is not a header name.`)
    if (expected === true) return { name: header.toLowerCase() }
    if (typeof expected === 'string') return { name: header.toLowerCase(), value: expected.trim() }
    throw invalidAdminRequest(`${name}.${header} must be a string or true, not ${describe(expected)}.`)
  })
}

function instantOf (value: unknown, name: string): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString()
  const text = single(value, name)
  const ms = Date.parse(text)
  if (!INSTANT.test(text) || Number.isNaN(ms)) throw invalidAdminRequest(`${name} must be an ISO 8601 instant such as 2026-01-01T00:00:00Z, not ${describe(value)}.`)
  return new Date(ms).toISOString()
}

function wholeNumberOf (value: unknown, name: string): number {
  const text = typeof value === 'number' ? String(value) : single(value, name)
  if (!/^\d{1,9}$/.test(text)) throw invalidAdminRequest(`${name} must be a whole number of 0 or more, not ${describe(value)}.`)
  return Number(text)
}

// ---- Headers as the journal keeps them ----

export type HeaderValues = Readonly<Record<string, string | number | readonly string[] | undefined>>

/** Shown in place of a token or a credential. */
const REDACTED_KEEP = 8

/**
 * Headers as plain strings: lowercase names, and several values joined as Node joins a repeated
 * request header (`; ` for cookie, `, ` for the others); numbers (content-length) as text.
 */
export function plainHeaders (headers: HeaderValues): Record<string, string> {
  const plain: Record<string, string> = {}
  // Once per journaled request: a plain loop over the keys, no [name, value] pairs.
  for (const rawName of Object.keys(headers)) {
    const value = headers[rawName]
    if (value === undefined) continue
    const name = rawName.toLowerCase()
    const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : value.join(name === 'cookie' ? '; ' : ', ')
    const before = plain[name]
    plain[name] = before === undefined ? text : `${before}${name === 'cookie' ? '; ' : ', '}${text}`
  }
  return plain
}

/**
 * plainHeaders, with credentials cut to their first characters: `authorization: Bearer eyJhbGci…`
 * (the scheme, then the first 8 characters of the token and an ellipsis; a token of 8 characters
 * or fewer shows none of them). The same for proxy-authorization.
 */
export function redactHeaders (headers: HeaderValues): Record<string, string> {
  const plain = plainHeaders(headers)
  for (const name of ['authorization', 'proxy-authorization']) {
    const value = plain[name]
    if (value !== undefined) plain[name] = redactCredentials(value)
  }
  return plain
}

export function redactCredentials (value: string): string {
  const match = /^(\S+)\s+(.*)$/s.exec(value.trim())
  const scheme = match === null ? undefined : match[1]
  const secret = match === null ? value.trim() : (match[2] as string)
  const shown = secret.length > REDACTED_KEEP ? `${secret.slice(0, REDACTED_KEEP)}…` : '…'
  return scheme === undefined ? shown : `${scheme} ${shown}`
}
