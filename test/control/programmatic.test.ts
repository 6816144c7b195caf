// The control plane in code, as a suite that starts the mock itself uses it: the calls on the
// object startGraphMock returns and on controlOf(buildApp(...)), each with its errors (the AdminError
// the HTTP call would answer with: status, code, message).

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { AdminError, buildApp, controlOf, startGraphMock, type AppOptions, type GraphMock, type MockControl } from '../../src/index.js'

const START = '2026-12-01T09:00:00.000Z'
const SESSIONS = '/beta/solutions/backupRestore/exchangeRestoreSessions'
const BETA = 'https://graph.microsoft.com/beta/$metadata#'
const AUTH = { authorization: 'Bearer test-token' }
const S1 = '11111111-aaaa-4000-8000-000000000001'
const S2 = '11111111-aaaa-4000-8000-000000000002'
const ID1 = 'c0662f19-1ddb-47b3-92cb-398e4d07565b'
const MISSING = '11111111-aaaa-4000-8000-000000000099'
const SEED = [{ id: S1, status: 'draft' }, { id: S2, status: 'completed' }]

async function built (t: Test, options: AppOptions = {}): Promise<{ app: FastifyInstance, mock: MockControl }> {
  const app = await buildApp({ sessions: SEED, clockMode: 'manual', clockStart: START, ...options })
  t.teardown(async () => { await app.close() })
  return { app, mock: controlOf(app) }
}

function graph (app: FastifyInstance, method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({ method, url, headers: { ...AUTH, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...headers }, ...(method === 'POST' ? { payload: '{}' } : {}) })
}

const ids = (response: LightMyRequestResponse): unknown[] => response.json<{ value: Array<{ id: unknown }> }>().value.map((row) => row.id)

/** What an AdminError says, for whole comparisons. */
function said (error: unknown): { name: string, statusCode: number, code: string, message: string, details: unknown } {
  if (!(error instanceof AdminError)) throw new Error(`expected an AdminError, got ${String(error)}`)
  return { name: error.name, statusCode: error.statusCode, code: error.code, message: error.message, details: error.details }
}

function thrown (call: () => unknown): ReturnType<typeof said> {
  try {
    call()
  } catch (error) {
    return said(error)
  }
  throw new Error('expected the call to throw')
}

async function rejected (call: () => Promise<unknown>): Promise<ReturnType<typeof said>> {
  try {
    await call()
  } catch (error) {
    return said(error)
  }
  throw new Error('expected the call to reject')
}

function invalid (message: string): ReturnType<typeof said> {
  return { name: 'AdminError', statusCode: 400, code: 'invalidRequest', message, details: {} }
}

t.test('the journal from code: requests, countRequests with every filter, clearRequests; bad filters throw', async (t) => {
  const { app, mock } = await built(t)
  t.equal((await graph(app, 'GET', `${SESSIONS}/${S1}`)).statusCode, 200)
  t.equal((await graph(app, 'POST', SESSIONS, { 'retry-attempt': '1' })).statusCode, 201)
  mock.clock.advance('PT1M')
  t.equal((await graph(app, 'GET', `${SESSIONS}/${MISSING}`)).statusCode, 404)
  t.equal((await graph(app, 'GET', `/_ns/a${SESSIONS}`)).statusCode, 200)

  const all = mock.requests()
  t.strictSame(all.map((entry) => [entry.id, entry.namespace, entry.method, entry.url, entry.status, entry.time]), [
    ['1', 'default', 'GET', `${SESSIONS}/${S1}`, 200, START],
    ['2', 'default', 'POST', SESSIONS, 201, START],
    ['3', 'default', 'GET', `${SESSIONS}/${MISSING}`, 404, '2026-12-01T09:01:00.000Z']
  ], "the default namespace's entries, oldest first")
  const urls = (filter: Parameters<MockControl['requests']>[0]): string[] => mock.requests(filter).map((entry) => `${entry.method} ${entry.url}`)
  t.strictSame(urls({ method: 'post' }), [`POST ${SESSIONS}`])
  t.strictSame(urls({ path: `${SESSIONS}/` }), [`GET ${SESSIONS}/${S1}`, `GET ${SESSIONS}/${MISSING}`])
  t.strictSame(urls({ pathRegex: '0099$' }), [`GET ${SESSIONS}/${MISSING}`])
  t.strictSame(urls({ status: 201 }), [`POST ${SESSIONS}`])
  t.strictSame(urls({ status: '4xx' }), [`GET ${SESSIONS}/${MISSING}`])
  t.strictSame(urls({ header: 'retry-attempt' }), [`POST ${SESSIONS}`])
  t.strictSame(urls({ header: ['retry-attempt:1', 'content-type:application/json'] }), [`POST ${SESSIONS}`])
  t.strictSame(urls({ header: 'retry-attempt:2' }), [])
  t.strictSame(urls({ since: '2026-12-01T09:00:30Z' }), [`GET ${SESSIONS}/${MISSING}`])
  t.equal(mock.countRequests(), 3)
  t.equal(mock.countRequests({ method: 'GET', status: '2xx' }), 1)
  t.strictSame(mock.namespace('a').requests().map((entry) => [entry.namespace, entry.url]), [['a', `/_ns/a${SESSIONS}`]])

  t.strictSame(thrown(() => mock.requests({ status: 'abc' })), invalid("filter.status must be a status from 100 to 599 or a class such as 4xx, not 'abc'."))
  t.strictSame(thrown(() => mock.countRequests({ pathRegex: '(' })), invalid('filter.pathRegex is not a valid regular expression: Invalid regular expression: /(/: Unterminated group.'))
  const badSince = thrown(() => mock.requests({ since: 'yesterday' }))
  t.strictSame({ ...badSince, message: badSince.message.startsWith('filter.since') }, { ...invalid(''), message: true }, 'a bad since names filter.since')

  mock.clearRequests()
  t.strictSame(mock.requests(), [])
  t.equal(mock.namespace('a').countRequests(), 1, "another namespace's journal is its own")
})

t.test('waitForRequests: resolves once the requests arrive, rejects with 408 and what did arrive; bad arguments throw 400', async (t) => {
  const { app, mock } = await built(t)
  const waiting = mock.waitForRequests(2, { filter: { method: 'POST' }, timeoutMs: 5000 })
  t.equal((await graph(app, 'GET', SESSIONS)).statusCode, 200)
  t.equal((await graph(app, 'POST', SESSIONS)).statusCode, 201)
  t.equal((await graph(app, 'POST', SESSIONS)).statusCode, 201)
  const arrived = await waiting
  t.strictSame(arrived.map((entry) => [entry.method, entry.status]), [['POST', 201], ['POST', 201]])
  t.strictSame((await mock.waitForRequests(1)).map((entry) => entry.id), ['1', '2', '3'], 'requests already journaled count: every match is answered')

  // No listening server, nothing else pending: the wait must still settle at its timeout.
  const timedOut = await rejected(() => mock.waitForRequests(3, { filter: { method: 'POST' }, timeoutMs: 150 }))
  t.strictSame({ ...timedOut, details: (timedOut.details as { requests: Array<{ id: string }> }).requests.map((entry) => entry.id) },
    { name: 'AdminError', statusCode: 408, code: 'waitTimedOut', message: 'Only 2 of the 3 matching requests waited for arrived within 150 ms.', details: ['2', '3'] })
  t.strictSame(await rejected(() => mock.waitForRequests(0)), invalid('count must be a whole number from 1 to 1000000, not 0.'))
  t.strictSame(await rejected(() => mock.waitForRequests(1.5)), invalid('count must be a whole number from 1 to 1000000, not 1.5.'))
  t.strictSame(await rejected(() => mock.waitForRequests(1, { timeoutMs: -1 })), invalid('timeoutMs must be a whole number of milliseconds of 0 or more, not -1.'))
  t.strictSame(await rejected(() => mock.waitForRequests(1, { filter: { status: 700 } })), invalid('filter.status must be a status from 100 to 599 or a class such as 4xx, not 700.'))
})

t.test('the clock from code: now, state, advance, set, and their errors', async (t) => {
  const { app, mock } = await built(t)
  t.equal(mock.clock.now(), START)
  t.strictSame(mock.clock.state(), { mode: 'manual', speed: 1, now: START, pending: 1 })
  t.strictSame(mock.clock.advance('PT1H30M'), { mode: 'manual', speed: 1, now: '2026-12-01T10:30:00.000Z', pending: 1 })
  t.strictSame(mock.clock.advance(500), { mode: 'manual', speed: 1, now: '2026-12-01T10:30:00.500Z', pending: 1 })
  t.strictSame(mock.clock.set({ now: '2026-12-02T00:00:00Z' }), { mode: 'manual', speed: 1, now: '2026-12-02T00:00:00.000Z', pending: 1 })
  t.strictSame((await app.inject({ url: '/__admin/clock' })).json(), mock.clock.state(), 'the clock the HTTP API shows')
  t.equal((await graph(app, 'POST', SESSIONS)).json<{ createdDateTime: string }>().createdDateTime, '2026-12-02T00:00:00.0000000Z', "writes are stamped with the clock's time")

  t.strictSame(thrown(() => mock.clock.advance('soon')), invalid("'soon' is not a duration: expected ISO 8601 such as PT0.5S, PT1H30M, P1D or P1W (no years or months, not negative), or a number of milliseconds"))
  t.strictSame(thrown(() => mock.clock.advance(-1)), invalid('-1 is not a duration: milliseconds must be a number from 0 to 8640000000000000'))
  t.strictSame(thrown(() => mock.clock.set({ now: '2026-12-01T00:00:00Z' })), invalid('the clock cannot go back: 2026-12-01T00:00:00.000Z is before its time, 2026-12-02T00:00:00.000Z'))
  t.strictSame(thrown(() => mock.clock.set({ now: 'noon' })), invalid("'noon' is not an instant: expected ISO 8601 with a time zone, such as 2026-12-01T09:00:00Z, or epoch milliseconds"))
  t.strictSame(thrown(() => mock.clock.set({ mode: 'fast' as 'real' })), invalid("the clock's mode must be real or manual, got 'fast'"))
  t.strictSame(thrown(() => mock.clock.set({ speed: 0 })), invalid("the clock's speed must be a number above 0 and at most 1000000, got 0"))
  t.strictSame(mock.clock.state(), { mode: 'manual', speed: 1, now: '2026-12-02T00:00:00.000Z', pending: 1 }, 'unchanged by the refused calls')
  const real = mock.clock.set({ mode: 'real', speed: 1000 })
  t.strictSame({ ...real, now: typeof real.now }, { mode: 'real', speed: 1000, now: 'string', pending: 1 })
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.ok(Date.parse(mock.clock.now()) - Date.parse('2026-12-02T00:00:00.000Z') >= 20_000, 'real mode at speed 1000: 20 ms of real time are 20 s or more')
  t.strictSame(mock.namespace('a').clock.state(), { mode: 'manual', speed: 1, now: START, pending: 1 }, "another namespace's clock is its own")
})

t.test('faults from code: add, list, get, delete, clear; a bad rule throws 400', async (t) => {
  const { app, mock } = await built(t)
  const rule = mock.faults.add({ match: { method: 'GET', path: `${SESSIONS}*` }, respond: { status: 503 }, times: 1 })
  t.strictSame(rule, {
    id: 'f1',
    match: { method: 'GET', path: `${SESSIONS}*` },
    respond: { status: 503, code: 'serviceNotAvailable', message: 'The service is not available. Try the request again after a delay.', retryAfter: 1 },
    times: 1,
    remaining: 1,
    seed: rule.seed,
    hits: 0,
    created: START
  })
  const faulted = await graph(app, 'GET', SESSIONS)
  t.equal(faulted.statusCode, 503)
  t.equal(faulted.headers['retry-after'], '1')
  t.strictSame(faulted.json<{ error: { code: string } }>().error.code, 'serviceNotAvailable')
  t.equal((await graph(app, 'GET', SESSIONS)).statusCode, 200, 'once only')
  t.strictSame(mock.requests().map((entry) => [entry.status, entry.fault]), [[503, { id: 'f1', kind: 'status' }], [200, null]])
  t.strictSame(mock.faults.list(), [{ ...rule, remaining: 0, hits: 1 }])
  t.strictSame(mock.faults.get('f1'), { ...rule, remaining: 0, hits: 1 })
  t.equal(mock.faults.get('f9'), undefined)
  t.equal(mock.faults.delete('f1'), true)
  t.equal(mock.faults.delete('f1'), false)
  mock.faults.add({ respond: { status: 500 } })
  mock.faults.add({ respond: { status: 504 } })
  t.strictSame(mock.faults.list().map((entry) => entry.id), ['f2', 'f3'])
  t.strictSame((await app.inject({ url: '/__admin/faults' })).json<{ faults: Array<{ id: string }> }>().faults.map((entry) => entry.id), ['f2', 'f3'], 'the rules the HTTP API lists')
  mock.faults.clear()
  t.strictSame(mock.faults.list(), [])
  t.strictSame(thrown(() => mock.faults.add({ respond: { status: 42 } })), invalid('respond.status must be a whole number from 400 to 599, not 42.'))
  t.strictSame(mock.faults.list(), [], 'nothing added')
  mock.namespace('a').faults.add({ respond: { status: 500 } })
  t.equal((await graph(app, 'GET', SESSIONS)).statusCode, 200, "a's rule does not fault the default namespace")
  t.equal((await graph(app, 'GET', `/_ns/a${SESSIONS}`)).statusCode, 500, 'it faults a')
})

t.test('setFixtures replaces a namespace\'s data; a bad record throws 400 naming it and replaces nothing', async (t) => {
  const { app, mock } = await built(t)
  mock.setFixtures({ exchangeRestoreSessions: [{ id: 'n1', status: 'active' }] })
  t.strictSame(ids(await graph(app, 'GET', SESSIONS)), ['n1'])
  t.strictSame(thrown(() => mock.setFixtures({ exchangeRestoreSessions: [{ id: 'n2' }, { id: 'n3', status: 'done' }] })),
    invalid('the fixtures given.exchangeRestoreSessions: record 1 (id n3): property /status must be one of "draft", "activating", "active", "completedWithError", "completed", "unknownFutureValue", "failed", null'))
  t.strictSame(ids(await graph(app, 'GET', SESSIONS)), ['n1'], 'nothing replaced')
  mock.namespace('a').setFixtures({ exchangeRestoreSessions: [{ id: 'a1', status: 'draft' }] })
  t.strictSame(ids(await graph(app, 'GET', `/_ns/a${SESSIONS}`)), ['a1'])
  t.strictSame(ids(await graph(app, 'GET', SESSIONS)), ['n1'], 'the default namespace keeps its own')
  mock.namespace('a').reset()
  t.strictSame(ids(await graph(app, 'GET', `/_ns/a${SESSIONS}`)), [S1, S2], "a namespace's reset goes back to the loaded data")
  t.strictSame(ids(await graph(app, 'GET', SESSIONS)), ['n1'], 'and only that namespace')
  mock.reset()
  t.strictSame(ids(await graph(app, 'GET', SESSIONS)), [S1, S2], 'mock.reset(): every namespace')
})

t.test('namespaces from code: namespace(name), namespaces(), deleteNamespace(); a bad name or the limit throws', async (t) => {
  const { app, mock } = await built(t, { maxNamespaces: 3 })
  t.equal(mock.name, 'default')
  const a = mock.namespace('a')
  t.equal(a.name, 'a')
  t.strictSame(mock.namespaces(), ['default', 'a'], 'made by namespace(name), as by a first request')
  t.equal(mock.namespace('default').name, 'default')
  t.equal((await graph(app, 'POST', `/_ns/a${SESSIONS}`)).statusCode, 201)
  t.strictSame(a.requests().map((entry) => entry.url), [`/_ns/a${SESSIONS}`])
  t.equal(a.countRequests(), 1)
  t.equal(mock.countRequests(), 0)
  t.strictSame(thrown(() => mock.namespace('a b')), invalid("namespace 'a b' is not a namespace name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"))
  mock.namespace('b')
  t.strictSame(thrown(() => mock.namespace('c')), {
    name: 'AdminError', statusCode: 409, code: 'namespaceLimitReached', message: 'the mock already holds 3 namespaces, its limit (MAX_NAMESPACES); delete some with DELETE /__admin/namespaces/{name} (a reset keeps them)', details: {}
  })
  t.strictSame(mock.namespaces(), ['default', 'a', 'b'])

  t.equal(mock.deleteNamespace('a'), true)
  t.equal(mock.deleteNamespace('a'), false)
  t.equal(mock.deleteNamespace('nothing here'), false)
  t.strictSame(mock.namespaces(), ['default', 'b'])
  // The handle kept from before the delete acts on the namespace of that name, made anew.
  t.strictSame(a.requests(), [], 'a made again: an empty journal')
  t.strictSame(mock.namespaces(), ['default', 'b', 'a'])
  t.strictSame(ids(await graph(app, 'GET', `/_ns/a${SESSIONS}`)), [S1, S2], 'and the seed, not what the deleted one wrote')
  t.strictSame(a.requests().map((entry) => entry.url), [`/_ns/a${SESSIONS}`], 'the handle sees the requests of a as it is now')
  a.clock.advance('PT1M')
  t.strictSame((await app.inject({ url: '/_ns/a/__admin/clock' })).json<{ now: string }>().now, '2026-12-01T09:01:00.000Z', 'and moves its clock')

  t.equal((await graph(app, 'DELETE', `${SESSIONS}/${S1}`)).statusCode, 204)
  t.equal(mock.deleteNamespace('default'), true, 'the default namespace is reset instead')
  t.strictSame(ids(await graph(app, 'GET', SESSIONS)), [S1, S2])
  t.strictSame(mock.namespaces(), ['default', 'b', 'a'])
})

t.test('reloadFixtures: reads the folder again; a broken file throws 400 and changes nothing; data given in code throws 409', async (t) => {
  const { mock: fromData } = await built(t)
  t.strictSame(await rejected(() => fromData.reloadFixtures()), {
    name: 'AdminError', statusCode: 409, code: 'noFixturesFolder', message: 'this mock was started from data given in code, not a fixtures folder: there is nothing to reload', details: {}
  })

  const dir = await mkdtemp(join(tmpdir(), 'graph-mock-control-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  const file = join(dir, 'exchangeRestoreSessions.json')
  await writeFile(file, JSON.stringify([{ id: S1, status: 'draft' }]))
  const app = await buildApp({ fixturesDir: dir })
  t.teardown(async () => { await app.close() })
  const mock = controlOf(app)
  t.equal((await graph(app, 'POST', `/_ns/a${SESSIONS}`)).statusCode, 201)
  await writeFile(file, JSON.stringify([{ id: S2, status: 'active' }]))
  await mock.reloadFixtures()
  t.strictSame(ids(await graph(app, 'GET', SESSIONS)), [S2])
  t.strictSame(ids(await graph(app, 'GET', `/_ns/a${SESSIONS}`)), [S2], 'every namespace is reset onto it')
  await writeFile(file, '{"value": [')
  const broken = await rejected(() => mock.reloadFixtures())
  t.strictSame({ ...broken, message: broken.message.startsWith('the fixtures folder was not reloaded, nothing changed: ') && broken.message.includes('exchangeRestoreSessions.json') },
    { name: 'AdminError', statusCode: 400, code: 'invalidFixtures', message: true, details: {} })
  t.strictSame(ids(await graph(app, 'GET', SESSIONS)), [S2], 'nothing changed')
})

t.test('startGraphMock: the same calls on the running mock, over real requests', async (t) => {
  const mock: GraphMock = await startGraphMock({ sessions: SEED, clockMode: 'manual', clockStart: START, logLevel: 'silent' })
  t.teardown(mock.close)
  const get = async (path: string, headers: Record<string, string> = {}): Promise<Response> => await fetch(`${mock.url}${path}`, { headers: { ...AUTH, ...headers } })

  const waiting = mock.waitForRequests(1, { filter: { path: SESSIONS, status: 503 }, timeoutMs: 5000 })
  const rule = mock.faults.add({ match: { path: SESSIONS }, respond: { status: 503 }, times: 1 })
  const faulted = await get(SESSIONS)
  t.equal(faulted.status, 503)
  t.equal(faulted.headers.get('retry-after'), '1')
  const [entry] = await waiting
  t.strictSame([entry?.status, entry?.fault, entry?.url, entry?.headers['user-agent']], [503, { id: rule.id, kind: 'status' }, SESSIONS, 'node'])
  const retried = await get(SESSIONS, { 'retry-attempt': '1' })
  t.equal(retried.status, 200)
  t.strictSame(await retried.json(), {
    '@odata.context': `${BETA}solutions/backupRestore/exchangeRestoreSessions`,
    value: SEED.map((row) => ({ '@odata.type': '#microsoft.graph.exchangeRestoreSession', ...row, restoreJobType: null, restoreSessionArtifactCount: null, createdDateTime: null, createdBy: null, completedDateTime: null, lastModifiedDateTime: null, lastModifiedBy: null, error: null }))
  })
  t.strictSame(mock.requests({ header: 'retry-attempt:1' }).map((found) => found.status), [200], 'the retry, as the client sent it')

  t.strictSame(mock.clock.advance('PT10M'), { mode: 'manual', speed: 1, now: '2026-12-01T09:10:00.000Z', pending: 1 })
  t.strictSame(await (await fetch(`${mock.url}/__admin/clock`)).json(), mock.clock.state(), 'one clock, seen from code and over HTTP')
  const created = await fetch(`${mock.url}/_ns/team-a${SESSIONS}`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: '{}' })
  t.equal(created.status, 201)
  t.equal(created.headers.get('location'), `${mock.url}/_ns/team-a${SESSIONS}('${ID1}')`)
  const team = mock.namespace('team-a')
  t.strictSame(team.requests().map((found) => [found.method, found.url, found.status]), [['POST', `/_ns/team-a${SESSIONS}`, 201]])
  t.strictSame(mock.namespaces(), ['default', 'team-a'])
  t.strictSame(await (await fetch(`${mock.url}/__admin/namespaces`)).json(), {
    namespaces: [
      { name: 'default', clock: { mode: 'manual', speed: 1, now: '2026-12-01T09:10:00.000Z', pending: 1 }, requests: 2, dropped: 0, faults: 1 },
      { name: 'team-a', clock: { mode: 'manual', speed: 1, now: START, pending: 1 }, requests: 1, dropped: 0, faults: 0 }
    ],
    limit: 10000
  })
  mock.reset()
  t.strictSame(mock.requests(), [])
  t.strictSame(mock.faults.list(), [])
  t.strictSame(mock.clock.state(), { mode: 'manual', speed: 1, now: START, pending: 1 })
  t.equal(team.countRequests(), 0)
  t.equal(mock.deleteNamespace('team-a'), true)
  t.strictSame(mock.namespaces(), ['default'])
  t.strictSame(await rejected(() => mock.reloadFixtures()), {
    name: 'AdminError', statusCode: 409, code: 'noFixturesFolder', message: 'this mock was started from data given in code, not a fixtures folder: there is nothing to reload', details: {}
  })
})
