// The programmatic API, used the way a test suite uses it: import the package entry, start a mock on
// a free port with exactly the rows the test asserts on, request it over the network, close it.

import { request as httpsRequest } from 'node:https'
import { createServer } from 'node:net'
import t, { type Test } from 'tap'
import { startGraphMock, ConfigError, FixtureError, type ExchangeRestoreSession, type GraphMock, type StartOptions } from '../../src/index.js'
import { CONTEXT, LIST, session } from '../helper.js'

const TYPE = '#microsoft.graph.exchangeRestoreSession'
const AUTH = { authorization: 'Bearer test-token' }
const first = session('5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31')
const second = session('c2a9d4e7-1b3f-4a5c-8e6d-7f9a0b1c2d3e', { status: 'draft', restoreJobType: 'bulk' })

async function start (t: Test, options: StartOptions): Promise<GraphMock> {
  const mock = await startGraphMock(options)
  t.teardown(mock.close)
  return mock
}

async function list (mock: GraphMock): Promise<{ status: number, body: unknown }> {
  const response = await fetch(`${mock.url}${LIST}`, { headers: AUTH })
  return { status: response.status, body: await response.json() }
}

function envelope (...rows: ExchangeRestoreSession[]): unknown {
  return { '@odata.context': CONTEXT, value: rows.map((row) => ({ '@odata.type': TYPE, ...row })) }
}

/** Whether something can listen on the port right now. */
async function portIsFree (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => { resolve(false) })
    server.listen(port, '127.0.0.1', () => { server.close(() => { resolve(true) }) })
  })
}

t.test('sessions given as data are served over HTTP on a free port', async (t) => {
  const mock = await start(t, { port: 0, sessions: [first, second] })
  t.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'the url is the origin')
  t.equal(mock.certificate, undefined, 'no certificate over HTTP')
  t.strictSame(await list(mock), { status: 200, body: envelope(first, second) }, 'the whole list')
})

t.test('the port defaults to 0 and the options to the environment variables\' defaults', async (t) => {
  const mock = await start(t, { sessions: [first, second], pageSize: 1 })
  const response = await fetch(`${mock.url}${LIST}`, { headers: AUTH })
  const body = await response.json() as { value: unknown[], '@odata.nextLink'?: string }
  t.equal(body.value.length, 1, 'pageSize applies')
  t.match(body['@odata.nextLink'], /\$skiptoken=/, 'with a next link')
})

t.test('two mocks in one process are independent', async (t) => {
  const one = await start(t, { port: 0, sessions: [first] })
  const two = await start(t, { port: 0, sessions: [second] })
  t.not(one.url, two.url, 'different ports')
  t.strictSame(await list(one), { status: 200, body: envelope(first) }, 'the first serves its rows')
  t.strictSame(await list(two), { status: 200, body: envelope(second) }, 'the second serves its rows')
  await one.close()
  t.strictSame(await list(two), { status: 200, body: envelope(second) }, 'closing one leaves the other serving')
})

t.test('a bad option rejects with a clear error', async (t) => {
  const cases: Array<[string, unknown, { name: string, message: string }]> = [
    ['pageSize 0', { pageSize: 0 }, { name: 'ConfigError', message: "option pageSize must be a whole number from 1 to 100000, got '0'" }],
    ['a port that is not a number', { port: 'x' }, { name: 'ConfigError', message: "option port must be a whole number from 0 to 65535, got 'x'" }],
    ['a port out of range', { port: 70000 }, { name: 'ConfigError', message: "option port must be a whole number from 0 to 65535, got '70000'" }],
    ['a fractional port', { port: 1.5 }, { name: 'ConfigError', message: "option port must be a whole number from 0 to 65535, got '1.5'" }],
    ['an empty host', { host: ' ' }, { name: 'ConfigError', message: 'option host must not be empty' }],
    ['topAboveMax not an allowed word', { topAboveMax: 'maybe' }, { name: 'ConfigError', message: "option topAboveMax must be one of clamp, error, got 'maybe'" }],
    ['a setting of the wrong type', { maxPageSize: { size: 5 } }, { name: 'ConfigError', message: 'option maxPageSize must be a number, got object' }],
    ['pageSize above maxPageSize', { pageSize: 50, maxPageSize: 10 }, { name: 'ConfigError', message: 'option pageSize (50) must not exceed option maxPageSize (10)' }],
    ['trustProxy not a boolean', { trustProxy: 'sometimes' }, { name: 'ConfigError', message: "option trustProxy must be true or false, got 'sometimes'" }],
    ['trustProxy of the wrong type', { trustProxy: [] }, { name: 'ConfigError', message: 'option trustProxy must be a boolean, got object' }],
    ['tls neither a boolean nor PEM', { tls: 'yes' }, { name: 'ConfigError', message: 'option tls must be true, false or { cert, key } with PEM strings' }],
    ['a misspelt option', { pagesize: 5 }, { name: 'ConfigError', message: "unknown option 'pagesize'; the options are port, host, tls, fixturesDir, logLevel, logFormat, pageSize, maxPageSize, topAboveMax, unknownQueryOptions, maxFilterLength, maxUrlLength, bodyLimit, skipTokenSecret, trustProxy, corsOrigins, authMode, authSecret, authPublicKey, authJwks, authSigningKey, authCheckAudience, clockMode, clockSpeed, clockStart, restoreStep, protectionStep, restorePointInterval, failureRate, seed, adminToken, journalLimit, maxNamespaces, throttleLimit, throttleWindow, sessions, data, store, verifyToken, clock" }],
    ['a session that breaks the schema', { sessions: [{ id: 1 }] }, { name: 'FixtureError', message: 'sessions: record 0: property /id must be a string' }],
    ['sessions that are not an array', { sessions: { id: 'a' } }, { name: 'FixtureError', message: 'sessions: the records must be an array of exchangeRestoreSessions records, found an object' }],
    ['a missing fixtures folder', { fixturesDir: '/no/such/folder' }, { name: 'FixtureError', message: "/no/such/folder: cannot read the fixtures folder (ENOENT: no such file or directory, scandir '/no/such/folder')" }]
  ]
  for (const [name, options, expected] of cases) {
    // The options are deliberately untyped: a JavaScript caller, or a value read from somewhere.
    const error = await startGraphMock(options as StartOptions).then(async (mock) => { await mock.close(); return undefined }, (caught: unknown) => caught)
    t.ok(error instanceof Error, `${name}: rejects with an Error`)
    t.strictSame(error instanceof Error ? { name: error.name, message: error.message } : error, expected, `${name}: the message`)
  }
  const config = await startGraphMock({ pageSize: 0 }).catch((caught: unknown) => caught)
  t.ok(config instanceof ConfigError, 'a bad setting is a ConfigError')
  const fixture = await startGraphMock({ sessions: [{ id: 1 }] }).catch((caught: unknown) => caught)
  t.ok(fixture instanceof FixtureError, 'a bad record is a FixtureError')
})

t.test('a port in use rejects with a ConfigError naming it', async (t) => {
  const mock = await start(t, { port: 0, sessions: [] })
  const port = Number(new URL(mock.url).port)
  await t.rejects(startGraphMock({ port, sessions: [] }), { name: 'ConfigError', message: `port ${port} on 127.0.0.1 is already in use (set option port to another)` })
})

t.test('maxPageSize alone below the default page size: the page size follows it', async (t) => {
  const rows = Array.from({ length: 4 }, (_, index) => session(`5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a3${index}`))
  const mock = await start(t, { sessions: rows, maxPageSize: 3 })
  const response = await fetch(`${mock.url}${LIST}?$select=id`, { headers: AUTH })
  const body = await response.json() as { value: unknown[], '@odata.nextLink'?: string }
  t.equal(response.status, 200)
  t.strictSame(body.value, rows.slice(0, 3).map((row) => ({ '@odata.type': TYPE, id: row.id })), 'three a page, the maximum')
  t.match(body['@odata.nextLink'], /\$skiptoken=/, 'and a nextLink to the fourth')
})

t.test('close() frees the port', async (t) => {
  const mock = await startGraphMock({ port: 0, sessions: [first] })
  const port = Number(new URL(mock.url).port)
  t.notOk(await portIsFree(port), 'the port is taken while the mock runs')
  await mock.close()
  t.ok(await portIsFree(port), 'the port is free after close()')
  const again = await start(t, { port, sessions: [second] })
  t.strictSame(await list(again), { status: 200, body: envelope(second) }, 'a new mock can listen on it')
})

t.test('tls: true serves HTTPS with a generated certificate the client can trust', async (t) => {
  const mock = await start(t, { port: 0, tls: true, sessions: [first] })
  t.match(mock.url, /^https:\/\/127\.0\.0\.1:\d+$/, 'an https url')
  t.match(mock.certificate, /^-----BEGIN CERTIFICATE-----/, 'the PEM certificate')
  const body = await new Promise<{ status: number | undefined, body: unknown }>((resolve, reject) => {
    const request = httpsRequest(`${mock.url}${LIST}`, { ca: mock.certificate, headers: AUTH }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => { text += chunk })
      response.on('end', () => { resolve({ status: response.statusCode, body: JSON.parse(text) }) })
    })
    request.on('error', reject)
    request.end()
  })
  t.strictSame(body, { status: 200, body: envelope(first) }, 'verified against the certificate, the whole list')
})
