// Fault rules: make chosen Graph requests fail the way Graph really fails (a 429 with Retry-After, a
// 503, a slow answer, a dropped connection), so that a test can exercise its client's retry logic.
// A rule says which requests (method, path glob or regex, query and header conditions, namespace),
// what happens (a status with Graph's error body, added latency, a reset / empty / truncated
// connection) and how often (the next N matches, a seeded probability, a time window on the mock's
// clock). This module validates rules and picks the rule a request meets; applying it to a reply is
// in fault-routes.ts. Pure: no HTTP framework import.
//
// Choices:
//  - The first rule, in the order added, that matches a request and fires answers it; a rule whose
//    probability draw says no lets the next rules have their turn.
//  - A rule whose `times` are used up stays listed, with `remaining: 0` and its `hits`, so a test
//    can check that it fired; it never fires again. DELETE removes it.
//  - Randomness (probability, a latency between minMs and maxMs) comes from a PRNG of the rule's
//    own, seeded by `seed` or, when none is given, by the rule's id: ids count up from f1 (and start
//    again after clear()), so the same rules and requests give the same outcomes on every run.
//  - Paths are compared case-insensitively (Graph's paths are), without the query string, and
//    after any /_ns/{name} prefix: the caller passes the path as Graph would see it.
//  - `from` is inclusive, `until` exclusive, both on the mock's clock.

import { GraphError } from '../errors.js'
import { parseInstant } from '../clock.js'
import { seededRandom } from '../write/ids.js'
import { invalidAdminRequest } from './admin-error.js'

export type FaultConnection = 'reset' | 'empty' | 'truncated'
export type FaultKind = 'status' | 'latency' | 'connection'

export const faultConnections: readonly FaultConnection[] = ['reset', 'empty', 'truncated']

export interface FaultMatchInput {
  /** An HTTP method (any case). */
  method?: string
  /** A glob over the path: `*` any characters ('/' included), `?` one character. */
  path?: string
  /** A regular expression over the path (case-insensitive); not with `path`. */
  pathRegex?: string
  /** Query parameters the request must have: a value, or true for any value. */
  query?: Record<string, string | true>
  /** Request headers the request must have (any case): a value, or true for any value. */
  headers?: Record<string, string | true>
  /** Only requests of this namespace. */
  namespace?: string
}

export interface FaultRespondInput {
  /** 400 to 599. */
  status: number
  /** Graph's error code; has a default for 429, 500, 503 and 504, and is required for any other status. */
  code?: string
  message?: string
  /** Retry-After in seconds; default 1 for 429 and 503, none otherwise. */
  retryAfter?: number
  /** Extra response headers (they win over the defaults, Retry-After included). */
  headers?: Record<string, string>
}

export type FaultLatencyInput = { ms: number } | { minMs: number, maxMs: number }

export interface FaultRuleInput {
  /** Which requests; none: every Graph request. */
  match?: FaultMatchInput
  respond?: FaultRespondInput
  latency?: FaultLatencyInput
  connection?: FaultConnection
  /** Fire for the next N matching requests only. */
  times?: number
  /** The chance, from 0 to 1, that a matching request is faulted. */
  probability?: number
  /** Seed of the rule's PRNG (0 to 4294967295); default: derived from the rule's id. */
  seed?: number
  /** ISO 8601 instant on the mock's clock the rule starts at (inclusive). */
  from?: string
  /** ISO 8601 instant on the mock's clock the rule ends at (exclusive). */
  until?: string
}

/** A rule as listed: what was given (normalised, defaults filled in), its id and its counters. */
export interface FaultRule {
  id: string
  match: FaultMatchInput
  respond?: Required<Pick<FaultRespondInput, 'status' | 'code' | 'message'>> & Pick<FaultRespondInput, 'retryAfter' | 'headers'>
  latency?: FaultLatencyInput
  connection?: FaultConnection
  times?: number
  /** How many more times the rule fires; null without `times`. */
  remaining: number | null
  probability?: number
  /** The PRNG's seed: the one given, or the one derived from the id. */
  seed: number
  from?: string
  until?: string
  /** How many requests the rule has faulted. */
  hits: number
  /** When the rule was added, on the mock's clock (ISO 8601). */
  created: string
}

export interface FaultRequest {
  method: string
  /** Without the /_ns/{name} prefix; a query string, if any, is ignored. */
  path: string
  query: Readonly<Record<string, string | string[] | undefined>>
  /** Lowercase names, as Node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>
  namespace: string
}

/** What a fired rule does to one request. */
export interface FaultMatch {
  ruleId: string
  /** The strongest effect: connection, else status, else latency (for the journal). */
  kind: FaultKind
  /** 0 without latency. */
  latencyMs: number
  /** The Graph error to answer with (status faults, and truncated ones that cut an error body). */
  error?: GraphError
  connection?: FaultConnection
}

interface StatusDefault {
  code: string
  message: string
  retryAfter?: number
  innerCode?: string
}

// Graph's own codes and wording. 429: the body Graph sends for a throttled request
// (activityLimitReached / "The request has been throttled" / innerError.code throttledRequest, as
// in answers seen from the service; its errors page lists activityLimitReached as "The app or user
// has been throttled"). 503 and 429 carry Retry-After (Graph's throttling page: a 503 may too).
// 500: the mock's own unexpected-failure answer (generalException).
export const statusDefaults: Readonly<Record<number, StatusDefault>> = {
  429: { code: 'activityLimitReached', message: 'The request has been throttled', retryAfter: 1, innerCode: 'throttledRequest' },
  500: { code: 'generalException', message: 'An unspecified error has occurred.' },
  503: { code: 'serviceNotAvailable', message: 'The service is not available. Try the request again after a delay.', retryAfter: 1 },
  504: { code: 'gatewayTimeout', message: 'The gateway did not receive a response from the service in time.' }
}

/** Graph's 429 for a throttled request, with Retry-After and any extra headers. */
export function throttledError (retryAfterSeconds: number, headers: Readonly<Record<string, string>> = {}): GraphError {
  const defaults = statusDefaults[429] as StatusDefault
  return new GraphError(429, defaults.code, defaults.message, { 'retry-after': String(retryAfterSeconds), ...headers }, defaults.innerCode)
}

// ---- Validation ----

const RULE_KEYS = ['match', 'respond', 'latency', 'connection', 'times', 'probability', 'seed', 'from', 'until'] as const
const MATCH_KEYS = ['method', 'path', 'pathRegex', 'query', 'headers', 'namespace'] as const
const RESPOND_KEYS = ['status', 'code', 'message', 'retryAfter', 'headers'] as const

const METHOD = /^[A-Za-z]{1,20}$/
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/
/** What Node lets through as a header value. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
/** Headers that frame the answer: a rule setting them would break the connection, not fault it. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade'])
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i

const MAX_TEXT = 2048
const MAX_REGEX_LENGTH = 1000
const MAX_LATENCY_MS = 600_000
const MAX_RETRY_AFTER = 86_400
const MAX_TIMES = 1_000_000_000
const MAX_SEED = 4_294_967_295
const MAX_CONDITIONS = 50

function describe (value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 100 ? `${value.slice(0, 100)}…` : value}'`
  if (Array.isArray(value)) return 'a list'
  if (value === null) return 'null'
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return `a ${typeof value}`
}

function isObject (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function objectOf (value: unknown, name: string, keys: readonly string[]): Record<string, unknown> {
  if (!isObject(value)) throw invalidAdminRequest(`${name} must be an object, not ${describe(value)}.`)
  const unknown = Object.keys(value).find((key) => !keys.includes(key))
  if (unknown !== undefined) throw invalidAdminRequest(`Unknown property '${unknown}' in ${name}; it takes ${keys.join(', ')}.`)
  return value
}

function textOf (value: unknown, name: string, options: { empty?: boolean, max?: number } = {}): string {
  const max = options.max ?? MAX_TEXT
  if (typeof value !== 'string') throw invalidAdminRequest(`${name} must be a string, not ${describe(value)}.`)
  if (value === '' && options.empty !== true) throw invalidAdminRequest(`${name} must not be empty.`)
  if (value.length > max) throw invalidAdminRequest(`${name} is longer than ${max} characters.`)
  return value
}

function integerOf (value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidAdminRequest(`${name} must be a whole number from ${min} to ${max}, not ${describe(value)}.`)
  }
  return value
}

function instantOf (value: unknown, name: string): number {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value)) {
    throw invalidAdminRequest(`${name} must be an ISO 8601 instant with a time zone, such as 2026-01-01T00:00:00Z, not ${describe(value)}.`)
  }
  try {
    return parseInstant(value)
  } catch {
    throw invalidAdminRequest(`${name} must be an ISO 8601 instant with a time zone, such as 2026-01-01T00:00:00Z, not ${describe(value)}.`)
  }
}

/** Conditions on query parameters or headers: name → value, or true for present. */
function conditionsOf (value: unknown, name: string, headers: boolean): Record<string, string | true> {
  if (!isObject(value)) throw invalidAdminRequest(`${name} must be an object of ${headers ? 'header' : 'parameter'} name → value or true, not ${describe(value)}.`)
  const entries = Object.entries(value)
  if (entries.length > MAX_CONDITIONS) throw invalidAdminRequest(`${name} has more than ${MAX_CONDITIONS} conditions.`)
  const conditions: Record<string, string | true> = {}
  for (const [key, expected] of entries) {
    if (headers ? !HEADER_NAME.test(key) : key === '' || key.length > 256) {
      throw invalidAdminRequest(`${name} has ${describe(key)}, which is not a ${headers ? 'header' : 'query parameter'} name.`)
    }
    if (expected !== true && typeof expected !== 'string') throw invalidAdminRequest(`${name}.${key} must be a string or true, not ${describe(expected)}.`)
    if (typeof expected === 'string' && expected.length > MAX_TEXT) throw invalidAdminRequest(`${name}.${key} is longer than ${MAX_TEXT} characters.`)
    // Node gives header names in lower case and trims header values.
    conditions[headers ? key.toLowerCase() : key] = typeof expected === 'string' && headers ? expected.trim() : expected
  }
  return conditions
}

function parseMatch (value: unknown): FaultMatchInput {
  const given = objectOf(value, 'match', MATCH_KEYS)
  const match: FaultMatchInput = {}
  if (given.method !== undefined) {
    const method = textOf(given.method, 'match.method')
    if (!METHOD.test(method)) throw invalidAdminRequest(`match.method must be an HTTP method such as GET, not ${describe(method)}.`)
    match.method = method.toUpperCase()
  }
  if (given.path !== undefined && given.pathRegex !== undefined) {
    throw invalidAdminRequest('match.path and match.pathRegex cannot both be given: a glob or a regular expression, not both.')
  }
  if (given.path !== undefined) match.path = textOf(given.path, 'match.path')
  if (given.pathRegex !== undefined) {
    const source = textOf(given.pathRegex, 'match.pathRegex', { max: MAX_REGEX_LENGTH })
    try {
      void new RegExp(source, 'i')
    } catch (error) {
      throw invalidAdminRequest(`match.pathRegex is not a valid regular expression: ${(error as Error).message}.`)
    }
    match.pathRegex = source
  }
  if (given.query !== undefined) match.query = conditionsOf(given.query, 'match.query', false)
  if (given.headers !== undefined) match.headers = conditionsOf(given.headers, 'match.headers', true)
  if (given.namespace !== undefined) match.namespace = textOf(given.namespace, 'match.namespace', { max: 256 })
  return match
}

function parseRespond (value: unknown): NonNullable<FaultRule['respond']> {
  const given = objectOf(value, 'respond', RESPOND_KEYS)
  if (given.status === undefined) throw invalidAdminRequest('respond.status is required: the status to answer with, from 400 to 599.')
  const status = integerOf(given.status, 'respond.status', 400, 599)
  const defaults = statusDefaults[status]
  if (given.code === undefined && defaults === undefined) {
    throw invalidAdminRequest(`respond.code is required for status ${status}: only ${Object.keys(statusDefaults).join(', ')} have a default code.`)
  }
  const code = given.code === undefined ? (defaults as StatusDefault).code : textOf(given.code, 'respond.code', { max: 256 })
  const message = given.message !== undefined
    ? textOf(given.message, 'respond.message', { empty: true, max: 4096 })
    : defaults?.code === code ? defaults.message : `A fault rule answered this request with ${status} ${code}.`
  const respond: NonNullable<FaultRule['respond']> = { status, code, message }
  const retryAfter = given.retryAfter === undefined ? defaults?.retryAfter : integerOf(given.retryAfter, 'respond.retryAfter', 0, MAX_RETRY_AFTER)
  if (retryAfter !== undefined) respond.retryAfter = retryAfter
  if (given.headers !== undefined) {
    if (!isObject(given.headers)) throw invalidAdminRequest(`respond.headers must be an object of header name → value, not ${describe(given.headers)}.`)
    const headers: Record<string, string> = {}
    for (const [name, headerValue] of Object.entries(given.headers)) {
      if (!HEADER_NAME.test(name)) throw invalidAdminRequest(`respond.headers has ${describe(name)}, which is not a header name.`)
      const lower = name.toLowerCase()
      if (FRAMING_HEADERS.has(lower)) throw invalidAdminRequest(`respond.headers cannot set ${lower}: it frames the answer; use connection 'truncated' to cut an answer short.`)
      if (typeof headerValue !== 'string' || headerValue.length > MAX_TEXT || !HEADER_VALUE.test(headerValue)) {
        throw invalidAdminRequest(`respond.headers.${name} must be a string that can be sent in a header, not ${describe(headerValue)}.`)
      }
      headers[lower] = headerValue
    }
    respond.headers = headers
  }
  return respond
}

function parseLatency (value: unknown): FaultLatencyInput {
  const given = objectOf(value, 'latency', ['ms', 'minMs', 'maxMs'])
  if (given.ms !== undefined) {
    if (given.minMs !== undefined || given.maxMs !== undefined) throw invalidAdminRequest('latency takes either ms, or minMs and maxMs, not both.')
    return { ms: integerOf(given.ms, 'latency.ms', 0, MAX_LATENCY_MS) }
  }
  if (given.minMs === undefined || given.maxMs === undefined) {
    throw invalidAdminRequest('latency needs ms (a fixed delay), or minMs and maxMs (a uniform one).')
  }
  const minMs = integerOf(given.minMs, 'latency.minMs', 0, MAX_LATENCY_MS)
  const maxMs = integerOf(given.maxMs, 'latency.maxMs', 0, MAX_LATENCY_MS)
  if (minMs > maxMs) throw invalidAdminRequest(`latency.minMs (${minMs}) must not be above latency.maxMs (${maxMs}).`)
  return { minMs, maxMs }
}

/** A validated rule, before it has an id. */
export type ParsedFaultRule = Omit<FaultRule, 'id' | 'remaining' | 'seed' | 'hits' | 'created'> & { seed?: number }

/**
 * Validates a fault rule as posted to /__admin/faults (or given to the programmatic API); anything
 * it cannot use is an AdminError 400 (invalidRequest) naming the field. Returns it normalised:
 * the method in upper case, header names in lower case, the status's default code, message and
 * Retry-After filled in.
 */
export function parseFaultRule (body: unknown): ParsedFaultRule {
  if (body === undefined) throw invalidAdminRequest('A fault rule must be a JSON object; the body was empty.')
  if (!isObject(body)) throw invalidAdminRequest(`A fault rule must be a JSON object, not ${describe(body)}.`)
  const unknown = Object.keys(body).find((key) => !(RULE_KEYS as readonly string[]).includes(key))
  if (unknown !== undefined) throw invalidAdminRequest(`Unknown property '${unknown}' in the fault rule; it takes ${RULE_KEYS.join(', ')}.`)
  const rule: ParsedFaultRule = { match: body.match === undefined ? {} : parseMatch(body.match) }
  if (body.respond !== undefined) rule.respond = parseRespond(body.respond)
  if (body.latency !== undefined) rule.latency = parseLatency(body.latency)
  if (body.connection !== undefined) {
    if (!faultConnections.includes(body.connection as FaultConnection)) {
      throw invalidAdminRequest(`connection must be one of ${faultConnections.join(', ')}, not ${describe(body.connection)}.`)
    }
    rule.connection = body.connection as FaultConnection
  }
  if (rule.respond === undefined && rule.latency === undefined && rule.connection === undefined) {
    throw invalidAdminRequest('A fault rule needs an effect: respond (a status), latency, or connection.')
  }
  if (rule.respond !== undefined && (rule.connection === 'reset' || rule.connection === 'empty')) {
    throw invalidAdminRequest(`connection '${rule.connection}' closes the connection before any answer, so it cannot have respond; connection 'truncated' cuts the respond answer short.`)
  }
  if (body.times !== undefined) rule.times = integerOf(body.times, 'times', 1, MAX_TIMES)
  if (body.probability !== undefined) {
    const p = body.probability
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1) throw invalidAdminRequest(`probability must be a number from 0 to 1, not ${describe(p)}.`)
    rule.probability = p
  }
  if (body.seed !== undefined) rule.seed = integerOf(body.seed, 'seed', 0, MAX_SEED)
  const from = body.from === undefined ? undefined : instantOf(body.from, 'from')
  const until = body.until === undefined ? undefined : instantOf(body.until, 'until')
  if (from !== undefined && until !== undefined && until <= from) throw invalidAdminRequest(`until (${String(body.until)}) must be after from (${String(body.from)}).`)
  if (from !== undefined) rule.from = new Date(from).toISOString()
  if (until !== undefined) rule.until = new Date(until).toISOString()
  return rule
}

// ---- Matching ----

/** A glob as an anchored, case-insensitive regular expression: `*` any characters, `?` one. */
export function globToRegExp (glob: string): RegExp {
  let source = ''
  for (const c of glob) {
    if (c === '*') source += '.*'
    else if (c === '?') source += '.'
    else source += c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')
  }
  return new RegExp(`^${source}$`, 'is')
}

/** A seed from a rule's id (FNV-1a), for rules that give none. */
function seedOf (id: string): number {
  let hash = 2166136261
  for (const c of `fault ${id}`) hash = Math.imul(hash ^ c.charCodeAt(0), 16777619) >>> 0
  return hash
}

function conditionHolds (actual: string | string[] | undefined, expected: string | true): boolean {
  if (actual === undefined) return false
  if (expected === true) return true
  return Array.isArray(actual) ? actual.includes(expected) : actual === expected
}

interface Held {
  readonly rule: FaultRule
  readonly path: RegExp | undefined
  readonly from: number
  readonly until: number
  readonly random: () => number
}

/**
 * The fault rules of one namespace. A rule of the default namespace may name another namespace
 * (match.namespace) and then acts on that namespace's requests; a rule of any other namespace acts
 * on its own requests only, so naming another there is refused.
 */
export class FaultRules {
  readonly #rules: Held[] = []
  #next = 1

  /** `owner`: the namespace the rules belong to, unless it is the default one (which may aim at others). */
  constructor (private readonly owner?: string) {}

  /** How many rules are held (used-up ones included): 0 means no request needs looking at. */
  get size (): number {
    return this.#rules.length
  }

  /**
   * Adds a rule, validated here too (parseFaultRule), so the programmatic API gets the checks of the
   * admin API; `now` is the mock's clock.
   */
  add (input: FaultRuleInput, now: number): FaultRule {
    const parsed = parseFaultRule(input)
    const named = parsed.match.namespace
    if (this.owner !== undefined && named !== undefined && named !== this.owner) {
      throw invalidAdminRequest(`match.namespace '${named}' is not this namespace ('${this.owner}'): a namespace's rules act on its own requests; add the rule to '${named}', or to the default namespace with match.namespace.`)
    }
    const id = `f${this.#next++}`
    const seed = parsed.seed ?? seedOf(id)
    const rule: FaultRule = {
      id,
      match: parsed.match,
      ...(parsed.respond === undefined ? {} : { respond: parsed.respond }),
      ...(parsed.latency === undefined ? {} : { latency: parsed.latency }),
      ...(parsed.connection === undefined ? {} : { connection: parsed.connection }),
      ...(parsed.times === undefined ? {} : { times: parsed.times }),
      remaining: parsed.times ?? null,
      ...(parsed.probability === undefined ? {} : { probability: parsed.probability }),
      seed,
      ...(parsed.from === undefined ? {} : { from: parsed.from }),
      ...(parsed.until === undefined ? {} : { until: parsed.until }),
      hits: 0,
      created: new Date(now).toISOString()
    }
    const { path, pathRegex } = parsed.match
    this.#rules.push({
      rule,
      path: path !== undefined ? globToRegExp(path) : pathRegex !== undefined ? new RegExp(pathRegex, 'i') : undefined,
      from: parsed.from === undefined ? -Infinity : Date.parse(parsed.from),
      until: parsed.until === undefined ? Infinity : Date.parse(parsed.until),
      random: seededRandom(seed)
    })
    return copy(rule)
  }

  list (): FaultRule[] {
    return this.#rules.map((held) => copy(held.rule))
  }

  get (id: string): FaultRule | undefined {
    const held = this.#rules.find((h) => h.rule.id === id)
    return held === undefined ? undefined : copy(held.rule)
  }

  delete (id: string): boolean {
    const index = this.#rules.findIndex((h) => h.rule.id === id)
    if (index === -1) return false
    this.#rules.splice(index, 1)
    return true
  }

  /** No rules, and ids start again from f1 (a reset gives the same ids, and seeds, as a fresh start). */
  clear (): void {
    this.#rules.length = 0
    this.#next = 1
  }

  /**
   * The fault for `request`, if a rule fires: the first rule, in the order added, whose window holds
   * `now`, that has times left, whose conditions the request meets, and whose probability draw (if
   * any) says yes. Firing counts the rule's hit and uses one of its times.
   */
  match (request: FaultRequest, now: number, onlyNamed = false): FaultMatch | undefined {
    let path: string | undefined
    for (const held of this.#rules) {
      const { rule } = held
      if (rule.remaining === 0 || now < held.from || now >= held.until) continue
      const m = rule.match
      if (onlyNamed && m.namespace === undefined) continue
      if (m.namespace !== undefined && m.namespace !== request.namespace) continue
      if (m.method !== undefined && m.method !== request.method.toUpperCase()) continue
      if (held.path !== undefined) {
        path ??= request.path.split('?', 1)[0] ?? ''
        if (!held.path.test(path)) continue
      }
      if (m.query !== undefined && !Object.entries(m.query).every(([name, expected]) => conditionHolds(request.query[name], expected))) continue
      if (m.headers !== undefined && !Object.entries(m.headers).every(([name, expected]) => conditionHolds(request.headers[name], expected))) continue
      if (rule.probability !== undefined && !(held.random() < rule.probability)) continue
      if (rule.remaining !== null) rule.remaining--
      rule.hits++
      return faultOf(rule, held.random)
    }
    return undefined
  }
}

function copy (rule: FaultRule): FaultRule {
  return structuredClone(rule)
}

function faultOf (rule: FaultRule, random: () => number): FaultMatch {
  let latencyMs = 0
  if (rule.latency !== undefined) {
    latencyMs = 'ms' in rule.latency
      ? rule.latency.ms
      : rule.latency.minMs + Math.floor(random() * (rule.latency.maxMs - rule.latency.minMs + 1))
  }
  const kind: FaultKind = rule.connection !== undefined ? 'connection' : rule.respond !== undefined ? 'status' : 'latency'
  const match: FaultMatch = { ruleId: rule.id, kind, latencyMs }
  if (rule.connection !== undefined) match.connection = rule.connection
  const respond = rule.respond
  if (respond !== undefined) {
    const headers: Record<string, string> = {
      ...(respond.retryAfter === undefined ? {} : { 'retry-after': String(respond.retryAfter) }),
      ...respond.headers
    }
    match.error = new GraphError(respond.status, respond.code, respond.message, headers, respond.status === 429 ? statusDefaults[429]?.innerCode : undefined)
  }
  return match
}
