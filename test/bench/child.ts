// One server of the benchmark, run as a child process so that it never shares a core's time with
// autocannon in a way the other side does not: `node --import tsx test/bench/child.ts <mode> …`.
//   mock <fixturesDir>                    the mock itself (startGraphMock)
//   ceiling <bodyFile> <path>             a bare Fastify route sending the mock's captured bytes
//   handwritten <fixturesDir> <path>      scenario 2's query written by hand over the same rows
// Every mode listens on 127.0.0.1 (a free port), sends `{ type: 'ready', port }` over IPC, answers
// `{ type: 'memory' }` with its memory figures, and exits when the parent disconnects.

import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { startGraphMock } from '../../src/start.js'
import type { LogLevel } from '../../src/config.js'
import type { ExchangeRestoreSession } from '../../schemas/index.js'
import { HANDWRITTEN_QUERY, type ChildMessage, type MemoryFigures } from './protocol.js'

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

/** Graph's per-request headers, as the mock sends them (a new GUID per request). */
function graphHeaders (request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const requestId = randomUUID()
  const given = request.headers['client-request-id']
  return reply.headers({
    'request-id': requestId,
    'client-request-id': typeof given === 'string' && given !== '' ? given : requestId,
    'odata-version': '4.0',
    'cache-control': 'no-cache',
    'content-type': GRAPH_JSON
  })
}

/** Scenario 1's ceiling: the bytes captured from the mock, serialized ahead of time. */
function ceilingServer (bodyFile: string, path: string): FastifyInstance {
  const body = readFileSync(bodyFile)
  const app = bareFastify()
  app.get(path, async (request, reply) => graphHeaders(request, reply).send(body))
  return app
}

function handwrittenServer (fixturesDir: string, path: string): FastifyInstance {
  const rows = JSON.parse(readFileSync(join(fixturesDir, 'exchangeRestoreSessions.json'), 'utf8')) as ExchangeRestoreSession[]
  const context = `https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions(${HANDWRITTEN_QUERY.select})`
  const key = randomBytes(32).toString('hex')
  const app = bareFastify()
  app.get(path, async (request, reply) => {
    // Every timestamp of the data has seven fractional digits, so the text compares as the instant.
    const matches = rows.filter((row) => row.status === 'completedWithError' && typeof row.createdDateTime === 'string' && row.createdDateTime >= '2025-01-01T00:00:00.0000000Z')
    matches.sort((a, b) => {
      const x = a.createdDateTime ?? ''
      const y = b.createdDateTime ?? ''
      if (x !== y) return x < y ? 1 : -1
      return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
    })
    const value = matches.slice(0, HANDWRITTEN_QUERY.top).map((row) => ({
      '@odata.type': '#microsoft.graph.exchangeRestoreSession',
      id: row.id,
      status: row.status,
      createdDateTime: row.createdDateTime,
      createdBy: row.createdBy
    }))
    const end = HANDWRITTEN_QUERY.top.toString(36)
    const token = `${end}.${createHmac('sha256', key).update(`${end}\n${request.url}`).digest('base64url').slice(0, 22)}`
    const nextLink = matches.length > HANDWRITTEN_QUERY.top ? `${request.protocol}://${request.host}${request.url}&$skiptoken=${encodeURIComponent(token)}` : undefined
    const body = JSON.stringify(nextLink === undefined ? { '@odata.context': context, value } : { '@odata.context': context, '@odata.nextLink': nextLink, value })
    return graphHeaders(request, reply).send(body)
  })
  return app
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
  const [mode = '', first = '', second = ''] = process.argv.slice(2)
  let port: number
  if (mode === 'mock') {
    const mock = await startGraphMock({ port: 0, host: '127.0.0.1', fixturesDir: first, logLevel: LOG_LEVEL })
    port = Number(new URL(mock.url).port)
  } else if (mode === 'ceiling' || mode === 'handwritten') {
    const app = mode === 'ceiling' ? ceilingServer(first, second) : handwrittenServer(first, second)
    await app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.server.address()
    port = typeof address === 'object' && address !== null ? address.port : 0
  } else {
    throw new Error(`unknown mode '${mode}'`)
  }
  process.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && 'type' in message && message.type === 'memory') void memoryFigures().then((memory) => { send({ type: 'memory', memory }) })
  })
  process.on('disconnect', () => { process.exit(0) })
  send({ type: 'ready', port })
}

if (process.send !== undefined) await main()
