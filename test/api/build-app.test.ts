// buildApp from the package entry: the whole mock without a socket, for `inject`-style tests.

import t from 'tap'
import { buildApp } from '../../src/index.js'
import { CONTEXT, LIST, session } from '../helper.js'

const row = session('5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31')

t.test('buildApp + inject serves the sessions given, with no port', async (t) => {
  const app = await buildApp({ sessions: [row], pageSize: 5 })
  t.teardown(async () => { await app.close() })
  const response = await app.inject({ method: 'GET', url: LIST, headers: { authorization: 'Bearer test-token' } })
  t.equal(response.statusCode, 200, 'status')
  t.strictSame(response.json(), { '@odata.context': CONTEXT, value: [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', ...row }] }, 'the whole body')
  t.equal(app.server.listening, false, 'nothing listens')
})

t.test('buildApp checks its options like startGraphMock', async (t) => {
  await t.rejects(buildApp({ unknownQueryOptions: 'warn' as 'error' }), { name: 'ConfigError', message: "option unknownQueryOptions must be one of error, ignore, got 'warn'" })
  // port belongs to startGraphMock: buildApp never listens.
  await t.rejects(buildApp({ port: 8080 } as never), { name: 'ConfigError', message: /^unknown option 'port'; the options are fixturesDir, / })
  await t.rejects(buildApp({ sessions: [{ id: 'a', status: 'sleeping' }] }), { name: 'FixtureError', message: /^sessions: record 0 \(id a\): property \/status / })
})

t.test('verifyToken decides which bearer tokens pass', async (t) => {
  const app = await buildApp({ sessions: [row], verifyToken: (token) => token === 'letmein' })
  t.teardown(async () => { await app.close() })
  const denied = await app.inject({ method: 'GET', url: LIST, headers: { authorization: 'Bearer test-token' } })
  t.equal(denied.statusCode, 401, 'another token is refused')
  const allowed = await app.inject({ method: 'GET', url: LIST, headers: { authorization: 'Bearer letmein' } })
  t.equal(allowed.statusCode, 200, 'the accepted token passes')
})
