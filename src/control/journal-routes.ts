// The request journal over HTTP, relative to the prefix the admin plugin registers it under
// (/__admin):
//
//   GET    /requests        ?method&path&pathRegex&status&header(repeatable)&since&limit -> 200 { requests, dropped }
//   GET    /requests/count  the same filters                                           -> 200 { count }
//   DELETE /requests                                                                   -> 204
//   POST   /requests/wait   { count, timeoutMs, filter }     -> 200 { requests }, or 408 { error, requests }
//
// and journalEntryOf, which an onResponse hook uses to turn a request and its answer into an entry.
// Bad input is thrown as an AdminError; the admin plugin's error handler answers it. Nothing here is
// validated by Fastify's schema validator (it would coerce and drop values silently): the schemas
// describe the routes in /openapi.json, and the handlers check what they are sent.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AdminError, adminErrorBody, invalidAdminRequest } from './admin-error.js'
import { parseJournalFilter, plainHeaders, redactHeaders, type Journal, type JournalFault, type NewJournalEntry } from './journal.js'

export interface JournalRoutesOptions {
  /** The journal of the request's namespace. */
  journalFor: (request: FastifyRequest) => Journal
  /** The longest timeoutMs a wait may ask for; default 60000. */
  maxWaitMs?: number
}

/** A wait's timeout when the body gives none (or the maximum, if that is less). */
export const DEFAULT_WAIT_MS = 5000
export const DEFAULT_MAX_WAIT_MS = 60_000

/** Text bodies (and JSON bodies, as text) longer than this are cut, with a marker saying how much went. */
export const MAX_JOURNAL_BODY_CHARS = 65_536

const noValidation = () => () => true

const tags = ['admin']

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const

/** Every field is declared, so the serializer keeps them all; fields added later pass too. */
export const journalEntrySchema = {
  type: 'object',
  additionalProperties: true,
  required: ['id', 'requestId', 'namespace', 'time', 'method', 'url', 'path', 'headers', 'body', 'status', 'responseHeaders', 'durationMs', 'fault', 'earlyRetry'],
  properties: {
    id: { type: 'string', description: 'The entry\'s number in its journal.' },
    requestId: { type: 'string', description: 'The request-id the answer carried.' },
    namespace: { type: 'string' },
    time: { type: 'string', format: 'date-time', description: 'When the request arrived, on the mock\'s clock.' },
    method: { type: 'string' },
    url: { type: 'string', description: 'As sent: with any /_ns/{name} prefix and the query string.' },
    path: { type: 'string', description: 'Without the /_ns/{name} prefix and the query string.' },
    headers: { ...stringMap, description: 'Lowercase names; the bearer token cut to its first characters.' },
    body: { description: `The parsed JSON body, the text body, or null; text beyond ${MAX_JOURNAL_BODY_CHARS} characters is cut.` },
    status: { type: 'integer' },
    responseHeaders: stringMap,
    durationMs: { type: 'number' },
    fault: {
      type: ['object', 'null'],
      description: 'The fault rule applied, if any.',
      additionalProperties: true,
      properties: { id: { type: 'string' }, kind: { type: 'string' } }
    },
    earlyRetry: { type: 'boolean', description: 'Sent before the Retry-After of a throttled answer had passed.' }
  }
} as const

const entries = { type: 'array', items: journalEntrySchema } as const

const adminError = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } }
  }
} as const

const badRequest = { description: 'A filter or a body the journal cannot use; the message names it.', ...adminError }

const filterQuery = {
  type: 'object',
  properties: {
    method: { type: 'string', description: 'The HTTP method (any case).' },
    path: { type: 'string', description: 'A prefix of the path (without /_ns/{name} and the query string).' },
    pathRegex: { type: 'string', description: 'A regular expression tested against the path.' },
    status: { type: 'string', description: 'A status (429) or a class (4xx).' },
    header: { type: 'array', items: { type: 'string' }, description: 'A request header present (name) or equal (name:value); repeatable, all must hold.' },
    since: { type: 'string', format: 'date-time', description: 'Entries at or after this instant, on the mock\'s clock.' }
  }
} as const

const listQuery = {
  type: 'object',
  properties: {
    ...filterQuery.properties,
    limit: { type: 'integer', minimum: 0, description: 'At most this many entries: the most recent ones, oldest first.' }
  }
} as const

const waitBody = {
  type: 'object',
  properties: {
    count: { type: 'integer', minimum: 1, default: 1, description: 'How many matching requests to wait for (those already journaled count).' },
    timeoutMs: { type: 'integer', minimum: 0, default: DEFAULT_WAIT_MS, description: 'How long to wait at most.' },
    filter: {
      type: 'object',
      description: 'The conditions of GET /requests (no limit); header is a string or a list; headers is an object of name → value, or true for present.',
      properties: {
        ...filterQuery.properties,
        status: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
        header: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        headers: { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'boolean', enum: [true] }] } }
      }
    }
  }
} as const

const WAIT_KEYS = ['count', 'timeoutMs', 'filter']

interface WaitRequest {
  count: number
  timeoutMs: number
  filter: ReturnType<typeof parseJournalFilter>
}

function waitRequestOf (body: unknown, maxWaitMs: number): WaitRequest {
  if (body === undefined || body === null) body = {}
  if (typeof body !== 'object' || Array.isArray(body)) throw invalidAdminRequest('The body must be a JSON object: { "count", "timeoutMs", "filter" }.')
  const values = body as Record<string, unknown>
  const unknown = Object.keys(values).find((key) => !WAIT_KEYS.includes(key))
  if (unknown !== undefined) throw invalidAdminRequest(`Unknown property '${unknown}'; a wait takes ${WAIT_KEYS.join(', ')}.`)
  const { count = 1, timeoutMs = Math.min(DEFAULT_WAIT_MS, maxWaitMs), filter } = values
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 1_000_000) {
    throw invalidAdminRequest(`count must be a whole number from 1 to 1000000, not ${JSON.stringify(count)}.`)
  }
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 0 || timeoutMs > maxWaitMs) {
    throw invalidAdminRequest(`timeoutMs must be a whole number of milliseconds from 0 to ${maxWaitMs}, not ${JSON.stringify(timeoutMs)}.`)
  }
  return { count, timeoutMs, filter: parseJournalFilter(filter, 'filter') }
}

export async function journalRoutes (app: FastifyInstance, options: JournalRoutesOptions): Promise<void> {
  const { journalFor } = options
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS
  if (!Number.isInteger(maxWaitMs) || maxWaitMs < 0) throw new RangeError(`maxWaitMs is a whole number of 0 or more, not ${String(maxWaitMs)}.`)

  // A wait in progress must not hold a closing server open until its timeout: it answers at once,
  // with what it has.
  const closing = new AbortController()
  app.addHook('preClose', async () => { closing.abort() })

  app.get('/requests', {
    validatorCompiler: noValidation,
    schema: {
      summary: 'List journaled Graph requests',
      description: 'Every Graph request of the namespace, oldest first, with its answer. dropped: how many entries went to make room (the journal is bounded).',
      tags,
      querystring: listQuery,
      response: {
        200: { type: 'object', required: ['requests', 'dropped'], properties: { requests: entries, dropped: { type: 'integer' } } },
        400: badRequest
      }
    }
  }, async (request) => {
    const filter = parseJournalFilter(request.query, 'query')
    const journal = journalFor(request)
    return { requests: journal.list(filter), dropped: journal.dropped }
  })

  app.get('/requests/count', {
    validatorCompiler: noValidation,
    schema: {
      summary: 'Count journaled Graph requests',
      tags,
      querystring: listQuery,
      response: {
        200: { type: 'object', required: ['count'], properties: { count: { type: 'integer' } } },
        400: badRequest
      }
    }
  }, async (request) => {
    const filter = parseJournalFilter(request.query, 'query')
    return { count: journalFor(request).count(filter) }
  })

  app.delete('/requests', {
    validatorCompiler: noValidation,
    schema: {
      summary: 'Clear the journal',
      description: 'Empties the namespace\'s journal and sets dropped back to 0. Takes no filters.',
      tags,
      response: {
        204: { description: 'Cleared.' },
        400: badRequest
      }
    }
  }, async (request, reply) => {
    // A filter here would suggest a selective delete; clearing everything instead would surprise.
    const given = Object.keys(request.query ?? {})
    if (given.length > 0) throw invalidAdminRequest(`DELETE /__admin/requests clears the whole journal and takes no query parameters; '${given[0]}' was given.`)
    journalFor(request).clear()
    return await reply.code(204).send()
  })

  app.post('/requests/wait', {
    validatorCompiler: noValidation,
    schema: {
      summary: 'Wait for journaled Graph requests',
      description: 'Answers as soon as count matching requests are in the journal (those already there count): 200 with them; or, after timeoutMs, 408 with the ones that did arrive.',
      tags,
      body: waitBody,
      response: {
        200: { type: 'object', required: ['requests'], properties: { requests: entries } },
        400: badRequest,
        408: {
          description: 'Fewer than count matching requests arrived in time; requests holds those that did.',
          ...adminError,
          required: ['error', 'requests'],
          properties: { ...adminError.properties, requests: entries }
        }
      }
    }
  }, async (request, reply) => {
    const wait = waitRequestOf(request.body, maxWaitMs)
    const journal = journalFor(request)
    // Ends the wait when the client goes away (nobody to answer) or the server closes.
    const ended = new AbortController()
    const end = (): void => { ended.abort() }
    reply.raw.once('close', end)
    closing.signal.addEventListener('abort', end, { once: true })
    if (closing.signal.aborted) end()
    let result
    try {
      result = await journal.wait(wait.filter, wait.count, wait.timeoutMs, ended.signal)
    } finally {
      reply.raw.removeListener('close', end)
      closing.signal.removeEventListener('abort', end)
    }
    if (result.complete) return { requests: result.requests }
    const message = closing.signal.aborted
      ? `The mock is shutting down: ${result.requests.length} of the ${wait.count} matching requests waited for had arrived.`
      : `Only ${result.requests.length} of the ${wait.count} matching requests waited for arrived within ${wait.timeoutMs} ms.`
    return await reply.code(408).send(adminErrorBody(new AdminError(408, 'waitTimedOut', message, { requests: result.requests })))
  })
}

// ---- Entries ----

export interface JournalEntryExtra {
  namespace: string
  /** When the request arrived, on the mock's clock (ISO 8601). */
  time: string
  fault: JournalFault | null
  earlyRetry: boolean
  /** The URL as sent (request.originalUrl before any namespace rewriting). */
  url: string
}

/** An entry for a request that has been answered (for an onResponse hook). */
export function journalEntryOf (request: FastifyRequest, reply: FastifyReply, extra: JournalEntryExtra): NewJournalEntry {
  return {
    requestId: request.id,
    namespace: extra.namespace,
    time: extra.time,
    method: request.method,
    url: extra.url,
    path: journalPathOf(extra.url),
    headers: redactHeaders(request.headers),
    body: journalBodyOf(request.body, request.headers),
    status: reply.statusCode,
    responseHeaders: plainHeaders(reply.getHeaders()),
    // Microseconds are noise here; three decimals keep the entry readable.
    durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
    fault: extra.fault,
    earlyRetry: extra.earlyRetry
  }
}

/** The path of a URL as sent: without the query string and without a leading /_ns/{name}. */
export function journalPathOf (url: string): string {
  const query = url.indexOf('?')
  const path = query === -1 ? url : url.slice(0, query)
  if (!path.startsWith('/_ns/')) return path
  const rest = path.indexOf('/', 5)
  return rest === -1 ? '/' : path.slice(rest)
}

/**
 * The body as the journal keeps it: parsed JSON as it is, text as it is, nothing as null; text over
 * MAX_JOURNAL_BODY_CHARS cut, and so is JSON that large (kept as its cut text), so that a journal of a
 * bounded number of entries is also bounded in size.
 */
export function journalBodyOf (body: unknown, headers: Readonly<Record<string, string | string[] | undefined>> = {}): unknown {
  if (body === undefined || body === null) return null
  if (typeof body === 'string') return capped(body)
  if (Buffer.isBuffer(body)) return capped(body.toString('utf8'))
  if (typeof body !== 'object' && typeof body !== 'number' && typeof body !== 'boolean') return null
  // A small body as sent is small when parsed: no need to serialize it to know.
  const length = Number(headers['content-length'])
  if (headers['content-encoding'] === undefined && Number.isInteger(length) && length <= MAX_JOURNAL_BODY_CHARS) return body
  let text: string
  try {
    text = JSON.stringify(body)
  } catch {
    // Not JSON (a parser of some other content type gave an object): nothing to show.
    return null
  }
  return text.length <= MAX_JOURNAL_BODY_CHARS ? body : capped(text)
}

function capped (text: string): string {
  return text.length <= MAX_JOURNAL_BODY_CHARS
    ? text
    : `${text.slice(0, MAX_JOURNAL_BODY_CHARS)}…[truncated: ${text.length - MAX_JOURNAL_BODY_CHARS} more characters]`
}
