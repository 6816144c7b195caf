// The fault routes and applyFault on a Fastify instance built here: the Graph plugins that shape
// answers (request ids, Graph's error body), a /__admin context with the fault routes, and a Graph
// route whose onRequest hook applies faults as the mock's request path does (one size check when
// there are no rules). Status faults through inject; latency and the connection faults through a
// listening server and raw sockets, since inject has no connection.

import { randomUUID } from 'node:crypto'
import { connect } from 'node:net'
import { Readable } from 'node:stream'
import { request as httpRequest } from 'node:http'
import t, { type Test } from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import compress from '@fastify/compress'
import { constants as zlib, gunzipSync } from 'node:zlib'
import { adminErrorBody, isAdminError } from '../../src/control/admin-error.js'
import { applyFault, faultRoutes } from '../../src/control/fault-routes.js'
import { FaultRules } from '../../src/control/faults.js'
import graphErrorsPlugin from '../../src/plugins/graph-errors.js'
import requestContext from '../../src/plugins/request-context.js'

const NOW = Date.parse('2026-01-01T00:00:00.000Z')
const THINGS = '/beta/things'
const STREAMED = '/beta/streamed'
const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'
const THINGS_BODY = { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#things', value: [{ id: 'a', displayName: 'First thing' }, { id: 'b', displayName: 'Second thing' }] }

interface Built {
  app: FastifyInstance
  rules: FaultRules
  clock: { now: number }
  /** How many times the Graph route ran. */
  served: { count: number }
}

async function build (t: Test, options: { compress?: boolean } = {}): Promise<Built> {
  const rules = new FaultRules()
  const clock = { now: NOW }
  const served = { count: 0 }
  const app = Fastify({ genReqId: () => randomUUID(), requestIdHeader: false, forceCloseConnections: true })
  await app.register(requestContext)
  await app.register(graphErrorsPlugin, { bodyLimit: 1_000_000 })
  if (options.compress === true) await app.register(compress, { threshold: 0 })
  await app.register(async (admin) => {
    admin.setErrorHandler((error, _request, reply) => {
      if (isAdminError(error)) return reply.code(error.statusCode).send(adminErrorBody(error))
      throw error
    })
    await admin.register(faultRoutes, { faultsFor: () => rules, now: () => clock.now })
  }, { prefix: '/__admin' })
  await app.register(async (graph) => {
    graph.addHook('onRequest', async (request, reply) => {
      if (rules.size > 0) {
        const match = rules.match({ method: request.method, path: request.url, query: request.query as Record<string, string>, headers: request.headers, namespace: 'default' }, clock.now)
        if (match !== undefined && await applyFault(match, request, reply)) return reply
      }
    })
    graph.get(THINGS, async (_request, reply) => {
      served.count++
      return await reply.header('content-type', GRAPH_JSON).send(JSON.stringify(THINGS_BODY))
    })
    // The same body as a stream, in three chunks: sent chunked, with no length known up front.
    graph.get(STREAMED, async (_request, reply) => {
      served.count++
      const text = JSON.stringify(THINGS_BODY)
      return await reply.header('content-type', GRAPH_JSON).send(Readable.from([text.slice(0, 40), text.slice(40, 90), text.slice(90)].map((part) => Buffer.from(part))))
    })
  })
  t.teardown(async () => { await app.close() })
  return { app, rules, clock, served }
}

async function listen (app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  if (typeof address !== 'object' || address === null) throw new Error('not listening')
  return address.port
}

interface RawResult {
  bytes: Buffer
  error: string | undefined
  ms: number
}

/** A GET over a raw socket: every byte that comes back, and how the connection ended. */
async function rawGet (port: number, path: string): Promise<RawResult> {
  const started = performance.now()
  return await new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let error: string | undefined
    socket.on('data', (chunk) => { chunks.push(chunk) })
    socket.on('error', (e: NodeJS.ErrnoException) => { error = e.code ?? e.message })
    socket.on('close', () => { resolve({ bytes: Buffer.concat(chunks), error, ms: performance.now() - started }) })
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
  })
}

function split (bytes: Buffer): { status: string, headers: Record<string, string>, body: Buffer } {
  const end = bytes.indexOf('\r\n\r\n')
  const [status = '', ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { status, headers, body: bytes.subarray(end + 4) }
}

t.test('POST, GET, DELETE /__admin/faults: whole bodies and statuses', async (t) => {
  const { app, clock } = await build(t)
  const added = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { match: { method: 'get', path: '/beta/*' }, respond: { status: 429 }, times: 1, seed: 5 } })
  t.equal(added.statusCode, 201)
  t.match(added.headers['content-type'], /^application\/json/)
  const rule = {
    id: 'f1',
    match: { method: 'GET', path: '/beta/*' },
    respond: { status: 429, code: 'activityLimitReached', message: 'The request has been throttled', retryAfter: 1 },
    times: 1,
    remaining: 1,
    seed: 5,
    hits: 0,
    created: '2026-01-01T00:00:00.000Z'
  }
  t.strictSame(added.json(), rule)
  clock.now += 60_000
  const second = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { latency: { minMs: 5, maxMs: 10 }, probability: 0.25, from: '2026-01-01T00:00:00Z' } })
  t.equal(second.statusCode, 201)
  const secondRule = second.json<{ seed: number }>()
  t.strictSame(secondRule, { id: 'f2', match: {}, latency: { minMs: 5, maxMs: 10 }, remaining: null, probability: 0.25, seed: secondRule.seed, from: '2026-01-01T00:00:00.000Z', hits: 0, created: '2026-01-01T00:01:00.000Z' })

  const list = await app.inject({ method: 'GET', url: '/__admin/faults' })
  t.equal(list.statusCode, 200)
  t.strictSame(list.json(), { faults: [rule, secondRule] })
  const one = await app.inject({ method: 'GET', url: '/__admin/faults/f1' })
  t.equal(one.statusCode, 200)
  t.strictSame(one.json(), rule)

  const missing = await app.inject({ method: 'GET', url: '/__admin/faults/f9' })
  t.equal(missing.statusCode, 404)
  t.strictSame(missing.json(), { error: { code: 'faultNotFound', message: "There is no fault rule 'f9' in this namespace; GET /__admin/faults lists them." } })

  const deleted = await app.inject({ method: 'DELETE', url: '/__admin/faults/f1' })
  t.equal(deleted.statusCode, 204)
  t.equal(deleted.body, '')
  const again = await app.inject({ method: 'DELETE', url: '/__admin/faults/f1' })
  t.equal(again.statusCode, 404)
  t.strictSame(again.json(), { error: { code: 'faultNotFound', message: "There is no fault rule 'f1' in this namespace; GET /__admin/faults lists them." } })
  t.strictSame((await app.inject({ method: 'GET', url: '/__admin/faults' })).json(), { faults: [secondRule] })

  const cleared = await app.inject({ method: 'DELETE', url: '/__admin/faults' })
  t.equal(cleared.statusCode, 204)
  t.equal(cleared.body, '')
  t.strictSame((await app.inject({ method: 'GET', url: '/__admin/faults' })).json(), { faults: [] })

  const bad = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { respond: { status: '429' } } })
  t.equal(bad.statusCode, 400)
  t.strictSame(bad.json(), { error: { code: 'invalidRequest', message: "respond.status must be a whole number from 400 to 599, not '429'." } }, 'not coerced by a schema validator')
  const none = await app.inject({ method: 'POST', url: '/__admin/faults' })
  t.equal(none.statusCode, 400)
  t.strictSame(none.json(), { error: { code: 'invalidRequest', message: 'A fault rule must be a JSON object; the body was empty.' } })
  const unknown = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { respond: { status: 500 }, extra: 1 } })
  t.strictSame(unknown.json(), { error: { code: 'invalidRequest', message: "Unknown property 'extra' in the fault rule; it takes match, respond, latency, connection, times, probability, seed, from, until." } }, 'not dropped by a schema validator')
})

t.test("a 429 fault is Graph's throttled answer, once; then the route answers", async (t) => {
  const { app, rules, served } = await build(t)
  rules.add({ match: { path: '/beta/things' }, respond: { status: 429 }, times: 1 }, NOW)
  const throttled = await app.inject({ method: 'GET', url: `${THINGS}?$top=1`, headers: { 'client-request-id': 'my-client-id' } })
  t.equal(throttled.statusCode, 429)
  const body = throttled.json<{ error: { innerError: { date: string } } }>()
  t.strictSame(body, {
    error: {
      code: 'activityLimitReached',
      message: 'The request has been throttled',
      innerError: { code: 'throttledRequest', date: body.error.innerError.date, 'request-id': throttled.headers['request-id'], 'client-request-id': 'my-client-id' }
    }
  })
  t.match(body.error.innerError.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
  const { date, connection, 'content-length': length, 'request-id': requestId, ...headers } = throttled.headers
  t.match(requestId, /^[0-9a-f-]{36}$/)
  t.ok(date !== undefined && connection !== undefined && Number(length) === throttled.rawPayload.length)
  t.strictSame(headers, {
    'retry-after': '1',
    'client-request-id': 'my-client-id',
    'odata-version': '4.0',
    'cache-control': 'no-cache',
    'content-type': GRAPH_JSON
  })
  t.equal(served.count, 0, 'the route did not run')

  const next = await app.inject({ method: 'GET', url: THINGS })
  t.equal(next.statusCode, 200)
  t.strictSame(next.json(), THINGS_BODY)
  t.equal(served.count, 1)
  t.strictSame(rules.get('f1')?.remaining, 0)
})

t.test('503 with retryAfter and headers; 500 without Retry-After; any status with its code', async (t) => {
  const { app, rules } = await build(t)
  rules.add({ match: { headers: { 'x-case': '503' } }, respond: { status: 503, retryAfter: 7, headers: { 'x-ms-ags-diagnostic': '{"ServerInfo":{}}' } } }, NOW)
  rules.add({ match: { headers: { 'x-case': '500' } }, respond: { status: 500 } }, NOW)
  rules.add({ match: { headers: { 'x-case': '409' } }, respond: { status: 409, code: 'conflict', message: 'The session changed meanwhile.' } }, NOW)
  const answer = async (kind: string) => {
    const response = await app.inject({ method: 'GET', url: THINGS, headers: { 'x-case': kind } })
    return {
      status: response.statusCode,
      retryAfter: response.headers['retry-after'],
      diagnostic: response.headers['x-ms-ags-diagnostic'],
      error: response.json<{ error: { code: string, message: string, innerError: Record<string, unknown> } }>().error,
      requestId: response.headers['request-id']
    }
  }
  const e503 = await answer('503')
  t.strictSame(e503, {
    status: 503,
    retryAfter: '7',
    diagnostic: '{"ServerInfo":{}}',
    error: { code: 'serviceNotAvailable', message: 'The service is not available. Try the request again after a delay.', innerError: { date: e503.error.innerError.date, 'request-id': e503.requestId, 'client-request-id': e503.requestId } },
    requestId: e503.requestId
  })
  const e500 = await answer('500')
  t.strictSame(e500, {
    status: 500,
    retryAfter: undefined,
    diagnostic: undefined,
    error: { code: 'generalException', message: 'An unspecified error has occurred.', innerError: { date: e500.error.innerError.date, 'request-id': e500.requestId, 'client-request-id': e500.requestId } },
    requestId: e500.requestId
  })
  const e409 = await answer('409')
  t.strictSame(e409.error, { code: 'conflict', message: 'The session changed meanwhile.', innerError: { date: e409.error.innerError.date, 'request-id': e409.requestId, 'client-request-id': e409.requestId } })
  t.equal(e409.status, 409)
  t.strictSame((await app.inject({ method: 'GET', url: THINGS })).json(), THINGS_BODY, 'no condition met: no fault')
})

t.test('latency alone delays the real answer; with a status, the error comes after it', async (t) => {
  const { app, rules, served } = await build(t)
  const port = await listen(app)
  const baseline = await rawGet(port, THINGS)
  rules.add({ match: { query: { slow: 'yes' } }, latency: { ms: 300 } }, NOW)
  rules.add({ match: { query: { slow: 'error' } }, latency: { ms: 200 }, respond: { status: 504 } }, NOW)
  const slow = await rawGet(port, `${THINGS}?slow=yes`)
  t.ok(slow.ms >= 295, `delayed (${slow.ms.toFixed(0)} ms, without the fault ${baseline.ms.toFixed(0)} ms)`)
  const answer = split(slow.bytes)
  t.equal(answer.status, 'HTTP/1.1 200 OK')
  t.strictSame(JSON.parse(answer.body.toString()), THINGS_BODY)
  t.equal(served.count, 2)
  const slowError = await rawGet(port, `${THINGS}?slow=error`)
  t.ok(slowError.ms >= 195, `delayed (${slowError.ms.toFixed(0)} ms)`)
  const errorAnswer = split(slowError.bytes)
  t.equal(errorAnswer.status, 'HTTP/1.1 504 Gateway Timeout')
  t.equal((JSON.parse(errorAnswer.body.toString()) as { error: { code: string } }).error.code, 'gatewayTimeout')
  t.equal(served.count, 2, 'the route did not run for the 504')
  t.equal(slow.error, undefined)
})

t.test('connection reset: a TCP reset, not a byte of answer', async (t) => {
  const { app, rules, served } = await build(t)
  const port = await listen(app)
  rules.add({ connection: 'reset', times: 1 }, NOW)
  const reset = await rawGet(port, THINGS)
  t.equal(reset.error, 'ECONNRESET')
  t.equal(reset.bytes.length, 0)
  t.equal(served.count, 0)
  const after = await rawGet(port, THINGS)
  t.equal(split(after.bytes).status, 'HTTP/1.1 200 OK', 'the server goes on serving')
  t.equal(after.error, undefined)

  // What a Node client sees.
  rules.add({ connection: 'reset', times: 1 }, NOW)
  const seen = await new Promise<string>((resolve) => {
    httpRequest({ port, host: '127.0.0.1', path: THINGS }, () => { resolve('answered') }).on('error', (e: NodeJS.ErrnoException) => { resolve(e.code ?? e.message) }).end()
  })
  t.equal(seen, 'ECONNRESET')
})

t.test('connection empty: closed cleanly without any answer', async (t) => {
  const { app, rules, served } = await build(t)
  const port = await listen(app)
  rules.add({ connection: 'empty', latency: { ms: 100 } }, NOW)
  const empty = await rawGet(port, THINGS)
  t.equal(empty.error, undefined, 'no reset: a plain close')
  t.equal(empty.bytes.length, 0, 'not one byte')
  t.ok(empty.ms >= 95, `after the latency (${empty.ms.toFixed(0)} ms)`)
  t.equal(served.count, 0)
  const seen = await new Promise<string>((resolve) => {
    httpRequest({ port, host: '127.0.0.1', path: THINGS }, () => { resolve('answered') }).on('error', (e: NodeJS.ErrnoException) => { resolve(`${e.code ?? ''} ${e.message}`) }).end()
  })
  t.equal(seen, 'ECONNRESET socket hang up', 'a Node client: socket hang up')
})

t.test('connection truncated: a Content-Length for the whole answer, half of it sent, then the close', async (t) => {
  const { app, rules, served } = await build(t)
  const port = await listen(app)
  const full = split((await rawGet(port, THINGS)).bytes)
  rules.add({ match: { query: { cut: 'route' } }, connection: 'truncated' }, NOW)
  rules.add({ match: { query: { cut: 'error' } }, connection: 'truncated', respond: { status: 503 } }, NOW)

  const cut = await rawGet(port, `${THINGS}?cut=route`)
  const answer = split(cut.bytes)
  t.equal(answer.status, 'HTTP/1.1 200 OK')
  t.equal(answer.headers['content-length'], String(full.body.length), 'the length of the whole body')
  t.equal(answer.headers['content-type'], GRAPH_JSON)
  t.equal(answer.headers['transfer-encoding'], undefined)
  t.equal(answer.body.length, Math.floor(full.body.length / 2), 'half of it')
  t.strictSame(answer.body, full.body.subarray(0, answer.body.length), "the route's real body, cut")
  t.equal(served.count, 2, 'the route ran')

  const cutError = await rawGet(port, `${THINGS}?cut=error`)
  const errorAnswer = split(cutError.bytes)
  t.equal(errorAnswer.status, 'HTTP/1.1 503 Service Unavailable')
  t.equal(errorAnswer.headers['retry-after'], '1')
  const length = Number(errorAnswer.headers['content-length'])
  t.equal(errorAnswer.body.length, Math.floor(length / 2))
  t.match(errorAnswer.body.toString(), /^\{"error":\{"code":"serviceNotAvailable","message":"/, "the start of Graph's error body")
  t.equal(served.count, 2, 'the route did not run for the error')

  const seen = await new Promise<string>((resolve) => {
    httpRequest({ port, host: '127.0.0.1', path: `${THINGS}?cut=route` }, (response) => {
      response.on('data', () => {})
      response.on('end', () => { resolve('complete') })
      response.on('error', (e: NodeJS.ErrnoException) => { resolve(`${e.code ?? ''} ${e.message}`) })
      response.on('aborted', () => { resolve('aborted') })
    }).on('error', (e: NodeJS.ErrnoException) => { resolve(`${e.code ?? ''} ${e.message}`) }).end()
  })
  t.match(seen, /^(aborted|ECONNRESET aborted)$/, `a Node client sees the body cut short (${seen})`)
})

t.test('connection truncated cuts a streamed and compressed answer too, with the length of what it would have sent', async (t) => {
  const { app, rules } = await build(t, { compress: true })
  const port = await listen(app)
  const gzipGet = async (path: string) => await new Promise<RawResult>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let error: string | undefined
    socket.on('data', (chunk) => { chunks.push(chunk) })
    socket.on('error', (e: NodeJS.ErrnoException) => { error = e.code ?? e.message })
    socket.on('close', () => { resolve({ bytes: Buffer.concat(chunks), error, ms: 0 }) })
    socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n`)
  })
  const streamed = split((await rawGet(port, STREAMED)).bytes)
  t.equal(streamed.headers['transfer-encoding'], 'chunked', 'streamed without a length')
  const whole = split((await gzipGet(STREAMED)).bytes)
  t.equal(whole.headers['content-encoding'], 'gzip')
  t.equal(whole.headers['transfer-encoding'], 'chunked')
  rules.add({ connection: 'truncated' }, NOW)

  const plain = split((await rawGet(port, STREAMED)).bytes)
  const text = JSON.stringify(THINGS_BODY)
  t.equal(plain.headers['transfer-encoding'], undefined)
  t.equal(plain.headers['content-length'], String(Buffer.byteLength(text)))
  t.equal(plain.body.toString(), text.slice(0, Math.floor(Buffer.byteLength(text) / 2)), 'the first half of the streamed body')

  const cut = split((await gzipGet(STREAMED)).bytes)
  t.equal(cut.status, 'HTTP/1.1 200 OK')
  t.equal(cut.headers['content-encoding'], 'gzip')
  t.equal(cut.headers['transfer-encoding'], undefined)
  const length = Number(cut.headers['content-length'])
  t.ok(length > 20, `the compressed length (${length})`)
  t.equal(cut.body.length, Math.floor(length / 2))
  t.throws(() => gunzipSync(cut.body), 'the gzip stream is cut short')
  const partial = gunzipSync(cut.body, { finishFlush: zlib.Z_SYNC_FLUSH }).toString()
  t.ok(JSON.stringify(THINGS_BODY).startsWith(partial) && partial.length < JSON.stringify(THINGS_BODY).length, `what inflates is the start of the real body (${partial.length} characters)`)
})

t.test('under inject (no connection): reset and empty destroy the response; truncated sends it whole', async (t) => {
  const { app, rules } = await build(t)
  rules.add({ match: { query: { c: 'reset' } }, connection: 'reset' }, NOW)
  rules.add({ match: { query: { c: 'empty' } }, connection: 'empty' }, NOW)
  rules.add({ match: { query: { c: 'truncated' } }, connection: 'truncated' }, NOW)
  await t.rejects(app.inject({ method: 'GET', url: `${THINGS}?c=reset` }), { code: 'LIGHT_ECONNRESET' })
  await t.rejects(app.inject({ method: 'GET', url: `${THINGS}?c=empty` }), { code: 'LIGHT_ECONNRESET' })
  const whole = await app.inject({ method: 'GET', url: `${THINGS}?c=truncated` })
  t.equal(whole.statusCode, 200)
  t.strictSame(whole.json(), THINGS_BODY)
})

t.test('the routes are described in the OpenAPI document under the admin tag', async (t) => {
  const app = Fastify()
  await app.register(swagger, { openapi: { openapi: '3.0.3', info: { title: 't', version: '0' } } })
  await app.register(faultRoutes, { prefix: '/__admin', faultsFor: () => new FaultRules(), now: () => NOW })
  await app.ready()
  t.teardown(async () => { await app.close() })
  const document = app.swagger() as { paths: Record<string, Record<string, { tags?: string[], summary?: string }>> }
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => [`${method.toUpperCase()} ${path}`, operation.tags, operation.summary]))
  t.strictSame(operations, [
    ['POST /__admin/faults', ['admin'], 'Add a fault rule'],
    ['GET /__admin/faults', ['admin'], 'List the fault rules'],
    ['DELETE /__admin/faults', ['admin'], 'Delete every fault rule'],
    ['GET /__admin/faults/{id}', ['admin'], 'Get a fault rule'],
    ['DELETE /__admin/faults/{id}', ['admin'], 'Delete a fault rule']
  ])
})
