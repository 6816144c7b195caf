// The request log: one line per request at info, with the query string as the client sent it, and,
// for an error, Graph's code and message, so that a log says why a request failed:
//
//   GET /beta/…/exchangeRestoreSessions?$top=abc 400 0.4ms request-id=… BadRequest: Invalid value 'abc' for $top …
//
// In JSON (pino's format, the default) the same entry also carries `graphError: { code, message }`.
// `loggerOptions` picks the format: pino's JSON lines, or LOG_FORMAT=pretty's one readable line per
// entry. Needs fastify-plugin: the hooks must see every route.

import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify'
import type { LogFormat, LogLevel } from '../config.js'

export interface GraphFailure {
  readonly code: string
  readonly message: string
}

/** Graph's code and message from an error body (`{"error":{"code","message",…}}`), if it is one. */
export function graphFailureOf (payload: unknown): GraphFailure | undefined {
  const text = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : undefined
  if (text === undefined || !text.startsWith('{"error":')) return undefined
  try {
    const error = (JSON.parse(text) as { error?: { code?: unknown, message?: unknown } }).error
    if (typeof error?.code !== 'string' || typeof error.message !== 'string') return undefined
    return { code: error.code, message: error.message }
  } catch {
    return undefined
  }
}

async function requestLog (app: FastifyInstance): Promise<void> {
  const failures = new WeakMap<FastifyRequest, GraphFailure>()
  // Error bodies are small strings: reading one back costs nothing next to the request.
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode >= 400) {
      const failure = graphFailureOf(payload)
      if (failure !== undefined) failures.set(request, failure)
    }
    return payload
  })
  app.addHook('onResponse', async (request, reply) => {
    const failure = failures.get(request)
    // originalUrl: the path and query string as sent, before any rewriting.
    const line = `${request.method} ${request.originalUrl} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms request-id=${request.id}`
    if (failure === undefined) {
      request.log.info(line)
    } else {
      request.log.info({ graphError: failure }, `${line} ${failure.code}: ${failure.message}`)
    }
  })
}

export default fp(requestLog, { name: 'graph-request-log', fastify: '5.x' })

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }

/** Fields every pino entry has, or that the message already says. */
const SHOWN_ELSEWHERE = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'reqId', 'graphError', 'err'])

/**
 * One pino JSON entry as a readable line: `22:03:05.123 INFO  <message>`, then any other fields as
 * `name=value`, and an error's stack on the lines below.
 */
export function prettyLine (json: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(json) as Record<string, unknown>
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`
  }
  const time = typeof entry['time'] === 'number' ? new Date(entry['time']).toISOString().slice(11, 23) : ''
  const level = (typeof entry['level'] === 'number' ? LEVEL_NAMES[entry['level']] : undefined) ?? String(entry['level'])
  const parts = [time, level.padEnd(5), typeof entry['msg'] === 'string' ? entry['msg'] : '']
  for (const [name, value] of Object.entries(entry)) {
    if (!SHOWN_ELSEWHERE.has(name)) parts.push(`${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  }
  let text = parts.filter((part) => part !== '').join(' ')
  const err = entry['err'] as { stack?: unknown, message?: unknown } | undefined
  if (typeof err?.stack === 'string') text += `\n    ${err.stack.replaceAll('\n', '\n    ')}`
  else if (typeof err?.message === 'string') text += ` (${err.message})`
  return `${text}\n`
}

export interface LogDestination {
  write: (text: string) => unknown
}

/** Fastify's `logger` option for a level and a format; `out` is where pretty lines go (stdout). */
export function loggerOptions (level: LogLevel, format: LogFormat, out: LogDestination = process.stdout): NonNullable<FastifyServerOptions['logger']> {
  if (level === 'silent') return false
  if (format === 'json') return { level }
  return { level, stream: { write: (json: string) => { out.write(prettyLine(json)) } } }
}
