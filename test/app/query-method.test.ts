// QUERY (RFC 10008) is a method no Graph resource serves: with or without a Content-Type it gets what
// any other such method gets (405 with Allow, or the unknown segment's 400), after the bearer check.

import t from 'tap'
import { WWW_AUTHENTICATE } from '../../src/errors.js'
import { assertGraphHeaders, AUTH, build, expectedError, LIST, ODATA_JSON, session } from '../helper.js'

const sessions = [session('5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31')]

t.test('QUERY on a served path: 405 with the methods it serves, with or without a body', async (t) => {
  const app = await build(t, { sessions })
  const cases: Array<[string, string]> = [
    [LIST, 'GET, HEAD, POST, OPTIONS'],
    [`${LIST}/$count`, 'GET, HEAD, OPTIONS'],
    [`${LIST}/5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31`, 'GET, HEAD, PATCH, DELETE, OPTIONS']
  ]
  for (const [url, allow] of cases) {
    for (const body of [{}, { headers: { 'content-type': 'application/json' }, payload: '{}' }]) {
      const label = `QUERY ${url} ${body.headers === undefined ? 'without' : 'with'} a Content-Type`
      const response = await app.inject({ method: 'QUERY' as 'GET', url, ...body, headers: { ...AUTH, ...body.headers } })
      t.equal(response.statusCode, 405, label)
      t.equal(response.headers.allow, allow, label)
      t.equal(response.headers['content-type'], ODATA_JSON, label)
      assertGraphHeaders(t, response)
      t.strictSame(response.json(), expectedError(response, 'BadRequest', 'Specified HTTP method is not allowed for the request target.'), label)
    }
  }
})

t.test('QUERY on an unknown segment: the segment\'s 400', async (t) => {
  const app = await build(t, { sessions })
  const response = await app.inject({ method: 'QUERY' as 'GET', url: '/beta/solutions/backupRestore/nothingHere', headers: AUTH })
  t.equal(response.statusCode, 400)
  t.strictSame(response.json(), expectedError(response, 'BadRequest', 'Resource not found for the segment \'nothingHere\'.'))
})

t.test('QUERY without a token: the 401 first', async (t) => {
  const app = await build(t, { sessions })
  const response = await app.inject({ method: 'QUERY' as 'GET', url: LIST })
  t.equal(response.statusCode, 401)
  t.equal(response.headers['www-authenticate'], WWW_AUTHENTICATE)
  t.strictSame(response.json(), expectedError(response, 'InvalidAuthenticationToken', 'Access token is empty.'))
})
