// The journal's admin routes on a Fastify instance built here the way the mock wires them: a namespace
// from a /_ns/{name} prefix or the X-Graph-Mock-Namespace header, an onResponse hook recording every
// non-admin request through journalEntryOf, and an error handler answering AdminErrors with their body.

import t, { type Test } from 'tap'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import SwaggerParser from '@apidevtools/swagger-parser'
import { AdminError, adminErrorBody, isAdminError } from '../../src/control/admin-error.js'
import { Journal, type JournalEntry } from '../../src/control/journal.js'
import {
  journalBodyOf, journalEntryOf, journalPathOf, journalRoutes, MAX_JOURNAL_BODY_CHARS, type JournalRoutesOptions
} from '../../src/control/journal-routes.js'
import { openApi } from '../../src/plugins/openapi.js'

const TIME = '2026-01-01T00:00:00.000Z'
const LIST = '/beta/solutions/backupRestore/exchangeRestoreSessions'
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'

interface Harness {
  app: FastifyInstance
  journal: (namespace?: string) => Journal
}

function namespaceOf (request: FastifyRequest): string {
  const prefixed = /^\/_ns\/([^/?]+)/.exec(request.originalUrl)
  if (prefixed !== null) return prefixed[1] as string
  const header = request.headers['x-graph-mock-namespace']
  return typeof header === 'string' ? header : 'default'
}

async function harness (t: Test, options: { limit?: number, maxWaitMs?: number, openapi?: boolean } = {}): Promise<Harness> {
  let requests = 0
  const app = Fastify({
    genReqId: () => `req-${++requests}`,
    rewriteUrl: (request) => (request.url ?? '/').replace(/^\/_ns\/[^/?]+/, '') || '/'
  })
  t.teardown(async () => { await app.close() })
  // A wait's timer is unref'd; with inject there is no listening socket to hold the process open
  // while a test waits for a timeout, so the test holds it.
  const keepAlive = setInterval(() => {}, 1000)
  t.teardown(() => { clearInterval(keepAlive) })
  const journals = new Map<string, Journal>()
  const journal = (namespace = 'default'): Journal => {
    let found = journals.get(namespace)
    if (found === undefined) journals.set(namespace, found = new Journal({ limit: options.limit ?? 100 }))
    return found
  }
  app.setErrorHandler(async (error, _request, reply) => {
    if (isAdminError(error)) return await reply.code(error.statusCode).send(adminErrorBody(error))
    throw error
  })
  if (options.openapi === true) await app.register(openApi, { version: '0.0.0' })
  app.addHook('onRequest', async (request, reply) => { void reply.header('request-id', request.id) })
  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/__admin') || request.url.startsWith('/openapi.json')) return
    const namespace = namespaceOf(request)
    journal(namespace).record(journalEntryOf(request, reply, {
      namespace,
      time: TIME,
      fault: request.url.includes('fail') ? { id: 'f1', kind: 'status' } : null,
      earlyRetry: request.headers['retry-attempt'] !== undefined,
      url: request.originalUrl
    }))
  })
  app.get(LIST, async () => ({ value: [] }))
  app.get('/beta/fail', async (_request, reply) => await reply.code(429).header('retry-after', '1').send({ error: { code: 'activityLimitReached', message: 'Slow down.' } }))
  app.post(LIST, async (request, reply) => await reply.code(201).send(request.body))
  app.delete(`${LIST}/:id`, async (_request, reply) => await reply.code(204).send())
  const routeOptions: JournalRoutesOptions = {
    journalFor: (request) => journal(namespaceOf(request)),
    ...(options.maxWaitMs === undefined ? {} : { maxWaitMs: options.maxWaitMs })
  }
  await app.register(journalRoutes, { prefix: '/__admin', ...routeOptions })
  return { app, journal }
}

/** The entries with durationMs checked and set aside (it is the only field not known in advance). */
function withoutDurations (t: Test, entries: readonly JournalEntry[]): unknown[] {
  return entries.map(({ durationMs, ...rest }) => {
    t.ok(typeof durationMs === 'number' && durationMs >= 0 && durationMs < 10_000, `durationMs ${durationMs}`)
    return rest
  })
}

function listed (t: Test, body: string): unknown[] {
  return withoutDurations(t, (JSON.parse(body) as { requests: JournalEntry[] }).requests)
}

t.test('GET /__admin/requests: every field of each entry, oldest first', async (t) => {
  const { app } = await harness(t)
  await app.inject({ method: 'GET', url: `${LIST}?$top=5&$filter=status%20eq%20%27active%27`, headers: { authorization: `Bearer ${TOKEN}`, 'Client-Request-Id': 'c-1' } })
  await app.inject({ method: 'POST', url: LIST, headers: { authorization: 'Bearer test-token' }, payload: { displayName: 'x' } })
  await app.inject({ method: 'GET', url: '/beta/fail', headers: { 'retry-attempt': '1' } })
  await app.inject({ method: 'DELETE', url: `${LIST}/s1` })

  const response = await app.inject({ method: 'GET', url: '/__admin/requests' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  const body = response.json<{ requests: JournalEntry[], dropped: number }>()
  t.strictSame(Object.keys(body), ['requests', 'dropped'])
  t.equal(body.dropped, 0)
  t.strictSame(withoutDurations(t, body.requests), [
    {
      id: '1',
      requestId: 'req-1',
      namespace: 'default',
      time: TIME,
      method: 'GET',
      url: `${LIST}?$top=5&$filter=status%20eq%20%27active%27`,
      path: LIST,
      headers: { authorization: 'Bearer eyJhbGci…', 'client-request-id': 'c-1', 'user-agent': 'lightMyRequest', host: 'localhost:80' },
      body: null,
      status: 200,
      responseHeaders: { 'request-id': 'req-1', 'content-type': 'application/json; charset=utf-8', 'content-length': '12' },
      fault: null,
      earlyRetry: false
    },
    {
      id: '2',
      requestId: 'req-2',
      namespace: 'default',
      time: TIME,
      method: 'POST',
      url: LIST,
      path: LIST,
      headers: { authorization: 'Bearer test-tok…', 'user-agent': 'lightMyRequest', host: 'localhost:80', 'content-type': 'application/json', 'content-length': '19' },
      body: { displayName: 'x' },
      status: 201,
      responseHeaders: { 'request-id': 'req-2', 'content-type': 'application/json; charset=utf-8', 'content-length': '19' },
      fault: null,
      earlyRetry: false
    },
    {
      id: '3',
      requestId: 'req-3',
      namespace: 'default',
      time: TIME,
      method: 'GET',
      url: '/beta/fail',
      path: '/beta/fail',
      headers: { 'retry-attempt': '1', 'user-agent': 'lightMyRequest', host: 'localhost:80' },
      body: null,
      status: 429,
      responseHeaders: { 'request-id': 'req-3', 'retry-after': '1', 'content-type': 'application/json; charset=utf-8', 'content-length': '64' },
      fault: { id: 'f1', kind: 'status' },
      earlyRetry: true
    },
    {
      id: '4',
      requestId: 'req-4',
      namespace: 'default',
      time: TIME,
      method: 'DELETE',
      url: `${LIST}/s1`,
      path: `${LIST}/s1`,
      headers: { 'user-agent': 'lightMyRequest', host: 'localhost:80' },
      body: null,
      status: 204,
      responseHeaders: { 'request-id': 'req-4' },
      fault: null,
      earlyRetry: false
    }
  ])
})

t.test('each namespace has its own journal; the url keeps the /_ns prefix, the path does not', async (t) => {
  const { app } = await harness(t)
  await app.inject({ method: 'GET', url: `/_ns/team1${LIST}?$top=1` })
  await app.inject({ method: 'GET', url: LIST, headers: { 'x-graph-mock-namespace': 'team2' } })
  await app.inject({ method: 'GET', url: LIST })

  const team1 = await app.inject({ method: 'GET', url: '/_ns/team1/__admin/requests' })
  t.equal(team1.statusCode, 200)
  t.strictSame(listed(t, team1.body).map((entry) => ({ ...(entry as object), headers: undefined, responseHeaders: undefined })), [{
    id: '1',
    requestId: 'req-1',
    namespace: 'team1',
    time: TIME,
    method: 'GET',
    url: `/_ns/team1${LIST}?$top=1`,
    path: LIST,
    headers: undefined,
    body: null,
    status: 200,
    responseHeaders: undefined,
    fault: null,
    earlyRetry: false
  }])
  const team2 = await app.inject({ method: 'GET', url: '/__admin/requests', headers: { 'x-graph-mock-namespace': 'team2' } })
  t.strictSame(team2.json<{ requests: JournalEntry[] }>().requests.map((entry) => [entry.namespace, entry.url]), [['team2', LIST]])
  const byDefault = await app.inject({ method: 'GET', url: '/__admin/requests' })
  t.strictSame(byDefault.json<{ requests: JournalEntry[] }>().requests.map((entry) => [entry.namespace, entry.requestId]), [['default', 'req-3']])
})

t.test('filters in the query string; limit; dropped', async (t) => {
  const { app } = await harness(t, { limit: 4 })
  await app.inject({ method: 'GET', url: LIST })
  await app.inject({ method: 'GET', url: '/beta/fail' })
  await app.inject({ method: 'POST', url: LIST, payload: { a: 1 } })
  await app.inject({ method: 'GET', url: '/beta/fail', headers: { 'retry-attempt': '1' } })
  await app.inject({ method: 'GET', url: '/beta/fail', headers: { 'retry-attempt': '2' } })
  await app.inject({ method: 'DELETE', url: `${LIST}/x` })

  const ids = async (query: string): Promise<{ status: number, ids: string[], dropped: number }> => {
    const response = await app.inject({ method: 'GET', url: `/__admin/requests${query}` })
    const body = response.json<{ requests: JournalEntry[], dropped: number }>()
    return { status: response.statusCode, ids: body.requests.map((entry) => entry.id), dropped: body.dropped }
  }
  t.strictSame(await ids(''), { status: 200, ids: ['3', '4', '5', '6'], dropped: 2 }, 'a journal of 4: the two oldest went')
  t.strictSame(await ids('?method=get'), { status: 200, ids: ['4', '5'], dropped: 2 })
  t.strictSame(await ids(`?path=${LIST}`), { status: 200, ids: ['3', '6'], dropped: 2 })
  t.strictSame(await ids(`?pathRegex=${encodeURIComponent('fail$|/x$')}`), { status: 200, ids: ['4', '5', '6'], dropped: 2 })
  t.strictSame(await ids('?status=4xx'), { status: 200, ids: ['4', '5'], dropped: 2 })
  t.strictSame(await ids('?status=204'), { status: 200, ids: ['6'], dropped: 2 })
  t.strictSame(await ids('?header=retry-attempt'), { status: 200, ids: ['4', '5'], dropped: 2 })
  t.strictSame(await ids('?header=retry-attempt:2&header=host'), { status: 200, ids: ['5'], dropped: 2 }, 'header repeated: all must hold')
  t.strictSame(await ids('?header=content-type:application%2Fjson'), { status: 200, ids: ['3'], dropped: 2 })
  t.strictSame(await ids(`?since=${encodeURIComponent('2026-01-01T00:00:00Z')}`), { status: 200, ids: ['3', '4', '5', '6'], dropped: 2 })
  t.strictSame(await ids(`?since=${encodeURIComponent('2026-01-01T00:00:00.001Z')}`), { status: 200, ids: [], dropped: 2 })
  t.strictSame(await ids('?limit=1'), { status: 200, ids: ['6'], dropped: 2 })
  t.strictSame(await ids('?method=GET&status=429&limit=1'), { status: 200, ids: ['5'], dropped: 2 })

  const count = await app.inject({ method: 'GET', url: '/__admin/requests/count?status=429' })
  t.equal(count.statusCode, 200)
  t.strictSame(count.json(), { count: 2 })
  t.strictSame((await app.inject({ method: 'GET', url: '/__admin/requests/count' })).json(), { count: 4 })
})

t.test('a filter the journal cannot use: 400 naming it, in the admin error body', async (t) => {
  const { app } = await harness(t)
  const cases: Array<[string, string]> = [
    ['/__admin/requests?status=abc', 'The query parameter \'status\' must be a status from 100 to 599 or a class such as 4xx, not \'abc\'.'],
    ['/__admin/requests?method=GET&method=POST', 'The query parameter \'method\' may be given only once.'],
    ['/__admin/requests?verb=GET', 'Unknown query parameter \'verb\'; the filters are method, path, pathRegex, status, header, since, limit.'],
    ['/__admin/requests?since=now', 'The query parameter \'since\' must be an ISO 8601 instant such as 2026-01-01T00:00:00Z, not \'now\'.'],
    ['/__admin/requests/count?limit=x', 'The query parameter \'limit\' must be a whole number of 0 or more, not \'x\'.'],
    ['/__admin/requests/count?header=a%20b', 'The query parameter \'header\' must be a header name, or name:value, not \'a b\'.']
  ]
  for (const [url, message] of cases) {
    const response = await app.inject({ method: 'GET', url })
    t.equal(response.statusCode, 400, url)
    t.strictSame(response.json(), { error: { code: 'invalidRequest', message } }, url)
  }
  const regex = await app.inject({ method: 'GET', url: '/__admin/requests?pathRegex=(' })
  t.equal(regex.statusCode, 400)
  t.strictSame(regex.json(), { error: { code: 'invalidRequest', message: 'The query parameter \'pathRegex\' is not a valid regular expression: Invalid regular expression: /(/: Unterminated group.' } })
})

t.test('DELETE /__admin/requests empties the journal and its dropped count; it takes no filters', async (t) => {
  const { app, journal } = await harness(t, { limit: 1 })
  await app.inject({ method: 'GET', url: LIST })
  await app.inject({ method: 'GET', url: LIST })
  t.equal(journal().dropped, 1)
  const cleared = await app.inject({ method: 'DELETE', url: '/__admin/requests' })
  t.equal(cleared.statusCode, 204)
  t.equal(cleared.body, '')
  t.strictSame((await app.inject({ method: 'GET', url: '/__admin/requests' })).json(), { requests: [], dropped: 0 })

  const filtered = await app.inject({ method: 'DELETE', url: '/__admin/requests?method=GET' })
  t.equal(filtered.statusCode, 400)
  t.strictSame(filtered.json(), { error: { code: 'invalidRequest', message: 'DELETE /__admin/requests clears the whole journal and takes no query parameters; \'method\' was given.' } })
})

t.test('entries keep fields they gain later and every fault field', async (t) => {
  const { app, journal } = await harness(t)
  const extra = { requestId: 'r', namespace: 'default', time: TIME, method: 'GET', url: '/x', path: '/x', headers: {}, body: { nested: [1, { a: null }] }, status: 200, responseHeaders: {}, durationMs: 1.5, fault: { id: 'f', kind: 'latency', ms: 200 }, earlyRetry: false, batchOf: 'r0' }
  journal().record(extra)
  const response = await app.inject({ method: 'GET', url: '/__admin/requests' })
  t.strictSame(response.json(), { requests: [{ id: '1', ...extra }], dropped: 0 })
})

t.test('POST /__admin/requests/wait: requests already journaled count', async (t) => {
  const { app } = await harness(t)
  await app.inject({ method: 'GET', url: LIST })
  await app.inject({ method: 'POST', url: LIST, payload: {} })
  await app.inject({ method: 'GET', url: LIST })
  const response = await app.inject({ method: 'POST', url: '/__admin/requests/wait', payload: { count: 2, timeoutMs: 1000, filter: { method: 'GET' } } })
  t.equal(response.statusCode, 200)
  const body = response.json<{ requests: JournalEntry[] }>()
  t.strictSame(Object.keys(body), ['requests'])
  t.strictSame(body.requests.map((entry) => [entry.id, entry.method, entry.path]), [['1', 'GET', LIST], ['3', 'GET', LIST]])
  t.strictSame(listed(t, response.body), listed(t, (await app.inject({ method: 'GET', url: '/__admin/requests?method=GET' })).body), 'the same entries as the list')
})

t.test('POST /__admin/requests/wait answers as soon as the requests arrive', async (t) => {
  const { app, journal } = await harness(t, { maxWaitMs: 10_000 })
  const started = performance.now()
  const waiting = app.inject({ method: 'POST', url: '/__admin/requests/wait', payload: { count: 2, timeoutMs: 10_000, filter: { status: '4xx', header: 'retry-attempt' } } })
  // Let the wait begin before the requests it waits for arrive.
  while (journal().waiting === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  await app.inject({ method: 'GET', url: '/beta/fail' })
  await app.inject({ method: 'GET', url: '/beta/fail', headers: { 'retry-attempt': '1' } })
  await app.inject({ method: 'GET', url: LIST, headers: { 'retry-attempt': '1' } })
  await app.inject({ method: 'GET', url: '/beta/fail', headers: { 'retry-attempt': '2' } })
  const response = await waiting
  t.equal(response.statusCode, 200)
  t.strictSame(response.json<{ requests: JournalEntry[] }>().requests.map((entry) => [entry.id, entry.headers['retry-attempt']]), [['2', '1'], ['4', '2']])
  t.ok(performance.now() - started < 5000, 'long before its timeout')
  t.equal(journal().waiting, 0)
})

t.test('POST /__admin/requests/wait: 408 at the timeout, with the requests that did arrive', async (t) => {
  const { app } = await harness(t)
  await app.inject({ method: 'GET', url: LIST })
  await app.inject({ method: 'GET', url: '/beta/fail' })
  const started = performance.now()
  const response = await app.inject({ method: 'POST', url: '/__admin/requests/wait', payload: { count: 3, timeoutMs: 50, filter: { method: 'GET', path: '/beta' } } })
  t.ok(performance.now() - started >= 45, 'after the timeout')
  t.equal(response.statusCode, 408)
  const body = response.json<{ error: unknown, requests: JournalEntry[] }>()
  t.strictSame(body.error, { code: 'waitTimedOut', message: 'Only 2 of the 3 matching requests waited for arrived within 50 ms.' })
  t.strictSame(Object.keys(body), ['error', 'requests'])
  t.strictSame(listed(t, JSON.stringify(body)), listed(t, (await app.inject({ method: 'GET', url: '/__admin/requests' })).body))

  const none = await app.inject({ method: 'POST', url: '/__admin/requests/wait', payload: { count: 1, timeoutMs: 0, filter: { method: 'PUT' } } })
  t.equal(none.statusCode, 408)
  t.strictSame(none.json(), { error: { code: 'waitTimedOut', message: 'Only 0 of the 1 matching requests waited for arrived within 0 ms.' }, requests: [] })
})

t.test('POST /__admin/requests/wait: defaults (count 1, 5 s, no filter) and many at once', async (t) => {
  const { app, journal } = await harness(t)
  const waits = Array.from({ length: 20 }, async () => await app.inject({ method: 'POST', url: '/__admin/requests/wait' }))
  const withBody = app.inject({ method: 'POST', url: '/__admin/requests/wait', payload: {} })
  while (journal().waiting < 21) await new Promise((resolve) => setTimeout(resolve, 5))
  await app.inject({ method: 'GET', url: LIST })
  for (const response of [...await Promise.all(waits), await withBody]) {
    t.equal(response.statusCode, 200)
    t.strictSame(response.json<{ requests: JournalEntry[] }>().requests.map((entry) => entry.id), ['1'])
  }
  t.equal(journal().waiting, 0)
})

t.test('POST /__admin/requests/wait in a namespace sees only that namespace', async (t) => {
  const { app } = await harness(t)
  await app.inject({ method: 'GET', url: LIST })
  const response = await app.inject({ method: 'POST', url: '/_ns/team1/__admin/requests/wait', payload: { count: 1, timeoutMs: 0 } })
  t.equal(response.statusCode, 408)
  t.strictSame(response.json(), { error: { code: 'waitTimedOut', message: 'Only 0 of the 1 matching requests waited for arrived within 0 ms.' }, requests: [] })
})

t.test('POST /__admin/requests/wait: a body it cannot use is a 400 naming the part', async (t) => {
  const { app } = await harness(t, { maxWaitMs: 2000 })
  const cases: Array<[unknown, string]> = [
    [[1], 'The body must be a JSON object: { "count", "timeoutMs", "filter" }.'],
    [{ count: 1, timeout: 5 }, 'Unknown property \'timeout\'; a wait takes count, timeoutMs, filter.'],
    [{ count: 0 }, 'count must be a whole number from 1 to 1000000, not 0.'],
    [{ count: '2' }, 'count must be a whole number from 1 to 1000000, not "2".'],
    [{ count: 1.5 }, 'count must be a whole number from 1 to 1000000, not 1.5.'],
    [{ timeoutMs: -1 }, 'timeoutMs must be a whole number of milliseconds from 0 to 2000, not -1.'],
    [{ timeoutMs: 2001 }, 'timeoutMs must be a whole number of milliseconds from 0 to 2000, not 2001.'],
    [{ timeoutMs: null }, 'timeoutMs must be a whole number of milliseconds from 0 to 2000, not null.'],
    [{ filter: 'GET' }, 'The filter must be an object of filters, not \'GET\'.'],
    [{ filter: { status: 'bad' } }, 'filter.status must be a status from 100 to 599 or a class such as 4xx, not \'bad\'.'],
    [{ filter: { limit: 2 } }, 'Unknown filter \'limit\'; the filters are method, path, pathRegex, status, header, headers, since.']
  ]
  for (const [payload, message] of cases) {
    const response = await app.inject({ method: 'POST', url: '/__admin/requests/wait', payload: payload as object })
    t.equal(response.statusCode, 400, JSON.stringify(payload))
    t.strictSame(response.json(), { error: { code: 'invalidRequest', message } }, JSON.stringify(payload))
  }
  const text = await app.inject({ method: 'POST', url: '/__admin/requests/wait', headers: { 'content-type': 'text/plain' }, payload: 'count=1' })
  t.equal(text.statusCode, 400)
  t.strictSame(text.json(), { error: { code: 'invalidRequest', message: 'The body must be a JSON object: { "count", "timeoutMs", "filter" }.' } })
})

t.test('a wait in progress answers 408 at once when the server closes, so closing does not wait for it', async (t) => {
  const { app, journal } = await harness(t)
  await app.inject({ method: 'GET', url: LIST })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const waiting = fetch(`${address}/__admin/requests/wait`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 2, timeoutMs: 30_000 }) })
  while (journal().waiting === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  const started = performance.now()
  await app.close()
  const response = await waiting
  t.ok(performance.now() - started < 5000, 'closed long before the wait\'s timeout')
  t.equal(response.status, 408)
  const body = await response.json() as { error: unknown, requests: JournalEntry[] }
  t.strictSame(body.error, { code: 'waitTimedOut', message: 'The mock is shutting down: 1 of the 2 matching requests waited for had arrived.' })
  t.strictSame(body.requests.map((entry) => entry.id), ['1'])
  t.equal(journal().waiting, 0)
})

t.test('a wait whose client went away stops waiting', async (t) => {
  const { app, journal } = await harness(t)
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  const controller = new AbortController()
  const waiting = fetch(`${address}/__admin/requests/wait`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 1, timeoutMs: 30_000 }), signal: controller.signal })
  while (journal().waiting === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  controller.abort()
  await t.rejects(waiting)
  const started = performance.now()
  while (journal().waiting > 0 && performance.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 5))
  t.equal(journal().waiting, 0, 'the wait ended with its connection')
})

t.test('/openapi.json describes the journal routes under the admin tag, and stays valid', async (t) => {
  const { app } = await harness(t, { openapi: true })
  const response = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(response.statusCode, 200)
  const document = response.json<{ paths: Record<string, Record<string, { tags?: string[], parameters?: Array<{ name: string }>, responses?: Record<string, unknown> }>> }>()
  await t.resolves(SwaggerParser.validate(structuredClone(document) as never), 'valid per swagger-parser')
  const operations = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/__admin'))
    .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => [method, path, operation.tags, Object.keys(operation.responses ?? {}).sort()]))
  t.strictSame(operations, [
    ['get', '/__admin/requests', ['admin'], ['200', '400']],
    ['delete', '/__admin/requests', ['admin'], ['204', '400']],
    ['get', '/__admin/requests/count', ['admin'], ['200', '400']],
    ['post', '/__admin/requests/wait', ['admin'], ['200', '400', '408']]
  ])
  t.strictSame(document.paths['/__admin/requests']?.['get']?.parameters?.map((parameter) => parameter.name), ['method', 'path', 'pathRegex', 'status', 'header', 'since', 'limit'])
})

t.test('journalEntryOf: a large body is kept, cut at 64 KB with a marker', async (t) => {
  const { app, journal } = await harness(t)
  const text = 'x'.repeat(MAX_JOURNAL_BODY_CHARS + 10)
  await app.inject({ method: 'POST', url: LIST, headers: { 'content-type': 'text/plain' }, payload: text })
  const big = { value: 'y'.repeat(MAX_JOURNAL_BODY_CHARS) }
  await app.inject({ method: 'POST', url: LIST, payload: big })
  const small = 'z'.repeat(MAX_JOURNAL_BODY_CHARS)
  await app.inject({ method: 'POST', url: LIST, headers: { 'content-type': 'text/plain' }, payload: small })
  const [first, second, third] = journal().list()
  t.equal(first?.body, `${'x'.repeat(MAX_JOURNAL_BODY_CHARS)}…[truncated: 10 more characters]`)
  const json = JSON.stringify(big)
  t.equal(second?.body, `${json.slice(0, MAX_JOURNAL_BODY_CHARS)}…[truncated: ${json.length - MAX_JOURNAL_BODY_CHARS} more characters]`, 'JSON that large is kept as its cut text')
  t.equal(third?.body, small, 'a body of exactly the limit is whole')
})

t.test('journalBodyOf and journalPathOf', async (t) => {
  t.equal(journalBodyOf(undefined), null)
  t.equal(journalBodyOf(null), null)
  t.equal(journalBodyOf('text'), 'text')
  t.equal(journalBodyOf(Buffer.from('bytes')), 'bytes')
  t.equal(journalBodyOf(5), 5, 'a JSON number')
  t.equal(journalBodyOf(false), false)
  const object = { a: [1, 2] }
  t.equal(journalBodyOf(object, { 'content-length': '11' }), object, 'a small object as it is')
  t.equal(journalBodyOf(object), object, 'without a length too')
  t.equal(journalBodyOf(object, { 'content-length': '11', 'content-encoding': 'gzip' }), object)
  const huge = { v: 'q'.repeat(MAX_JOURNAL_BODY_CHARS) }
  t.match(journalBodyOf(huge, { 'content-length': '100', 'content-encoding': 'gzip' }), /…\[truncated: 8 more characters\]$/, 'a compressed body is measured as parsed')
  const circular: Record<string, unknown> = {}
  circular['self'] = circular
  t.equal(journalBodyOf(circular), null, 'not JSON: nothing to show')
  t.equal(journalBodyOf(Symbol('s')), null)

  t.equal(journalPathOf('/beta/x?$top=1'), '/beta/x')
  t.equal(journalPathOf('/_ns/team1/beta/x?$top=1'), '/beta/x')
  t.equal(journalPathOf('/_ns/team1'), '/')
  t.equal(journalPathOf('/_ns/team1?x=1'), '/')
  t.equal(journalPathOf('/_nsx/beta'), '/_nsx/beta')
  t.equal(journalPathOf('/'), '/')
})

t.test('journalRoutes refuses a maxWaitMs it cannot use', async (t) => {
  const app = Fastify()
  t.teardown(async () => { await app.close() })
  await t.rejects(async () => { await app.register(journalRoutes, { journalFor: () => new Journal({ limit: 1 }), maxWaitMs: -5 }).ready() }, new RangeError('maxWaitMs is a whole number of 0 or more, not -5.'))
})

// The error handler above is the test's stand-in for the admin plugin's: check that it is not what
// makes the 408, which the wait route answers itself.
t.test('the 408 needs no error handler', async (t) => {
  const app = Fastify()
  t.teardown(async () => { await app.close() })
  await app.register(journalRoutes, { prefix: '/__admin', journalFor: () => new Journal({ limit: 1 }) })
  const response = await app.inject({ method: 'POST', url: '/__admin/requests/wait', payload: { timeoutMs: 0 } })
  t.equal(response.statusCode, 408)
  t.strictSame(response.json(), adminErrorBody(new AdminError(408, 'waitTimedOut', 'Only 0 of the 1 matching requests waited for arrived within 0 ms.', { requests: [] })))
})
