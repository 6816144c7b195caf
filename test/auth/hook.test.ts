// The auth plugin inside the real app (buildApp): routes registered with `{ graphPath, graphVersion }`
// route config, as the Graph routes are, behind the plugin in each mode. Whole Graph error bodies,
// status codes and headers; the identity a write records; the admin token endpoint; the start-up line.

import { Writable } from 'node:stream'
import Fastify, { type FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { ADMIN_TOKEN_PATH } from '../../src/auth/admin-token.js'
import { Clock } from '../../src/clock.js'
import { identityFromRequest } from '../../src/auth/identity.js'
import { DEFAULT_APP, DEFAULT_USER, issueToken, type TokenOptions } from '../../src/auth/token.js'
import { loadAuthKeys } from '../../src/auth/keys.js'
import { buildApp } from '../../src/app.js'
import { notServed, WWW_AUTHENTICATE } from '../../src/errors.js'
import { graphAuth, type GraphAuthOptions } from '../../src/plugins/auth.js'
import graphErrorsPlugin from '../../src/plugins/graph-errors.js'
import requestContext from '../../src/plugins/request-context.js'
import { expectedError, ODATA_JSON } from '../helper.js'

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
const clock = { now: NOW }
const now = (): number => clock.now
const SECRET = 'hook test secret'

/** Where the test routes live, so they never meet the app's own Graph routes. */
const ROOT = '/authtest/v1.0'
const LIST = `${ROOT}/solutions/backupRestore/restoreSessions`
const ACTIVATE = `${ROOT}/solutions/backupRestore/restoreSessions/abc/activate`

/** The app with the auth plugin guarding two operations, as the Graph routes register them. */
async function appWith (t: Test, options: GraphAuthOptions): Promise<FastifyInstance> {
  // The app's own /__admin/token signs with the same settings, on a clock standing at NOW.
  const app = await buildApp({ sessions: [], ...(options.settings ?? {}), clock: new Clock({ mode: 'manual', start: NOW }) })
  await app.register(async (api) => {
    await api.register(graphAuth, { now, ...options })
    api.setNotFoundHandler(async (request) => { throw notServed(request.method, request.url) })
    api.get('/solutions/backupRestore/restoreSessions', { config: { graphPath: '/solutions/backupRestore/restoreSessions', graphVersion: 'v1.0' } },
      async (request) => ({ identity: identityFromRequest(request) }))
    api.post('/solutions/backupRestore/restoreSessions/:id/activate', { config: { graphPath: '/solutions/backupRestore/restoreSessions/{restoreSessionBase-id}/microsoft.graph.activate', graphVersion: 'v1.0' } },
      async (request) => ({ identity: identityFromRequest(request) }))
  }, { prefix: ROOT })
  t.teardown(async () => { await app.close() })
  return app
}

async function tokenFor (options: TokenOptions, secret?: string): Promise<string> {
  const keys = await loadAuthKeys({ authSecret: secret, authPublicKey: undefined, authJwks: undefined, authSigningKey: undefined })
  return (await issueToken(options, keys.signing, NOW)).token
}

const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` })

t.test('permissions mode without a key: unsigned tokens, checked per operation', async (t) => {
  const app = await appWith(t, { settings: { authMode: 'permissions' } })
  const reader = await tokenFor({ scopes: ['BackupRestore-Restore.Read.All'], name: 'Megan Bowen', oid: 'user-1' })

  const ok = await app.inject({ method: 'GET', url: LIST, headers: bearer(reader) })
  t.equal(ok.statusCode, 200)
  t.strictSame(ok.json(), { identity: { user: { id: 'user-1', displayName: 'Megan Bowen' } } }, 'the identity a write records')
  t.equal((await app.inject({ method: 'HEAD', url: LIST, headers: bearer(reader) })).statusCode, 200, 'HEAD: the GET operation')

  const denied = await app.inject({ method: 'POST', url: ACTIVATE, headers: bearer(reader) })
  t.equal(denied.statusCode, 403, 'Read.All cannot activate')
  t.strictSame(denied.json(), expectedError(denied, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'))
  t.equal(denied.headers['www-authenticate'], undefined, 'a 403 carries no challenge')
  t.equal(denied.headers['content-type'], ODATA_JSON, 'Graph\'s error content type')

  const writer = await tokenFor({ roles: ['BackupRestore-Restore.ReadWrite.All'], appid: 'app-9', appDisplayName: 'Backup Automation' })
  const activated = await app.inject({ method: 'POST', url: ACTIVATE, headers: bearer(writer) })
  t.equal(activated.statusCode, 200, 'an application token with ReadWrite.All activates')
  t.strictSame(activated.json(), { identity: { application: { id: 'app-9', displayName: 'Backup Automation' } } })

  const expired = await app.inject({ method: 'GET', url: LIST, headers: bearer(await tokenFor({ scopes: ['BackupRestore-Restore.Read.All'], expiresIn: -1 })) })
  t.equal(expired.statusCode, 401)
  t.strictSame(expired.json(), expectedError(expired, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.'))
  t.equal(expired.headers['www-authenticate'], WWW_AUTHENTICATE)

  const notYet = await app.inject({ method: 'GET', url: LIST, headers: bearer(await tokenFor({ scopes: ['BackupRestore-Restore.Read.All'], notBefore: 120 })) })
  t.strictSame([notYet.statusCode, notYet.json()], [401, expectedError(notYet, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is not yet valid.')])

  const opaque = await app.inject({ method: 'GET', url: LIST, headers: bearer('test-token') })
  t.strictSame([opaque.statusCode, opaque.json()], [401, expectedError(opaque, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217')])

  const missing = await app.inject({ method: 'GET', url: LIST })
  t.strictSame([missing.statusCode, missing.json()], [401, expectedError(missing, 'InvalidAuthenticationToken', 'Access token is empty.')], 'the header rules are the stub\'s')

  const bare = await app.inject({ method: 'GET', url: LIST, headers: bearer(await tokenFor({})) })
  t.strictSame([bare.statusCode, bare.json()], [403, expectedError(bare, 'accessDenied', 'Either scp or roles claim need to be present in the token.')])
})

t.test('the mock\'s clock decides lifetime: the injected now()', async (t) => {
  const app = await appWith(t, { settings: { authMode: 'permissions' } })
  const token = await tokenFor({ scopes: ['BackupRestore-Restore.Read.All'], expiresIn: 600 })
  t.equal((await app.inject({ method: 'GET', url: LIST, headers: bearer(token) })).statusCode, 200)
  clock.now = NOW + 600_000
  t.teardown(() => { clock.now = NOW })
  const later = await app.inject({ method: 'GET', url: LIST, headers: bearer(token) })
  t.strictSame([later.statusCode, later.json()], [401, expectedError(later, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.')], 'ten minutes later on the mock\'s clock')
})

t.test('a request no route matched only needs a valid token', async (t) => {
  const app = await appWith(t, { settings: { authMode: 'permissions' } })
  const noPermissions = await tokenFor({ scopes: ['User.Read'] })
  const unknown = await app.inject({ method: 'GET', url: `${ROOT}/solutions/backupRestore/nothingHere`, headers: bearer(noPermissions) })
  t.equal(unknown.statusCode, 404, 'a valid token without the permission still reaches the 404')
  t.equal(unknown.json<{ error: { code: string } }>().error.code, 'ResourceNotServed')
  const expired = await app.inject({ method: 'GET', url: `${ROOT}/solutions/backupRestore/nothingHere`, headers: bearer(await tokenFor({ scopes: ['User.Read'], expiresIn: -1 })) })
  t.equal(expired.statusCode, 401, 'an expired token does not')
})

t.test('with a shared secret: signature and audience', async (t) => {
  const app = await appWith(t, { settings: { authMode: 'permissions', authSecret: SECRET, authCheckAudience: true } })
  const scopes = ['BackupRestore-Restore.Read.All']
  t.equal((await app.inject({ method: 'GET', url: LIST, headers: bearer(await tokenFor({ scopes }, SECRET)) })).statusCode, 200)
  const badSignature = await app.inject({ method: 'GET', url: LIST, headers: bearer(await tokenFor({ scopes }, 'another secret')) })
  t.strictSame([badSignature.statusCode, badSignature.json()], [401, expectedError(badSignature, 'InvalidAuthenticationToken', 'Access token validation failure.')])
  const unsigned = await app.inject({ method: 'GET', url: LIST, headers: bearer(await tokenFor({ scopes })) })
  t.strictSame([unsigned.statusCode, unsigned.json()], [401, expectedError(unsigned, 'InvalidAuthenticationToken', 'Access token validation failure.')], 'alg none is refused when a key is configured')
  const wrongAudience = await app.inject({ method: 'GET', url: LIST, headers: bearer(await tokenFor({ scopes, audience: 'api://my-api' }, SECRET)) })
  t.strictSame([wrongAudience.statusCode, wrongAudience.json()], [401, expectedError(wrongAudience, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.')])
  t.equal(wrongAudience.headers['www-authenticate'], WWW_AUTHENTICATE)

  const issued = await app.inject({ method: 'POST', url: ADMIN_TOKEN_PATH, payload: { scopes, name: 'Alex Wilber', expiresIn: 900 } })
  t.equal(issued.statusCode, 200, 'POST /__admin/token')
  const body = issued.json<{ token_type: string, access_token: string, expires_in: number }>()
  t.strictSame(Object.keys(body), ['token_type', 'access_token', 'expires_in'])
  t.equal(body.token_type, 'Bearer')
  t.equal(body.expires_in, 900)
  const used = await app.inject({ method: 'GET', url: LIST, headers: bearer(body.access_token) })
  t.equal(used.statusCode, 200, 'the admin token is signed with the mock\'s secret')
  t.strictSame(used.json(), { identity: { user: { id: DEFAULT_USER.oid, displayName: 'Alex Wilber' } } })
  const bad = await app.inject({ method: 'POST', url: ADMIN_TOKEN_PATH, payload: { scopes: ['A'], roles: ['B'] } })
  t.strictSame([bad.statusCode, bad.json()], [400, expectedError(bad, 'BadRequest', 'a token carries scopes (delegated) or roles (application), not both')])
  const unknownField = await app.inject({ method: 'POST', url: ADMIN_TOKEN_PATH, payload: { scope: 'A' } })
  t.strictSame([unknownField.statusCode, unknownField.json()], [400, expectedError(unknownField, 'BadRequest', "Unknown property 'scope'; the properties are scopes, roles, expiresIn, notBefore, oid, name, appid, appDisplayName, audience, kid.")], 'an unknown field is refused, not ignored')
})

t.test('stub mode through the plugin: today\'s behaviour', async (t) => {
  const app = await appWith(t, { settings: { authMode: 'stub' } })
  const ok = await app.inject({ method: 'POST', url: ACTIVATE, headers: bearer('test-token') })
  t.equal(ok.statusCode, 200, 'any well-formed token, whatever the operation')
  t.strictSame(ok.json(), { identity: { user: { id: DEFAULT_USER.oid, displayName: DEFAULT_USER.name } } }, 'an opaque token stands for the default user')
  const jwt = await app.inject({ method: 'GET', url: LIST, headers: bearer(await tokenFor({ roles: ['Whatever'], expiresIn: -100 })) })
  t.equal(jwt.statusCode, 200, 'a JWT is not checked in stub mode, not even its lifetime')
  t.strictSame(jwt.json(), { identity: { application: { id: DEFAULT_APP.appid, displayName: DEFAULT_APP.displayName } } }, 'but its identity is read')
  const missing = await app.inject({ method: 'GET', url: LIST })
  t.strictSame([missing.statusCode, missing.json()], [401, expectedError(missing, 'InvalidAuthenticationToken', 'Access token is empty.')])

  const gated = await appWith(t, { settings: { authMode: 'stub' }, verifyToken: (token) => token === 'letmein' })
  t.equal((await gated.inject({ method: 'GET', url: LIST, headers: bearer('letmein') })).statusCode, 200)
  const refused = await gated.inject({ method: 'GET', url: LIST, headers: bearer('other') })
  t.strictSame([refused.statusCode, refused.json()], [401, expectedError(refused, 'InvalidAuthenticationToken', 'Access token validation failure.')])
})

t.test('permissions mode with verifyToken: an extra gate before the JWT check', async (t) => {
  const reader = await tokenFor({ scopes: ['BackupRestore-Restore.Read.All'] })
  const app = await appWith(t, { settings: { authMode: 'permissions' }, verifyToken: (token) => token === reader })
  t.equal((await app.inject({ method: 'GET', url: LIST, headers: bearer(reader) })).statusCode, 200)
  const other = await app.inject({ method: 'GET', url: LIST, headers: bearer(await tokenFor({ scopes: ['BackupRestore-Restore.Read.All'], name: 'someone else' })) })
  t.strictSame([other.statusCode, other.json()], [401, expectedError(other, 'InvalidAuthenticationToken', 'Access token validation failure.')])
})

t.test('a route whose graphPath the contract does not have fails at start-up', async (t) => {
  const app = Fastify()
  void app.register(async (api) => {
    await api.register(graphAuth, { settings: { authMode: 'permissions' } })
    api.get('/x', { config: { graphPath: '/solutions/backupRestore/noSuchThing', graphVersion: 'v1.0' } }, async () => ({}))
  })
  await t.rejects(async () => { await app.ready() }, /route GET \/x: no permissions are recorded for v1\.0 GET \/solutions\/backupRestore\/noSuchThing/)
  await app.close()
  const misspeltVersion = Fastify()
  void misspeltVersion.register(async (api) => {
    await api.register(graphAuth, { settings: { authMode: 'permissions' } })
    api.get('/y', { config: { graphPath: '/solutions/backupRestore/restoreSessions', graphVersion: 'v1' } }, async () => ({}))
  })
  await t.rejects(async () => { await misspeltVersion.ready() }, /no permissions are recorded for v1 GET/)
  await misspeltVersion.close()
  const badKey = Fastify()
  void badKey.register(graphAuth, { settings: { authMode: 'permissions', authPublicKey: '/nonexistent/key.pem' } })
  await t.rejects(async () => { await badKey.ready() }, /AUTH_PUBLIC_KEY: cannot read '\/nonexistent\/key\.pem' \(ENOENT\)/)
  await badKey.close()
})

t.test('the start-up log says when signatures are not checked, once', async (t) => {
  const lines: Array<{ level: number, msg: string }> = []
  const stream = new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString()) as { level: number, msg: string }); done() } })
  const app = Fastify({ logger: { level: 'info', stream } })
  await app.register(requestContext)
  await app.register(graphErrorsPlugin, { bodyLimit: 1024 })
  for (const version of ['beta', 'v1.0']) {
    await app.register(async (api) => { await api.register(graphAuth, { settings: { authMode: 'permissions' } }) }, { prefix: `/${version}` })
  }
  await app.ready()
  t.teardown(async () => { await app.close() })
  const auth = lines.filter((line) => line.msg.startsWith('AUTH_MODE'))
  t.strictSame(auth.map((line) => [line.level, line.msg]), [[40, 'AUTH_MODE=permissions without a key: token signatures are NOT checked; any JWT is accepted unsigned (set AUTH_SECRET, AUTH_PUBLIC_KEY or AUTH_JWKS to check them)']], 'one warning')
})
