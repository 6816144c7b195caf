// Every error leaves as Graph's body, whatever raised it; whole bodies and exact statuses.

import t from 'tap'
import { buildApp } from '../../src/app.js'
import { WWW_AUTHENTICATE } from '../../src/errors.js'
import { assertGraphHeaders, AUTH, build, expectedError, LIST, ODATA_JSON, session } from '../helper.js'

const sessions = [session('5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31')]

t.test('401: no Authorization header', async (t) => {
  const app = await build(t, { sessions })
  const response = await app.inject({ method: 'GET', url: LIST })
  t.equal(response.statusCode, 401)
  t.equal(response.headers['content-type'], ODATA_JSON)
  t.equal(response.headers['www-authenticate'], WWW_AUTHENTICATE)
  assertGraphHeaders(t, response)
  t.strictSame(response.json(), expectedError(response, 'InvalidAuthenticationToken', 'Access token is empty.'))
  t.match(response.json<{ error: { innerError: { date: string } } }>().error.innerError.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, 'date without fraction or zone')
})

t.test('401: what is wrong with the Authorization header', async (t) => {
  const app = await build(t, { sessions })
  const cases: Array<[string, string]> = [
    ['Bearer', 'Access token is empty.'],
    ['Bearer    ', 'Access token is empty.'],
    ['', 'Access token is empty.'],
    ['Basic dXNlcjpwYXNz', "The authorization scheme 'Basic' is not supported. Send 'Authorization: Bearer <access token>'."],
    ['Token abc', "The authorization scheme 'Token' is not supported. Send 'Authorization: Bearer <access token>'."],
    ['Bearer two words', 'The bearer token is malformed: it must be a single word of letters, digits and -._~+/ (RFC 6750).'],
    ['Bearer a"b', 'The bearer token is malformed: it must be a single word of letters, digits and -._~+/ (RFC 6750).']
  ]
  for (const [authorization, message] of cases) {
    const response = await app.inject({ method: 'GET', url: LIST, headers: { authorization } })
    t.equal(response.statusCode, 401, authorization)
    t.strictSame(response.json(), expectedError(response, 'InvalidAuthenticationToken', message), authorization)
  }
})

t.test('any well-formed bearer token passes, whatever the scheme\'s case', async (t) => {
  const app = await build(t, { sessions })
  for (const authorization of ['Bearer x', 'bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln', 'BEARER abc==', `Bearer ${'a'.repeat(8000)}`]) {
    const response = await app.inject({ method: 'GET', url: LIST, headers: { authorization } })
    t.equal(response.statusCode, 200, authorization.slice(0, 40))
  }
})

t.test('several Authorization headers → 401', async (t) => {
  const app = await build(t, { sessions })
  // Two header lines of the same name, as a raw HTTP client would send them.
  const headers = { authorization: ['Bearer a', 'Bearer b'] } as unknown as Record<string, string>
  const response = await app.inject({ method: 'GET', url: LIST, headers })
  t.equal(response.statusCode, 401)
  t.strictSame(response.json(), expectedError(response, 'InvalidAuthenticationToken', 'The request carries more than one Authorization header; send exactly one.'))
})

t.test('the token check is pluggable', async (t) => {
  const app = await build(t, { sessions, verifyToken: (token) => token === 'letmein' })
  t.equal((await app.inject({ method: 'GET', url: LIST, headers: { authorization: 'Bearer letmein' } })).statusCode, 200)
  const refused = await app.inject({ method: 'GET', url: LIST, headers: { authorization: 'Bearer other' } })
  t.equal(refused.statusCode, 401)
  t.strictSame(refused.json(), expectedError(refused, 'InvalidAuthenticationToken', 'Access token validation failure.'))
})

t.test('400: an unknown segment under a version root, as Graph words it', async (t) => {
  const app = await build(t, { sessions })
  const cases: Array<[string, string]> = [
    ['/beta/solutions/backupRestore/exchangeRestoreSession', 'exchangeRestoreSession'],
    ['/beta/nothingHere', 'nothingHere'],
    ['/beta/solutions/nope/exchangeRestoreSessions', 'nope'],
    [`${LIST}/5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31/whatever`, 'whatever'],
    ['/v1.0/solutions/backupRestore/foo%20bar', 'foo bar'],
    // Each version serves its own surface: browse sessions are beta only.
    ['/v1.0/solutions/backupRestore/browseSessions', 'browseSessions'],
    // An action is a segment Graph knows only where the contract binds it.
    [`${LIST}/5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31/microsoft.graph.activate`, 'microsoft.graph.activate']
  ]
  for (const [url, segment] of cases) {
    const response = await app.inject({ method: 'GET', url, headers: AUTH })
    t.equal(response.statusCode, 400, url)
    assertGraphHeaders(t, response)
    t.strictSame(response.json(), expectedError(response, 'BadRequest', `Resource not found for the segment '${segment}'.`), url)
  }
})

t.test('an unknown path still needs a token first, as on Graph', async (t) => {
  const app = await build(t, { sessions })
  const response = await app.inject({ method: 'GET', url: '/beta/nothingHere' })
  t.equal(response.statusCode, 401)
})

t.test('a Graph resource the mock does not serve → 404 saying so', async (t) => {
  const app = await build(t, { sessions })
  // Actions of this API that no behaviour implements yet, and Graph's other top-level resources:
  // not typos, so not the unknown-segment 400.
  const cases: Array<['GET' | 'POST', string]> = [
    ['POST', '/beta/solutions/backupRestore/allDrivesBackup/microsoft.graph.enable'],
    ['POST', '/beta/solutions/backupRestore/allMailboxesBackup/microsoft.graph.disable'],
    ['GET', '/beta/me'],
    ['GET', '/beta/me/messages'],
    ['GET', '/beta/users'],
    ['GET', '/v1.0/users/5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31'],
    ['GET', '/beta/solutions/bookingBusinesses']
  ]
  for (const [method, url] of cases) {
    const response = await app.inject({ method, url, headers: AUTH, ...(method === 'POST' ? { payload: {} } : {}) })
    t.equal(response.statusCode, 404, `${method} ${url}`)
    t.equal(response.headers['content-type'], ODATA_JSON, `${method} ${url}`)
    assertGraphHeaders(t, response)
    t.strictSame(response.json(), expectedError(response, 'ResourceNotServed', `graph-mock does not serve ${method} ${url} yet.`), `${method} ${url}`)
  }
})

t.test('405: a method the resource does not serve, with what it allows', async (t) => {
  const app = await build(t, { sessions })
  const id = '5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31'
  // Allow lists what the contract has there (writes included), HEAD beside GET, and OPTIONS.
  const cases: Array<[string, readonly string[], string]> = [
    [`${LIST}/$count`, ['POST', 'PUT', 'DELETE', 'PATCH'], 'GET, HEAD, OPTIONS'],
    [`${LIST}/${id}/mailboxRestoreArtifacts/$count`, ['POST', 'PUT', 'DELETE', 'PATCH'], 'GET, HEAD, OPTIONS'],
    ['/beta/solutions/backupRestore/restoreSessions/microsoft.graph.exchangeRestoreSession', ['POST', 'PUT', 'DELETE', 'PATCH'], 'GET, HEAD, OPTIONS'],
    [LIST, ['PUT', 'DELETE', 'PATCH'], 'GET, HEAD, POST, OPTIONS'],
    [`${LIST}/${id}`, ['POST', 'PUT'], 'GET, HEAD, PATCH, DELETE, OPTIONS'],
    [`${LIST}/${id}/mailboxRestoreArtifacts`, ['PUT'], 'GET, HEAD, POST, OPTIONS'],
    ['/v1.0/solutions/backupRestore/protectionPolicies', ['PUT'], 'GET, HEAD, POST, OPTIONS']
  ]
  for (const [url, methods, allow] of cases) {
    for (const method of methods) {
      const response = await app.inject({ method: method as 'PUT', url, headers: AUTH, payload: {} })
      t.equal(response.statusCode, 405, `${method} ${url}`)
      t.equal(response.headers.allow, allow, `${method} ${url}`)
      t.equal(response.headers['content-type'], ODATA_JSON, `${method} ${url}`)
      t.strictSame(response.json(), expectedError(response, 'BadRequest', 'Specified HTTP method is not allowed for the request target.'), `${method} ${url}`)
    }
  }
})

t.test('OPTIONS: 204 with the Allow header, no body', async (t) => {
  const app = await build(t, { sessions })
  const cases: Array<[string, string]> = [
    [LIST, 'GET, HEAD, POST, OPTIONS'],
    [`${LIST}/5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31`, 'GET, HEAD, PATCH, DELETE, OPTIONS'],
    [`${LIST}/$count`, 'GET, HEAD, OPTIONS'],
    ['/v1.0/solutions/backupRestore/restorePoints/$count', 'GET, HEAD, OPTIONS']
  ]
  for (const [url, allow] of cases) {
    const response = await app.inject({ method: 'OPTIONS', url, headers: AUTH })
    t.equal(response.statusCode, 204, url)
    t.equal(response.headers.allow, allow, url)
    t.equal(response.body, '', url)
    assertGraphHeaders(t, response)
  }
  const unknown = await app.inject({ method: 'OPTIONS', url: '/beta/nothingHere', headers: AUTH })
  t.equal(unknown.statusCode, 400, 'an unknown segment is still the 400')
  t.strictSame(unknown.json(), expectedError(unknown, 'BadRequest', "Resource not found for the segment 'nothingHere'."))
  const unauthenticated = await app.inject({ method: 'OPTIONS', url: LIST })
  t.equal(unauthenticated.statusCode, 401, 'the token check comes first')
})

t.test('outside a version root → 400 Invalid version', async (t) => {
  const app = await build(t, { sessions })
  const response = await app.inject({ method: 'GET', url: '/v2/solutions' })
  t.equal(response.statusCode, 400)
  t.strictSame(response.json(), expectedError(response, 'BadRequest', 'Invalid version: v2'))
})

t.test('Fastify\'s own errors and unexpected exceptions leave as Graph bodies', async (t) => {
  const app = await build(t, { sessions, bodyLimit: 64 })
  app.post('/test/body', { schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } } }, async () => ({ ok: true }))
  app.get('/test/boom', async () => { throw new Error('secret internal detail') })

  const tooLarge = await app.inject({ method: 'POST', url: '/test/body', payload: { name: 'x'.repeat(200) } })
  t.equal(tooLarge.statusCode, 413)
  t.strictSame(tooLarge.json(), expectedError(tooLarge, 'RequestEntityTooLarge', 'The request body exceeds the limit of 64 bytes.'))

  const invalid = await app.inject({ method: 'POST', url: '/test/body', payload: {} })
  t.equal(invalid.statusCode, 400)
  t.strictSame(invalid.json(), expectedError(invalid, 'BadRequest', "body must have required property 'name'"))

  const badJson = await app.inject({ method: 'POST', url: '/test/body', headers: { 'content-type': 'application/json' }, payload: '{"name":' })
  t.equal(badJson.statusCode, 400)
  t.strictSame(badJson.json(), expectedError(badJson, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'))

  const mediaType = await app.inject({ method: 'POST', url: '/test/body', headers: { 'content-type': 'application/x-nope' }, payload: 'x' })
  t.equal(mediaType.statusCode, 415)
  t.strictSame(mediaType.json(), expectedError(mediaType, 'UnsupportedMediaType', "The content type 'application/x-nope' is not supported."))

  const boom = await app.inject({ method: 'GET', url: '/test/boom' })
  t.equal(boom.statusCode, 500)
  t.strictSame(boom.json(), expectedError(boom, 'generalException', 'An unspecified error has occurred.'))
  t.notMatch(boom.body, /secret|stack|at /, 'no internal message or stack')
})

t.test("innerError.date is the mock's clock (the only source of time), in the request's namespace", async (t) => {
  const app = await buildApp({ clockMode: 'manual', clockStart: '2031-05-06T07:08:09Z' })
  t.teardown(async () => { await app.close() })
  const missing = '/beta/solutions/backupRestore/exchangeRestoreSessions/00000000-0000-0000-0000-000000000000'
  const first = await app.inject({ url: missing, headers: { authorization: 'Bearer x' } })
  t.equal(first.statusCode, 404)
  t.equal(first.json<{ error: { innerError: { date: string } } }>().error.innerError.date, '2031-05-06T07:08:09')
  app.clock.advance(61_000)
  const later = await app.inject({ url: missing, headers: { authorization: 'Bearer x' } })
  t.equal(later.json<{ error: { innerError: { date: string } } }>().error.innerError.date, '2031-05-06T07:09:10')
  const other = await app.inject({ url: `/_ns/elsewhere${missing}`, headers: { authorization: 'Bearer x' } })
  t.equal(other.json<{ error: { innerError: { date: string } } }>().error.innerError.date, '2031-05-06T07:08:09', 'a new namespace starts at CLOCK_START')
})
