// The admin API under /__admin as a test suite calls it: every route described in /openapi.json
// under the admin tag, ADMIN_TOKEN, reset (data, clock, faults, journal), fixtures put and reloaded,
// the clock, the admin 404, and what the journal records. Whole bodies, exact statuses and headers.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import SwaggerParser from '@apidevtools/swagger-parser'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp, type AppOptions } from '../../src/app.js'

const START = '2026-12-01T09:00:00.000Z'
const SESSIONS = '/beta/solutions/backupRestore/exchangeRestoreSessions'
const BETA = 'https://graph.microsoft.com/beta/$metadata#'
const AUTH = { authorization: 'Bearer test-token' }
const ADMIN_JSON = 'application/json; charset=utf-8'
const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'
const S1 = '11111111-aaaa-4000-8000-000000000001'
const S2 = '11111111-aaaa-4000-8000-000000000002'
const ID1 = 'c0662f19-1ddb-47b3-92cb-398e4d07565b'
const MOCK_USER = { application: null, device: null, user: { displayName: 'Graph Mock User', id: 'a1b2c3d4-0000-4000-8000-000000000001' } }

/** The admin routes, each as `METHOD path` in the API description's spelling. */
const ADMIN_ROUTES = [
  'DELETE /__admin/faults',
  'DELETE /__admin/faults/{id}',
  'DELETE /__admin/namespaces/{name}',
  'DELETE /__admin/requests',
  'GET /__admin/clock',
  'GET /__admin/faults',
  'GET /__admin/faults/{id}',
  'GET /__admin/namespaces',
  'GET /__admin/namespaces/{name}',
  'GET /__admin/requests',
  'GET /__admin/requests/count',
  'POST /__admin/clock/advance',
  'POST /__admin/faults',
  'POST /__admin/fixtures/reload',
  'POST /__admin/requests/wait',
  'POST /__admin/reset',
  'POST /__admin/token',
  'PUT /__admin/clock',
  'PUT /__admin/fixtures'
]

const SEED = [{ id: S1, status: 'draft' }, { id: S2, status: 'completed' }]

async function mock (t: Test, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp({ sessions: SEED, clockMode: 'manual', clockStart: START, ...options })
  t.teardown(async () => { await app.close() })
  return app
}

async function admin (app: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) })
}

function graph (app: FastifyInstance, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return app.inject({ method, url, headers: payload === undefined ? AUTH : { ...AUTH, 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) })
}

/** A session row as served for the bare seed records. */
function seedRow (id: string, status: string): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.exchangeRestoreSession',
    id,
    status,
    restoreJobType: null,
    restoreSessionArtifactCount: null,
    createdDateTime: null,
    createdBy: null,
    completedDateTime: null,
    lastModifiedDateTime: null,
    lastModifiedBy: null,
    error: null
  }
}

function sessionList (rows: unknown[]): Record<string, unknown> {
  return { '@odata.context': `${BETA}solutions/backupRestore/exchangeRestoreSessions`, value: rows }
}

/** An admin answer: status, its JSON body, and the headers every answer of the mock carries. */
function assertAdmin (t: Test, response: LightMyRequestResponse, status: number, body: unknown, message?: string): void {
  t.equal(response.statusCode, status, `${response.raw.req.method ?? ''} ${response.raw.req.url ?? ''}`)
  t.strictSame(response.json(), body, message ?? 'the body')
  const { 'request-id': requestId, date, ...headers } = response.headers
  t.match(requestId, /^[0-9a-f-]{36}$/)
  t.type(date, 'string')
  t.strictSame(headers, {
    'client-request-id': requestId,
    'odata-version': '4.0',
    'cache-control': 'no-cache',
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'request-id, client-request-id, Location, Retry-After, Preference-Applied, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset',
    'content-type': ADMIN_JSON,
    'content-length': String(Buffer.byteLength(response.body)),
    connection: 'keep-alive'
  })
}

const CLOCK_AT_START = { mode: 'manual', speed: 1, now: START, pending: 1 }

t.test('every /__admin route is in /openapi.json under the admin tag, and the document is valid', async (t) => {
  const app = await mock(t)
  const response = await app.inject({ url: '/openapi.json' })
  t.equal(response.statusCode, 200)
  const document = response.json<{ tags: Array<{ name: string, description: string }>, paths: Record<string, Record<string, { tags?: string[], summary?: string }>> }>()
  const described = Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/__admin'))
    .flatMap(([path, operations]) => Object.entries(operations).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })))
  t.strictSame(described.map((entry) => entry.route).sort(), ADMIN_ROUTES)
  for (const { route, operation } of described) {
    t.strictSame(operation.tags, ['admin'], `${route}: tagged admin`)
    t.match(operation.summary, /^\S.{10,}/, `${route}: summarised`)
  }
  t.strictSame(document.tags, [{ name: 'admin', description: 'The test-control plane (/__admin): reset, data, request journal, clock, faults, namespaces. Not part of Graph; guarded by ADMIN_TOKEN when it is set.' }])
  await t.resolves(SwaggerParser.validate(structuredClone(document) as never), 'valid per swagger-parser')
})

t.test('ADMIN_TOKEN: every admin call without it, or with another, is 401; with it, it goes through', async (t) => {
  const app = await mock(t, { adminToken: 'admin-secret' })
  const refused = { error: { code: 'unauthorized', message: 'the control plane needs Authorization: Bearer <ADMIN_TOKEN>' } }
  const calls = [...ADMIN_ROUTES.map((route) => route.replace('{id}', 'f1').replace('{name}', 'default')), 'GET /__admin/no-such-call', 'GET /_ns/a/__admin/clock']
  for (const call of calls) {
    const [method, url] = call.split(' ') as ['GET' | 'POST' | 'PUT' | 'DELETE', string]
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'Bearer admin-secret2' }, { authorization: 'admin-secret' }, AUTH]) {
      assertAdmin(t, await admin(app, method, url, undefined, headers), 401, refused)
    }
  }
  const token = { authorization: 'Bearer admin-secret' }
  // With the token, every route answers as itself.
  const answered: Array<[string, unknown, number]> = [
    ['DELETE /__admin/faults', undefined, 204],
    ['DELETE /__admin/faults/f1', undefined, 404],
    ['DELETE /__admin/namespaces/default', undefined, 204],
    ['DELETE /__admin/requests', undefined, 204],
    ['GET /__admin/clock', undefined, 200],
    ['GET /__admin/faults', undefined, 200],
    ['GET /__admin/faults/f1', undefined, 404],
    ['GET /__admin/namespaces', undefined, 200],
    ['GET /__admin/namespaces/default', undefined, 200],
    ['GET /__admin/requests', undefined, 200],
    ['GET /__admin/requests/count', undefined, 200],
    ['POST /__admin/clock/advance', { by: 'PT1S' }, 200],
    ['POST /__admin/faults', { respond: { status: 500 }, times: 1 }, 201],
    ['POST /__admin/fixtures/reload', undefined, 409],
    ['POST /__admin/requests/wait', { count: 1, timeoutMs: 0 }, 408],
    ['POST /__admin/reset', undefined, 200],
    ['POST /__admin/token', {}, 200],
    ['PUT /__admin/clock', { mode: 'manual' }, 200],
    ['PUT /__admin/fixtures', { exchangeRestoreSessions: SEED }, 200]
  ]
  t.strictSame(answered.map(([call]) => call.replace('f1', '{id}').replace('default', '{name}')), ADMIN_ROUTES, 'each route once')
  for (const [call, payload, status] of answered) {
    const [method, url] = call.split(' ') as ['GET' | 'POST' | 'PUT' | 'DELETE', string]
    t.equal((await admin(app, method, url, payload, token)).statusCode, status, call)
  }
  assertAdmin(t, await admin(app, 'GET', '/__admin/clock', undefined, token), 200, CLOCK_AT_START)
  // The refused calls to /_ns/a/… named a: a namespace is made by any first request, as by a Graph one.
  assertAdmin(t, await admin(app, 'POST', '/__admin/reset', undefined, token), 200, { reset: ['default', 'a'] })
  assertAdmin(t, await admin(app, 'GET', '/_ns/a/__admin/requests', undefined, token), 200, { requests: [], dropped: 0 })
  assertAdmin(t, await admin(app, 'GET', '/__admin/no-such-call', undefined, token), 404, { error: { code: 'notFound', message: 'GET /__admin/no-such-call is not a control-plane call; see the admin tag of /openapi.json' } })
  const fromGraph = await graph(app, 'GET', SESSIONS)
  t.equal(fromGraph.statusCode, 200, 'Graph routes take any bearer token, as before')
  t.equal(fromGraph.headers['content-type'], GRAPH_JSON)
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, '/healthz needs no token')

  const open = await mock(t)
  assertAdmin(t, await admin(open, 'GET', '/__admin/clock'), 200, CLOCK_AT_START)
})

t.test('a reset puts back the data, the clock, the faults, the ids and the journal', async (t) => {
  const app = await mock(t)
  const created = await graph(app, 'POST', SESSIONS, {})
  t.equal(created.statusCode, 201)
  t.equal(created.json<{ id: string }>().id, ID1)
  t.equal((await graph(app, 'DELETE', `${SESSIONS}/${S1}`)).statusCode, 204)
  assertAdmin(t, await admin(app, 'POST', '/__admin/clock/advance', { by: 'PT1H' }), 200, { ...CLOCK_AT_START, now: '2026-12-01T10:00:00.000Z' })
  const fault = await admin(app, 'POST', '/__admin/faults', { match: { method: 'DELETE' }, respond: { status: 503 } })
  t.equal(fault.statusCode, 201)
  t.equal((await admin(app, 'GET', '/__admin/requests/count')).json<{ count: number }>().count, 2)

  assertAdmin(t, await admin(app, 'POST', '/__admin/reset'), 200, { reset: ['default'] })
  assertAdmin(t, await admin(app, 'GET', '/__admin/requests'), 200, { requests: [], dropped: 0 })
  assertAdmin(t, await admin(app, 'GET', '/__admin/clock'), 200, CLOCK_AT_START)
  assertAdmin(t, await admin(app, 'GET', '/__admin/faults'), 200, { faults: [] })
  t.strictSame((await graph(app, 'GET', SESSIONS)).json(), sessionList([seedRow(S1, 'draft'), seedRow(S2, 'completed')]), 'the seed data')
  const again = await graph(app, 'POST', SESSIONS, {})
  t.equal(again.json<{ id: string }>().id, ID1, 'the id sequence from its start')
  t.equal(again.json<{ createdDateTime: string }>().createdDateTime, '2026-12-01T09:00:00.0000000Z', 'stamped with the clock from its start')
  t.equal((await graph(app, 'DELETE', `${SESSIONS}/${ID1}`)).statusCode, 204, 'the fault rule is gone')

  const withBody = await admin(app, 'POST', '/__admin/reset', { namespace: 'a' })
  assertAdmin(t, withBody, 400, { error: { code: 'invalidRequest', message: "unknown property 'namespace'; this call takes no properties" } })
  assertAdmin(t, await admin(app, 'POST', '/__admin/reset', [1]), 400, { error: { code: 'invalidRequest', message: 'the body must be a JSON object' } })
})

t.test('PUT /__admin/fixtures: the namespace then serves exactly what was posted; a bad record is 400 naming it, and nothing is replaced', async (t) => {
  const app = await mock(t)
  const posted = {
    exchangeRestoreSessions: [
      { id: 'n1', status: 'active', restoreJobType: 'standard', restoreSessionArtifactCount: { total: 0, completed: 0, inProgress: 0, failed: 0 }, createdDateTime: '2026-11-01T00:00:00Z', createdBy: MOCK_USER, completedDateTime: null, lastModifiedDateTime: '2026-11-01T00:00:00Z', lastModifiedBy: MOCK_USER, error: null },
      { id: 'n2', status: 'activating' }
    ]
  }
  const put = await admin(app, 'PUT', '/__admin/fixtures', posted)
  assertAdmin(t, put, 200, { namespace: 'default', sets: { exchangeRestoreSessions: 2 } })
  const served = [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', ...posted.exchangeRestoreSessions[0] }, seedRow('n2', 'activating')]
  t.strictSame((await graph(app, 'GET', SESSIONS)).json(), sessionList(served), 'exactly the posted sessions')
  t.strictSame((await graph(app, 'GET', '/beta/solutions/backupRestore/restorePoints')).json(), { '@odata.context': `${BETA}solutions/backupRestore/restorePoints`, value: [] }, 'sets not posted are empty')
  t.strictSame((await graph(app, 'GET', `/_ns/a${SESSIONS}`)).json(), sessionList([seedRow(S1, 'draft'), seedRow(S2, 'completed')]), 'another namespace keeps the seed')

  const before = (await graph(app, 'GET', SESSIONS)).body
  const bad: Array<[unknown, string]> = [
    [{ exchangeRestoreSessions: [{ id: 'x1', status: 'draft' }, { id: 'x2', status: 'finished' }] }, 'the posted fixtures.exchangeRestoreSessions: record 1 (id x2): property /status must be one of "draft", "activating", "active", "completedWithError", "completed", "unknownFutureValue", "failed", null'],
    [{ exchangeRestoreSessions: [{ id: 'x1' }, { id: 'x1' }] }, 'the posted fixtures.exchangeRestoreSessions: record 1 (id x1): property /id must be unique, but the same id was already loaded as record 0 of the posted fixtures.exchangeRestoreSessions'],
    [{ exchangeRestoreSessions: [{ id: 'x1', unknownProperty: 1 }] }, 'the posted fixtures.exchangeRestoreSessions: record 0 (id x1): property /unknownProperty is not a property of exchangeRestoreSession'],
    [[{ id: 'x1' }], 'the body must be a JSON object of set names to arrays of records']
  ]
  for (const [body, message] of bad) {
    assertAdmin(t, await admin(app, 'PUT', '/__admin/fixtures', body), 400, { error: { code: 'invalidRequest', message } })
    t.equal((await graph(app, 'GET', SESSIONS)).body, before, 'nothing replaced')
  }
  const unknownSet = await admin(app, 'PUT', '/__admin/fixtures', { sessions: [] })
  t.equal(unknownSet.statusCode, 400)
  t.match(unknownSet.json(), { error: { code: 'invalidRequest', message: /^the posted fixtures\.sessions: not a set or singleton; the names are backupRestore, allDrivesBackup, / } })
  t.equal((await graph(app, 'GET', SESSIONS)).body, before, 'nothing replaced')

  const inA = await admin(app, 'PUT', '/_ns/a/__admin/fixtures', { exchangeRestoreSessions: [{ id: 'a1', status: 'draft' }] })
  assertAdmin(t, inA, 200, { namespace: 'a', sets: { exchangeRestoreSessions: 1 } })
  t.strictSame((await graph(app, 'GET', `/_ns/a${SESSIONS}`)).json(), sessionList([seedRow('a1', 'draft')]))
  t.equal((await graph(app, 'GET', SESSIONS)).body, before, 'the default namespace keeps its own')
  assertAdmin(t, await admin(app, 'POST', '/__admin/reset'), 200, { reset: ['default', 'a'] })
  t.strictSame((await graph(app, 'GET', SESSIONS)).json(), sessionList([seedRow(S1, 'draft'), seedRow(S2, 'completed')]), 'a reset goes back to the loaded data')
})

t.test('POST /__admin/fixtures/reload reads the folder again; a broken file is 400 and changes nothing; data given in code is 409', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'graph-mock-admin-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  const file = join(dir, 'exchangeRestoreSessions.json')
  await writeFile(file, JSON.stringify([{ id: S1, status: 'draft' }]))
  const app = await buildApp({ fixturesDir: dir, clockMode: 'manual', clockStart: START })
  t.teardown(async () => { await app.close() })
  t.strictSame((await graph(app, 'GET', SESSIONS)).json(), sessionList([seedRow(S1, 'draft')]))
  t.equal((await graph(app, 'POST', `/_ns/a${SESSIONS}`, {})).statusCode, 201)
  assertAdmin(t, await admin(app, 'POST', '/_ns/a/__admin/clock/advance', { by: 'PT1M' }), 200, { mode: 'manual', speed: 1, now: '2026-12-01T09:01:00.000Z', pending: 1 })

  await writeFile(file, JSON.stringify([{ id: S1, status: 'completed' }, { id: S2, status: 'active' }]))
  assertAdmin(t, await admin(app, 'POST', '/__admin/fixtures/reload'), 200, { files: 1, sets: { exchangeRestoreSessions: 2 }, reset: ['default', 'a'] })
  const reloaded = sessionList([seedRow(S1, 'completed'), seedRow(S2, 'active')])
  t.strictSame((await graph(app, 'GET', SESSIONS)).json(), reloaded, 'default: the changed file')
  t.strictSame((await graph(app, 'GET', `/_ns/a${SESSIONS}`)).json(), reloaded, 'a: reset onto it, its own write gone')
  assertAdmin(t, await admin(app, 'GET', '/_ns/a/__admin/clock'), 200, { mode: 'manual', speed: 1, now: START, pending: 1 })

  await writeFile(file, '[{"id": "broken", ')
  const broken = await admin(app, 'POST', '/__admin/fixtures/reload')
  t.equal(broken.statusCode, 400)
  t.match(broken.json(), { error: { code: 'invalidFixtures', message: /^the fixtures folder was not reloaded, nothing changed: .*exchangeRestoreSessions\.json/ } })
  t.strictSame((await graph(app, 'GET', SESSIONS)).json(), reloaded, 'nothing changed')
  await writeFile(file, JSON.stringify([{ id: S1, status: 'halted' }]))
  const invalid = await admin(app, 'POST', '/__admin/fixtures/reload')
  t.equal(invalid.statusCode, 400)
  t.match(invalid.json(), { error: { code: 'invalidFixtures', message: /^the fixtures folder was not reloaded, nothing changed: .*exchangeRestoreSessions\.json: record 0 \(id 11111111-aaaa-4000-8000-000000000001\): property \/status must be one of / } })
  t.strictSame((await graph(app, 'GET', SESSIONS)).json(), reloaded, 'nothing changed')
  assertAdmin(t, await admin(app, 'POST', '/__admin/fixtures/reload', { dir: '/elsewhere' }), 400, { error: { code: 'invalidRequest', message: "unknown property 'dir'; this call takes no properties" } })

  const fromData = await mock(t)
  assertAdmin(t, await admin(fromData, 'POST', '/__admin/fixtures/reload'), 409, { error: { code: 'noFixturesFolder', message: 'this mock was started from data given in code, not a fixtures folder: there is nothing to reload' } })
})

t.test('the clock: read, advanced by an ISO duration or milliseconds, set; bad values are 400 with a message', async (t) => {
  const app = await mock(t)
  assertAdmin(t, await admin(app, 'GET', '/__admin/clock'), 200, CLOCK_AT_START)
  assertAdmin(t, await admin(app, 'POST', '/__admin/clock/advance', { by: 'PT5M' }), 200, { ...CLOCK_AT_START, now: '2026-12-01T09:05:00.000Z' })
  assertAdmin(t, await admin(app, 'POST', '/__admin/clock/advance', { by: 60000 }), 200, { ...CLOCK_AT_START, now: '2026-12-01T09:06:00.000Z' })
  assertAdmin(t, await admin(app, 'POST', '/__admin/clock/advance', { by: 'P1DT0.5S' }), 200, { ...CLOCK_AT_START, now: '2026-12-02T09:06:00.500Z' })
  const bad: Array<[unknown, string]> = [
    [{ by: 'soon' }, "'soon' is not a duration: expected ISO 8601 such as PT0.5S, PT1H30M, P1D or P1W (no years or months, not negative), or a number of milliseconds"],
    [{ by: 'P1M' }, "'P1M' is not a duration: expected ISO 8601 such as PT0.5S, PT1H30M, P1D or P1W (no years or months, not negative), or a number of milliseconds"],
    [{ by: -5 }, '-5 is not a duration: milliseconds must be a number from 0 to 8640000000000000'],
    [{}, "property 'by' is required: an ISO 8601 duration (PT5M) or milliseconds"],
    [{ by: true }, "property 'by' is required: an ISO 8601 duration (PT5M) or milliseconds"],
    [{ by: 'PT1M', until: 'later' }, "unknown property 'until'; the properties are by"]
  ]
  for (const [body, message] of bad) assertAdmin(t, await admin(app, 'POST', '/__admin/clock/advance', body), 400, { error: { code: 'invalidRequest', message } })
  assertAdmin(t, await admin(app, 'GET', '/__admin/clock'), 200, { ...CLOCK_AT_START, now: '2026-12-02T09:06:00.500Z' }, 'unchanged by the refused calls')

  assertAdmin(t, await admin(app, 'PUT', '/__admin/clock', { now: '2026-12-24T18:00:00+01:00' }), 200, { ...CLOCK_AT_START, now: '2026-12-24T17:00:00.000Z' })
  assertAdmin(t, await admin(app, 'PUT', '/__admin/clock', { now: Date.parse('2026-12-25T00:00:00Z') }), 200, { ...CLOCK_AT_START, now: '2026-12-25T00:00:00.000Z' })
  assertAdmin(t, await admin(app, 'PUT', '/__admin/clock', { now: '2026-12-01T00:00:00Z' }), 400, { error: { code: 'invalidRequest', message: 'the clock cannot go back: 2026-12-01T00:00:00.000Z is before its time, 2026-12-25T00:00:00.000Z' } })
  const badSet: Array<[unknown, string]> = [
    [{ mode: 'fast' }, "the clock's mode must be real or manual, got 'fast'"],
    [{ mode: 1 }, "property 'mode' must be real or manual"],
    [{ speed: 0 }, "the clock's speed must be a number above 0 and at most 1000000, got 0"],
    [{ speed: '2' }, "property 'speed' must be a number"],
    [{ now: 'tomorrow' }, "'tomorrow' is not an instant: expected ISO 8601 with a time zone, such as 2026-12-01T09:00:00Z, or epoch milliseconds"],
    [{ now: '2027-01-01T00:00:00' }, "'2027-01-01T00:00:00' is not an instant: expected ISO 8601 with a time zone, such as 2026-12-01T09:00:00Z, or epoch milliseconds"],
    [{ when: 'now' }, "unknown property 'when'; the properties are mode, speed, now"]
  ]
  for (const [body, message] of badSet) assertAdmin(t, await admin(app, 'PUT', '/__admin/clock', body), 400, { error: { code: 'invalidRequest', message } })
  assertAdmin(t, await admin(app, 'GET', '/__admin/clock'), 200, { ...CLOCK_AT_START, now: '2026-12-25T00:00:00.000Z' }, 'unchanged by the refused calls')

  const real = await admin(app, 'PUT', '/__admin/clock', { mode: 'real', speed: 60 })
  t.equal(real.statusCode, 200)
  t.strictSame(real.json<Record<string, unknown>>().mode, 'real')
  t.strictSame(real.json<Record<string, unknown>>().speed, 60)
  await new Promise((resolve) => setTimeout(resolve, 100))
  const manual = await admin(app, 'PUT', '/__admin/clock', { mode: 'manual' })
  t.equal(manual.statusCode, 200)
  const { now, ...rest } = manual.json<{ now: string }>()
  t.strictSame(rest, { mode: 'manual', speed: 60, pending: 1 })
  const moved = Date.parse(now) - Date.parse('2026-12-25T00:00:00.000Z')
  t.ok(moved >= 6000 && moved < 120_000, `real mode at speed 60 moved the clock a minute a second (${moved} ms in about 0.1 s)`)
  assertAdmin(t, await admin(app, 'GET', '/__admin/clock'), 200, { mode: 'manual', speed: 60, now, pending: 1 }, 'manual again: time stands still')
})

t.test('a call that is not one of the admin API is its own 404', async (t) => {
  const app = await mock(t)
  const cases: Array<['GET' | 'POST' | 'PUT' | 'DELETE', string, string]> = [
    ['GET', '/__admin/nothing', 'GET /__admin/nothing is not a control-plane call; see the admin tag of /openapi.json'],
    ['POST', '/__admin/clock', 'POST /__admin/clock is not a control-plane call; see the admin tag of /openapi.json'],
    ['DELETE', '/__admin/clock?x=1', 'DELETE /__admin/clock is not a control-plane call; see the admin tag of /openapi.json'],
    ['GET', '/__admin/faults/f1/extra', 'GET /__admin/faults/f1/extra is not a control-plane call; see the admin tag of /openapi.json'],
    ['GET', '/_ns/a/__admin/nothing', 'GET /__admin/nothing is not a control-plane call; see the admin tag of /openapi.json']
  ]
  for (const [method, url, message] of cases) assertAdmin(t, await admin(app, method, url), 404, { error: { code: 'notFound', message } })
  assertAdmin(t, await admin(app, 'GET', '/__admin/faults/f9'), 404, { error: { code: 'faultNotFound', message: "There is no fault rule 'f9' in this namespace; GET /__admin/faults lists them." } })
  assertAdmin(t, await admin(app, 'GET', '/__admin/namespaces/zz'), 404, { error: { code: 'namespaceNotFound', message: "there is no namespace 'zz'; a namespace is made by its first request" } })
})

t.test('the journal records Graph requests only, each with its namespace, whole', async (t) => {
  const app = await mock(t)
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200)
  t.equal((await app.inject({ url: '/_ns/a/healthz' })).statusCode, 200)
  t.equal((await app.inject({ url: '/openapi.json' })).statusCode, 200)
  t.equal((await admin(app, 'GET', '/__admin/clock')).statusCode, 200)
  t.equal((await admin(app, 'POST', '/__admin/clock/advance', { by: 'PT1S' })).statusCode, 200)
  t.equal((await admin(app, 'GET', '/__admin/nothing')).statusCode, 404)
  assertAdmin(t, await admin(app, 'GET', '/__admin/requests'), 200, { requests: [], dropped: 0 })

  const created = await app.inject({ method: 'POST', url: `${SESSIONS}?$select=id`, headers: { ...AUTH, 'content-type': 'application/json', 'client-request-id': 'my-call-1' }, payload: '{}' })
  t.equal(created.statusCode, 201)
  const unauthorized = await app.inject({ url: SESSIONS })
  t.equal(unauthorized.statusCode, 401)
  const unknown = await graph(app, 'GET', '/beta/solutions/backupRestore/nothing')
  t.equal(unknown.statusCode, 400)
  const inA = await graph(app, 'GET', `/_ns/a${SESSIONS}/${S1}?$select=id`)
  t.equal(inA.statusCode, 200)

  const journal = await admin(app, 'GET', '/__admin/requests')
  t.equal(journal.statusCode, 200)
  const entries = journal.json<{ requests: Array<Record<string, unknown>>, dropped: number }>()
  t.strictSame(entries.requests.map((entry) => [entry.method, entry.url, entry.status]), [
    ['POST', `${SESSIONS}?$select=id`, 201],
    ['GET', SESSIONS, 401],
    ['GET', '/beta/solutions/backupRestore/nothing', 400]
  ], 'the Graph requests of the default namespace, answered or refused')
  const { durationMs, ...first } = entries.requests[0] as Record<string, unknown>
  t.type(durationMs, 'number')
  const responseHeaders = { ...created.headers }
  delete responseHeaders.date
  delete responseHeaders.connection
  t.strictSame(first, {
    id: '1',
    requestId: created.headers['request-id'],
    namespace: 'default',
    time: '2026-12-01T09:00:01.000Z',
    method: 'POST',
    url: `${SESSIONS}?$select=id`,
    path: SESSIONS,
    headers: { authorization: 'Bearer test-tok…', 'content-type': 'application/json', 'client-request-id': 'my-call-1', 'user-agent': 'lightMyRequest', host: 'localhost:80', 'content-length': '2' },
    body: {},
    status: 201,
    responseHeaders,
    fault: null,
    earlyRetry: false
  }, 'the whole entry: request, answer, mock time')
  t.equal(entries.dropped, 0)

  const inAJournal = (await admin(app, 'GET', '/_ns/a/__admin/requests')).json<{ requests: Array<Record<string, unknown>> }>().requests
  t.strictSame(inAJournal.map((entry) => [entry.namespace, entry.method, entry.url, entry.path, entry.status]), [['a', 'GET', `/_ns/a${SESSIONS}/${S1}?$select=id`, `${SESSIONS}/${S1}`, 200]], "a's own journal, the URL as sent")
  t.strictSame((await admin(app, 'GET', '/__admin/requests', undefined, { 'x-graph-mock-namespace': 'a' })).json(), (await admin(app, 'GET', '/_ns/a/__admin/requests')).json(), 'the same by header')
})

t.test('JOURNAL_LIMIT bounds the journal (the oldest go, dropped counts them); 0 turns it off', async (t) => {
  const small = await mock(t, { journalLimit: 2 })
  for (const id of [S1, S2, S1]) t.equal((await graph(small, 'GET', `${SESSIONS}/${id}?$select=id`)).statusCode, 200)
  const kept = (await admin(small, 'GET', '/__admin/requests')).json<{ requests: Array<{ id: string, url: string }>, dropped: number }>()
  t.strictSame({ ids: kept.requests.map((entry) => [entry.id, entry.url]), dropped: kept.dropped }, { ids: [['2', `${SESSIONS}/${S2}?$select=id`], ['3', `${SESSIONS}/${S1}?$select=id`]], dropped: 1 })

  const off = await mock(t, { journalLimit: 0 })
  for (const id of [S1, S2]) t.equal((await graph(off, 'GET', `${SESSIONS}/${id}?$select=id`)).statusCode, 200)
  t.equal((await graph(off, 'GET', `/_ns/a${SESSIONS}/${S1}?$select=id`)).statusCode, 200)
  assertAdmin(t, await admin(off, 'GET', '/__admin/requests'), 200, { requests: [], dropped: 0 })
  assertAdmin(t, await admin(off, 'GET', '/__admin/requests/count'), 200, { count: 0 })
  assertAdmin(t, await admin(off, 'GET', '/_ns/a/__admin/requests'), 200, { requests: [], dropped: 0 })
  t.strictSame((await admin(off, 'GET', '/__admin/namespaces')).json<{ namespaces: Array<{ requests: number, dropped: number }> }>().namespaces.map((n) => [n.requests, n.dropped]), [[0, 0], [0, 0]])
})
