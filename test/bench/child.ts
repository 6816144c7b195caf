// One server of the benchmark, run as a child process so that it never shares a core's time with
// autocannon in a way the other side does not: `node --import tsx test/bench/child.ts <mode> …`.
//   mock <fixturesDir>                        the mock itself (startGraphMock), with the settings of
//                                             BENCH_MOCK_OPTIONS (JSON) besides; it moves its clock
//                                             on `{ type: 'advance', id, ms }` and answers `advanced`
//   ceiling <bodyFile> <route> <headersFile>  a bare Fastify route (a Fastify path, `:id` parameters
//                                             allowed) sending the mock's captured bytes and headers
//   handwritten <fixturesDir> sessions|points|window <headersFile>
//                                             scenario 2's queries written by hand over the same rows
// A headers file is the JSON object of the headers the mock sends besides request-id and
// client-request-id (CORS, content-type, …); those two are made per request, as the mock does.
// Every mode listens on 127.0.0.1 (a free port), sends `{ type: 'ready', port }` over IPC, answers
// `{ type: 'memory' }` with its memory figures, and exits when the parent disconnects.

import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { startGraphMock } from '../../src/start.js'
import type { LogLevel } from '../../src/config.js'
import { MOCK_OPTIONS_ENV, QUERIES, SESSIONS_QUERY, WINDOW_QUERY, type BoundedQuery, type Bounds, type ChildMessage, type MemoryFigures } from './protocol.js'

const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'
const LOG_LEVEL = (process.env['BENCH_LOG_LEVEL'] ?? 'warn') as LogLevel
const SETTLE_MS = 3000

/** The same logger set-up as the mock's buildApp: one level, no request logging. */
function bareFastify (): FastifyInstance {
  return Fastify({
    logger: LOG_LEVEL === 'silent' ? false : { level: LOG_LEVEL },
    logController: new LogController({ disableRequestLogging: true })
  })
}

/** The mock's headers, as captured (a JSON object); nothing else when no file is given. */
function readHeaders (file: string): Readonly<Record<string, string>> {
  return file === '' ? {} : JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>
}

/** The mock's headers, plus Graph's per-request ids as the mock makes them (a new GUID per request). */
function graphHeaders (fixed: Readonly<Record<string, string>>, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const requestId = randomUUID()
  const given = request.headers['client-request-id']
  return reply.headers({
    ...fixed,
    'request-id': requestId,
    'client-request-id': typeof given === 'string' && given !== '' ? given : requestId
  })
}

/** Scenario 1's ceiling: the bytes and headers captured from the mock, ready ahead of time. */
function ceilingServer (bodyFile: string, route: string, headersFile: string): FastifyInstance {
  const body = readFileSync(bodyFile)
  const fixed = readHeaders(headersFile)
  const app = bareFastify()
  app.get(route, async (request, reply) => graphHeaders(fixed, request, reply).send(body))
  return app
}

type Row = Readonly<{ [name: string]: unknown }>

/** A set's rows from a fixtures folder: a JSON array, or a captured Graph response (`{ value: [...] }`). */
function readRows (fixturesDir: string, set: string): Row[] {
  const parsed = JSON.parse(readFileSync(join(fixturesDir, `${set}.json`), 'utf8')) as unknown
  const rows = Array.isArray(parsed) ? parsed : (parsed as { value?: unknown }).value
  if (!Array.isArray(rows)) throw new Error(`${set}.json holds no array of records`)
  return rows as Row[]
}

/** `2026-11-20T00:00:00Z` as the data writes instants: seven fractional digits. */
function sevenDigits (instant: string): string {
  return instant.replace(/Z$/, '.0000000Z')
}

/**
 * The hand-written form of one of scenario 2's queries: the bounds from the request's $filter, then
 * filter every row, sort the matches, take the page, project it. Every instant of the data has seven
 * fractional digits (checked at start), so the text compares as the instant does.
 */
function handwrittenServer (fixturesDir: string, which: string, headersFile: string): FastifyInstance {
  const fixed = { 'content-type': GRAPH_JSON, ...readHeaders(headersFile) }
  const query: BoundedQuery = which in QUERIES ? QUERIES[which as keyof typeof QUERIES] : unknownQuery(which)
  const rows = readRows(fixturesDir, query.set)
  const property = query.property
  for (const row of rows) {
    const value = row[property]
    if (value !== null && value !== undefined && (typeof value !== 'string' || !/\.\d{7}Z$/.test(value))) {
      throw new Error(`${query.set}.json: ${property} ${JSON.stringify(value)} is not written with seven fractional digits`)
    }
  }
  const matcher = (bounds: Bounds): ((row: Row) => boolean) => {
    const from = sevenDigits(bounds.from)
    if (query === SESSIONS_QUERY) {
      return (row) => row['status'] === 'completedWithError' && typeof row['createdDateTime'] === 'string' && row['createdDateTime'] >= from
    }
    if (query === WINDOW_QUERY) {
      const to = sevenDigits(bounds.to ?? bounds.from)
      return (row) => {
        const at = row['protectionDateTime']
        return typeof at === 'string' && at >= from && at <= to && row['tags'] === 'fastRestore'
      }
    }
    return (row) => {
      const at = row['protectionDateTime']
      return typeof at === 'string' && at >= from && row['tags'] === 'fastRestore'
    }
  }
  const context = `https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/${query.set}(${query.select.join(',')})`
  const type = `#${query.type}`
  const key = randomBytes(32).toString('hex')
  const app = bareFastify()
  app.get(`/beta/solutions/backupRestore/${query.set}`, async (request, reply) => {
    const filter = (request.query as { [name: string]: unknown })['$filter']
    const bounds = typeof filter === 'string' ? query.parse(filter) : undefined
    if (bounds === undefined) return await reply.code(400).send({ error: { code: 'BadRequest', message: `not the benchmark's query: ${String(filter)}` } })
    const matches = rows.filter(matcher(bounds))
    matches.sort((a, b) => {
      const x = a[property] as string
      const y = b[property] as string
      if (x !== y) return x < y ? 1 : -1
      const p = a['id'] as string
      const q = b['id'] as string
      return p < q ? -1 : p > q ? 1 : 0
    })
    const value = matches.slice(0, query.top).map((row) => {
      const item: { [name: string]: unknown } = { '@odata.type': type }
      for (const name of query.select) item[name] = row[name] ?? null
      return item
    })
    const end = query.top.toString(36)
    const token = `${end}.${createHmac('sha256', key).update(`${end}\n${request.url}`).digest('base64url').slice(0, 22)}`
    const nextLink = matches.length > query.top ? `${request.protocol}://${request.host}${request.url}&$skiptoken=${encodeURIComponent(token)}` : undefined
    const body = JSON.stringify(nextLink === undefined ? { '@odata.context': context, value } : { '@odata.context': context, '@odata.nextLink': nextLink, value })
    return graphHeaders(fixed, request, reply).send(body)
  })
  return app
}

function unknownQuery (which: string): never {
  throw new Error(`handwritten: unknown query '${which}' (${Object.keys(QUERIES).join(', ')})`)
}

/**
 * Memory now, and once settled: after a full collection and a pause in which V8 hands freed pages back
 * to the system (right after heavy load the RSS still counts them).
 */
async function memoryFigures (): Promise<MemoryFigures> {
  const { rss, heapUsed } = process.memoryUsage()
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  gc?.()
  const after = process.memoryUsage()
  return { rss, heapUsed, rssSettled: after.rss, heapSettled: after.heapUsed }
}

function send (message: ChildMessage): void {
  process.send?.(message)
}

async function main (): Promise<void> {
  const [mode = '', first = '', second = '', third = ''] = process.argv.slice(2)
  let port: number
  let advance: ((ms: number) => void) | undefined
  if (mode === 'mock') {
    const options = JSON.parse(process.env[MOCK_OPTIONS_ENV] ?? '{}') as Record<string, unknown>
    const mock = await startGraphMock({ port: 0, host: '127.0.0.1', fixturesDir: first, logLevel: LOG_LEVEL, ...options })
    port = Number(new URL(mock.url).port)
    advance = (ms) => { mock.app.clock.advance(ms) }
  } else if (mode === 'ceiling' || mode === 'handwritten') {
    const app = mode === 'ceiling' ? ceilingServer(first, second, third) : handwrittenServer(first, second, third)
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    port = typeof address === 'object' && address !== null ? address.port : 0
  } else {
    throw new Error(`unknown mode '${mode}'`)
  }
  process.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null || !('type' in message)) return
    if (message.type === 'memory') void memoryFigures().then((memory) => { send({ type: 'memory', memory }) })
    if (message.type === 'advance' && 'id' in message && 'ms' in message) {
      const id = Number(message.id)
      try {
        if (advance === undefined) throw new Error(`a ${mode} child has no clock`)
        advance(Number(message.ms))
        send({ type: 'advanced', id })
      } catch (error) {
        send({ type: 'advanced', id, error: error instanceof Error ? error.message : String(error) })
      }
    }
  })
  process.on('disconnect', () => { process.exit(0) })
  send({ type: 'ready', port })
}

if (process.send !== undefined) await main()
