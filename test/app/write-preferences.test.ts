// Prefer: return=minimal on a create and return=representation on an update; an empty path
// segment is Graph's unknown-segment 400.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { expectedError } from '../helper.js'

const ROOT = '/beta/solutions/backupRestore'
const HEADERS = { authorization: 'Bearer x', 'content-type': 'application/json' }

t.test('return=minimal: 204, the new entity\'s URL, nothing else', async (t) => {
  const app = await buildApp({ sessions: [] })
  t.teardown(async () => { await app.close() })
  const created = await app.inject({ method: 'POST', url: `${ROOT}/exchangeRestoreSessions`, headers: { ...HEADERS, prefer: 'return=minimal' }, payload: {} })
  t.equal(created.statusCode, 204)
  t.equal(created.body, '')
  t.equal(created.headers['preference-applied'], 'return=minimal')
  t.match(created.headers['odata-entityid'], /^http:\/\/localhost:80\/beta\/solutions\/backupRestore\/exchangeRestoreSessions\('[0-9a-f-]{36}'\)$/)
  t.equal(created.headers.location, created.headers['odata-entityid'])
  const list = await app.inject({ url: `${ROOT}/exchangeRestoreSessions/$count`, headers: HEADERS })
  t.equal(list.body, '1', 'the entity was created')
  const plain = await app.inject({ method: 'POST', url: `${ROOT}/exchangeRestoreSessions`, headers: HEADERS, payload: {} })
  t.equal(plain.statusCode, 201, 'without the preference, 201 with the entity')
  t.equal(plain.headers['preference-applied'], undefined)
})

t.test('return=representation: 200 with the updated entity instead of 204', async (t) => {
  const app = await buildApp()
  t.teardown(async () => { await app.close() })
  const url = `${ROOT}/emailNotificationsSetting`
  const updated = await app.inject({ method: 'PATCH', url, headers: { ...HEADERS, prefer: 'return=representation' }, payload: { isEnabled: false } })
  t.equal(updated.statusCode, 200)
  t.equal(updated.headers['preference-applied'], 'return=representation')
  const current = await app.inject({ url, headers: HEADERS })
  t.strictSame(updated.json(), current.json(), 'the body is the entity as a GET now answers it')
  t.equal(updated.json<{ isEnabled: boolean }>().isEnabled, false)
  const quiet = await app.inject({ method: 'PATCH', url, headers: HEADERS, payload: { isEnabled: true } })
  t.strictSame([quiet.statusCode, quiet.body], [204, ''])
})

t.test('an empty segment is the unknown-segment 400, a trailing slash is not', async (t) => {
  const app = await buildApp({ sessions: [] })
  t.teardown(async () => { await app.close() })
  for (const url of ['/beta//solutions/backupRestore/exchangeRestoreSessions', `${ROOT}/('a')`, `${ROOT}//exchangeRestoreSessions`]) {
    const response = await app.inject({ url, headers: HEADERS })
    t.equal(response.statusCode, 400, url)
    t.strictSame(response.json(), expectedError(response, 'BadRequest', 'Resource not found for the segment \'\'.'), url)
  }
  t.equal((await app.inject({ url: `${ROOT}/exchangeRestoreSessions/`, headers: HEADERS })).statusCode, 200)
})
