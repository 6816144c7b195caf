// CORS at the HTTP level: preflights need no token and say what is allowed; every answer (errors
// included) carries Access-Control-Allow-Origin and Access-Control-Expose-Headers; CORS_ORIGINS
// narrows the origins. (test/protocol/browser.test.ts checks the same from a real browser.)

import t from 'tap'
import { AUTH, expectedError, LIST, session } from '../helper.js'
import { build } from './build.js'

// Many apps built and many requests made: more than tap's default 30 s on a loaded machine.
t.setTimeout(120000)

const EXPOSED = 'request-id, client-request-id, Location, Retry-After, Preference-Applied, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset'
const METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'
const ALLOWED = 'Authorization, Content-Type, Accept, Prefer, client-request-id, return-client-request-id, ConsistencyLevel, If-Match, If-None-Match, SdkVersion, Content-Encoding, X-Graph-Mock-Namespace'
/** Read-only in the contract: a POST there is a 405 whatever writes the mock serves. */
const UNITS = '/beta/solutions/backupRestore/protectionUnits'
const sessions = [session('11111111-1111-4111-8111-111111111111')]

t.test('a preflight needs no bearer token and lists the methods and headers allowed', async (t) => {
  const app = await build(t, { sessions })
  for (const url of [LIST, `${LIST}/11111111-1111-4111-8111-111111111111`, '/beta/$batch', '/v1.0/solutions/backupRestore', '/beta/nothingHere', '/elsewhere']) {
    const response = await app.inject({
      method: 'OPTIONS',
      url,
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-custom-header' }
    })
    t.equal(response.statusCode, 204, `${url}: 204`)
    t.equal(response.body, '', `${url}: no body`)
    t.equal(response.headers['access-control-allow-origin'], '*')
    t.equal(response.headers['access-control-allow-methods'], METHODS)
    t.equal(response.headers['access-control-allow-headers'], `${ALLOWED}, x-custom-header`, `${url}: the known headers and the one asked for`)
    t.equal(response.headers['access-control-max-age'], '86400')
    t.equal(response.headers['access-control-expose-headers'], EXPOSED)
    t.match(response.headers['request-id'], /^[0-9a-f-]{36}$/)
  }
})

t.test('every answer carries the CORS headers: a page, an error, a 401, a batch', async (t) => {
  const app = await build(t, { sessions })
  const origin = { origin: 'http://localhost:3000' }
  const answers = [
    await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, ...origin } }),
    await app.inject({ method: 'GET', url: `${LIST}/00000000-0000-4000-8000-00000000ffff`, headers: { ...AUTH, ...origin } }),
    await app.inject({ method: 'GET', url: LIST, headers: origin }),
    await app.inject({ method: 'POST', url: UNITS, headers: { ...AUTH, ...origin, 'content-type': 'application/json' }, payload: '{}' }),
    await app.inject({ method: 'GET', url: LIST, headers: AUTH }),
    await app.inject({ method: 'GET', url: '/beta/$metadata' })
  ]
  t.strictSame(answers.map((a) => a.statusCode), [200, 404, 401, 405, 200, 200])
  for (const answer of answers) {
    t.equal(answer.headers['access-control-allow-origin'], '*', `${answer.statusCode}: Access-Control-Allow-Origin`)
    t.equal(answer.headers['access-control-expose-headers'], EXPOSED, `${answer.statusCode}: Access-Control-Expose-Headers`)
    t.equal(answer.headers['access-control-allow-methods'], undefined, 'only preflights list methods')
  }
  t.strictSame(answers[2]?.json(), expectedError(answers[2] as never, 'InvalidAuthenticationToken', 'Access token is empty.'), 'the 401 is Graph\'s, readable by the page')
})

t.test('an OPTIONS that is not a preflight still gets the path\'s Allow answer', async (t) => {
  const app = await build(t, { sessions })
  const response = await app.inject({ method: 'OPTIONS', url: UNITS, headers: { ...AUTH, origin: 'http://localhost:3000' } })
  t.equal(response.statusCode, 204)
  t.equal(response.headers.allow, 'GET, HEAD, OPTIONS')
  t.equal(response.headers['access-control-allow-methods'], undefined)
  t.equal(response.headers['access-control-allow-origin'], '*')
  const unauthenticated = await app.inject({ method: 'OPTIONS', url: LIST, headers: { origin: 'http://localhost:3000' } })
  t.equal(unauthenticated.statusCode, 401, 'without Access-Control-Request-Method it is no preflight: the bearer check applies')
})

t.test('CORS_ORIGINS: only the listed origins get CORS headers, echoed, with Vary: Origin', async (t) => {
  const app = await build(t, { sessions, corsOrigins: 'http://localhost:3000, https://App.Example/' })
  const allowed = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, origin: 'http://localhost:3000' } })
  t.equal(allowed.headers['access-control-allow-origin'], 'http://localhost:3000')
  t.equal(allowed.headers['access-control-expose-headers'], EXPOSED)
  t.equal(allowed.headers.vary, 'Origin')
  const normalised = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, origin: 'https://app.example' } })
  t.equal(normalised.headers['access-control-allow-origin'], 'https://app.example', 'listed origins compare as browsers serialize them')
  const other = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, origin: 'http://evil.example' } })
  t.equal(other.statusCode, 200, 'the request itself is served (the browser withholds the answer)')
  t.equal(other.headers['access-control-allow-origin'], undefined)
  t.equal(other.headers['access-control-expose-headers'], undefined)
  t.equal(other.headers.vary, 'Origin')
  const preflight = await app.inject({ method: 'OPTIONS', url: LIST, headers: { origin: 'http://evil.example', 'access-control-request-method': 'GET' } })
  t.equal(preflight.statusCode, 204)
  t.equal(preflight.headers['access-control-allow-origin'], undefined, 'a preflight from another origin is answered without permission')
  t.equal(preflight.headers['access-control-allow-methods'], undefined)
  const none = await app.inject({ method: 'GET', url: LIST, headers: AUTH })
  t.equal(none.headers['access-control-allow-origin'], undefined, 'no Origin, no CORS headers')
})

t.test('CORS_ORIGINS is a setting: the variable, the flag, and a bad value', async (t) => {
  const { parseConfig, ConfigError } = await import('../../src/config.js')
  t.equal(parseConfig({}, []).corsOrigins, '*')
  t.equal(parseConfig({ CORS_ORIGINS: 'http://a.example' }, []).corsOrigins, 'http://a.example')
  t.equal(parseConfig({ CORS_ORIGINS: 'http://a.example' }, ['--cors-origins', 'http://b.example']).corsOrigins, 'http://b.example')
  t.throws(() => parseConfig({ CORS_ORIGINS: ' ' }, []), new ConfigError('CORS_ORIGINS must not be empty'))
})
