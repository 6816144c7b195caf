import t from 'tap'
import { AUTH, build, expectedError, LIST, ODATA_JSON, session, assertGraphHeaders } from '../helper.js'

const id = '5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31'
const stored = session(id)

t.test('GET /{id}: the entity with its $entity context', async (t) => {
  const app = await build(t, { sessions: [stored] })
  const response = await app.inject({ method: 'GET', url: `${LIST}/${id}`, headers: AUTH })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], ODATA_JSON)
  assertGraphHeaders(t, response)
  t.strictSame(response.json(), {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions/$entity',
    '@odata.type': '#microsoft.graph.exchangeRestoreSession',
    ...stored
  })
})

t.test('the key-in-parentheses form addresses the same entity', async (t) => {
  const app = await build(t, { sessions: [stored] })
  for (const url of [`${LIST}('${id}')`, `${LIST}(%27${id}%27)`]) {
    const response = await app.inject({ method: 'GET', url, headers: AUTH })
    t.equal(response.statusCode, 200, url)
    t.equal(response.json<{ id: string }>().id, id, url)
  }
})

t.test('an unknown GUID → 404 RestoreSessionNotFound', async (t) => {
  const app = await build(t, { sessions: [stored] })
  const response = await app.inject({ method: 'GET', url: `${LIST}/00000000-0000-0000-0000-000000000000`, headers: AUTH })
  t.equal(response.statusCode, 404)
  t.equal(response.headers['content-type'], ODATA_JSON)
  assertGraphHeaders(t, response)
  t.strictSame(response.json(), expectedError(response, 'RestoreSessionNotFound', 'Restore Session Not Found.'))
})

t.test('an id that is not a GUID and matches nothing → 400 InvalidRestoreSessionId', async (t) => {
  const app = await build(t, { sessions: [stored] })
  const response = await app.inject({ method: 'GET', url: `${LIST}/not-a-session`, headers: AUTH })
  t.equal(response.statusCode, 400)
  t.strictSame(response.json(), expectedError(response, 'InvalidRestoreSessionId', 'Restore session ID invalid, null, or empty.'))
})

t.test('a team\'s own non-GUID ids are served', async (t) => {
  const app = await build(t, { sessions: [session('session-1')] })
  const response = await app.inject({ method: 'GET', url: `${LIST}/session-1`, headers: AUTH })
  t.equal(response.statusCode, 200)
  t.equal(response.json<{ id: string }>().id, 'session-1')
})

t.test('the stored evolvable member is hidden on the entity too, unless preferred', async (t) => {
  const app = await build(t, { sessions: [session(id, { restoreJobType: 'granular' })] })
  const hidden = await app.inject({ method: 'GET', url: `${LIST}/${id}`, headers: AUTH })
  t.equal(hidden.json<{ restoreJobType: string }>().restoreJobType, 'unknownFutureValue')
  const shown = await app.inject({ method: 'GET', url: `${LIST}/${id}`, headers: { ...AUTH, prefer: 'include-unknown-enum-members' } })
  t.equal(shown.json<{ restoreJobType: string }>().restoreJobType, 'granular')
  t.equal(shown.headers['preference-applied'], 'include-unknown-enum-members')
})
