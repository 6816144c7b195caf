import t from 'tap'
import { assertGraphHeaders, AUTH, build, CONTEXT, LIST, ODATA_JSON, session } from '../helper.js'

const TYPE = '#microsoft.graph.exchangeRestoreSession'
const first = session('5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31')
const second = session('c2a9d4e7-1b3f-4a5c-8e6d-7f9a0b1c2d3e', {
  status: 'failed',
  restoreJobType: 'bulk',
  completedDateTime: '2025-03-02T09:30:00.0000000Z',
  error: { code: 'RestoreArtifactsFailed', message: 'All 4 mailbox artifacts failed to restore.', target: null, details: [], innerError: null }
})

t.test('the collection: Graph\'s envelope, every property, @odata.type, and Graph\'s headers', async (t) => {
  const app = await build(t, { sessions: [first, second] })
  const response = await app.inject({ method: 'GET', url: LIST, headers: AUTH })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], ODATA_JSON)
  assertGraphHeaders(t, response)
  t.strictSame(response.json(), {
    '@odata.context': CONTEXT,
    value: [
      { '@odata.type': TYPE, ...first },
      { '@odata.type': TYPE, ...second, status: 'unknownFutureValue' }
    ]
  })
})

t.test('Prefer: include-unknown-enum-members reveals evolvable members and is acknowledged', async (t) => {
  const app = await build(t, { sessions: [first, second] })
  const response = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, prefer: 'include-unknown-enum-members' } })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['preference-applied'], 'include-unknown-enum-members')
  t.strictSame(response.json(), {
    '@odata.context': CONTEXT,
    value: [{ '@odata.type': TYPE, ...first }, { '@odata.type': TYPE, ...second }]
  })
  const without = await app.inject({ method: 'GET', url: LIST, headers: AUTH })
  t.equal(without.headers['preference-applied'], undefined, 'no Preference-Applied without the preference')
})

t.test('the caller\'s client-request-id is echoed', async (t) => {
  const app = await build(t, { sessions: [first] })
  const response = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, 'client-request-id': 'my-trace-42' } })
  t.equal(response.statusCode, 200)
  assertGraphHeaders(t, response, 'my-trace-42')
})

t.test('each request gets a new request-id', async (t) => {
  const app = await build(t, { sessions: [first] })
  const a = await app.inject({ method: 'GET', url: LIST, headers: AUTH })
  const b = await app.inject({ method: 'GET', url: LIST, headers: AUTH })
  t.not(a.headers['request-id'], b.headers['request-id'])
})

t.test('an empty store answers an empty collection', async (t) => {
  const app = await build(t, { sessions: [] })
  const response = await app.inject({ method: 'GET', url: LIST, headers: AUTH })
  t.equal(response.statusCode, 200)
  t.strictSame(response.json(), { '@odata.context': CONTEXT, value: [] })
})

t.test('v1.0 serves the same collection with its own context URL', async (t) => {
  const app = await build(t, { sessions: [first] })
  const response = await app.inject({ method: 'GET', url: LIST.replace('/beta/', '/v1.0/'), headers: AUTH })
  t.equal(response.statusCode, 200)
  t.strictSame(response.json(), {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/exchangeRestoreSessions',
    value: [{ '@odata.type': TYPE, ...first }]
  })
})

t.test('segments match case-insensitively and a trailing slash is tolerated, as on Graph', async (t) => {
  const app = await build(t, { sessions: [first] })
  for (const url of ['/beta/Solutions/BackupRestore/ExchangeRestoreSessions', `${LIST}/`]) {
    const response = await app.inject({ method: 'GET', url, headers: AUTH })
    t.equal(response.statusCode, 200, url)
    t.equal(response.json<{ value: unknown[] }>().value.length, 1, url)
  }
})

t.test('the bundled fixtures load and are served', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: `${LIST}?$top=999`, headers: AUTH })
  t.equal(response.statusCode, 200)
  const body = response.json<{ value: Array<{ id: string }> }>()
  const stored = app.fixtureStore.root.collections.get('exchangeRestoreSessions')?.rows ?? []
  t.ok(stored.length > 0, `the bundled tenant holds ${stored.length} sessions`)
  t.strictSame(body.value.map((item) => item.id), stored.map((row) => row.id), 'every one of them, in stored order')
})
