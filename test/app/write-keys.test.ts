// A key of a write that only looks like a path segment (`$abc`, `microsoft.graph.foo`) is a key, as it
// is on GET: PATCH and DELETE answer what GET answers for that id. Only `$count` and a cast to a
// derived type of the set are segments (405 with the methods they serve: test/app/errors.test.ts).

import t from 'tap'
import { assertGraphHeaders, AUTH, build, expectedError, LIST, ODATA_JSON, session } from '../helper.js'

const sessions = [session('5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31')]
const ROOT = '/beta/solutions/backupRestore'

t.test('PATCH and DELETE on a key that is no segment answer as GET does', async (t) => {
  const app = await build(t, { sessions })
  const cases: Array<[string, number, string, string]> = [
    [`${LIST}/$abc`, 400, 'InvalidRestoreSessionId', 'Restore session ID invalid, null, or empty.'],
    [`${LIST}/microsoft.graph.foo`, 400, 'InvalidRestoreSessionId', 'Restore session ID invalid, null, or empty.'],
    // A type of the model that does not derive from the set's is no cast there.
    [`${LIST}/microsoft.graph.sharePointRestoreSession`, 400, 'InvalidRestoreSessionId', 'Restore session ID invalid, null, or empty.'],
    [`${ROOT}/mailboxInclusionRules/$abc`, 400, 'InvalidInclusionRuleId', 'The rule ID is invalid.'],
    [`${ROOT}/restoreSessions/microsoft.graph.foo`, 400, 'InvalidRestoreSessionId', 'Restore session ID invalid, null, or empty.']
  ]
  for (const [url, status, code, message] of cases) {
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const response = await app.inject({ method, url, headers: { ...AUTH, ...(method === 'PATCH' ? { 'content-type': 'application/json' } : {}) }, ...(method === 'PATCH' ? { payload: '{}' } : {}) })
      t.equal(response.statusCode, status, `${method} ${url}`)
      t.equal(response.headers.allow, undefined, `${method} ${url}: no Allow`)
      t.equal(response.headers['content-type'], ODATA_JSON, `${method} ${url}`)
      assertGraphHeaders(t, response)
      t.strictSame(response.json(), expectedError(response, code, message), `${method} ${url}`)
    }
  }
})

t.test('$count and a cast to a derived type stay segments: 405 with what they allow', async (t) => {
  const app = await build(t, { sessions })
  const cases: Array<[string, string]> = [
    [`${LIST}/$count`, 'GET, HEAD, OPTIONS'],
    [`${ROOT}/restoreSessions/microsoft.graph.exchangeRestoreSession`, 'GET, HEAD, OPTIONS']
  ]
  for (const [url, allow] of cases) {
    for (const method of ['PATCH', 'DELETE'] as const) {
      const response = await app.inject({ method, url, headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{}' })
      t.equal(response.statusCode, 405, `${method} ${url}`)
      t.equal(response.headers.allow, allow, `${method} ${url}`)
      t.strictSame(response.json(), expectedError(response, 'BadRequest', 'Specified HTTP method is not allowed for the request target.'), `${method} ${url}`)
    }
  }
})
