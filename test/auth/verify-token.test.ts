// The token check before any permission: a compact JWT, its signature with each kind of key, its
// lifetime against an injected clock, its audience when asked; and the key settings' own rules.

import { generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, SignJWT, UnsecuredJWT, type JWK } from 'jose'
import t from 'tap'
import { loadAuthKeys, type AuthKeySettings } from '../../src/auth/keys.js'
import { issueToken, tokenClaims } from '../../src/auth/token.js'
import { createJwtVerifier, type JwtVerifier } from '../../src/auth/verify-token.js'
import { ConfigError } from '../../src/config.js'
import { GraphError } from '../../src/errors.js'

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
const clock = { now: NOW }
const now = (): number => clock.now

const NO_KEYS: AuthKeySettings = { authSecret: undefined, authPublicKey: undefined, authJwks: undefined, authSigningKey: undefined }

const EXPIRED = { statusCode: 401, code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' }
const NOT_YET = { statusCode: 401, code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is not yet valid.' }
const NO_EXP = { statusCode: 401, code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token has no expiration time.' }
const AUDIENCE = { statusCode: 401, code: 'InvalidAuthenticationToken', message: 'Access token validation failure. Invalid audience.' }
const FAILURE = { statusCode: 401, code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' }
const NOT_JWT = { statusCode: 401, code: 'InvalidAuthenticationToken', message: 'CompactToken parsing failed with error code: 80049217' }

async function verifierFor (settings: Partial<AuthKeySettings>, checkAudience = false): Promise<JwtVerifier> {
  const keys = await loadAuthKeys({ ...NO_KEYS, ...settings })
  return createJwtVerifier({ key: keys.verification, checkAudience, now })
}

function errorOf (result: unknown): unknown {
  return result instanceof GraphError ? { statusCode: result.statusCode, code: result.code, message: result.message } : result
}

const SECRET = { authSecret: 'a shared secret for the tests' }

async function hsToken (claims: Record<string, unknown>, secret = SECRET.authSecret, alg = 'HS256'): Promise<string> {
  return await new SignJWT(claims).setProtectedHeader({ alg }).sign(new TextEncoder().encode(secret))
}

const seconds = (offset: number): number => Math.floor(NOW / 1000) + offset

t.test('no key: any JWT is accepted unsigned, whatever its alg; lifetime still checked', async (t) => {
  const verify = await verifierFor({})
  const unsigned = new UnsecuredJWT({ exp: seconds(60), scp: 'x' }).encode()
  t.strictSame(await verify(unsigned), { exp: seconds(60), scp: 'x' }, 'alg none')
  t.strictSame(await verify(await hsToken({ exp: seconds(60) }, 'some other secret')), { exp: seconds(60) }, 'a signature nobody checks')
  t.strictSame(errorOf(await verify(new UnsecuredJWT({ exp: seconds(-1) }).encode())), EXPIRED)
  const keys = await loadAuthKeys(NO_KEYS)
  t.match(keys.description, /signatures are NOT checked; any JWT is accepted unsigned/, 'the start-up line says so')
})

t.test('lifetime against the injected clock: exp, nbf, and no exp', async (t) => {
  const verify = await verifierFor(SECRET)
  const token = await hsToken({ exp: seconds(60), nbf: seconds(-60) })
  t.strictSame(await verify(token), { exp: seconds(60), nbf: seconds(-60) }, 'valid now')
  clock.now = NOW + 59_999
  t.type(await verify(token), 'object', 'valid one millisecond before exp')
  clock.now = NOW + 60_000
  t.strictSame(errorOf(await verify(token)), EXPIRED, 'expired at exp exactly')
  clock.now = NOW - 61_000
  t.strictSame(errorOf(await verify(token)), NOT_YET, 'before nbf')
  clock.now = NOW
  t.strictSame(errorOf(await verify(await hsToken({ nbf: seconds(-1) }))), NO_EXP, 'no exp')
  t.strictSame(errorOf(await verify(await hsToken({ exp: 'tomorrow' }))), NO_EXP, 'an exp that is not a number')
  t.strictSame(errorOf(await verify(await hsToken({ exp: seconds(60), nbf: 'now' }))), NOT_YET, 'an nbf that is not a number')
  const issued = await issueToken({ scopes: ['A'], expiresIn: -5 }, (await loadAuthKeys({ ...NO_KEYS, ...SECRET })).signing, NOW)
  t.strictSame(errorOf(await verify(issued.token)), EXPIRED, 'an issued token with a negative expiresIn')
  const early = await issueToken({ scopes: ['A'], notBefore: 30 }, (await loadAuthKeys({ ...NO_KEYS, ...SECRET })).signing, NOW)
  t.strictSame(errorOf(await verify(early.token)), NOT_YET, 'an issued token with a positive notBefore')
})

t.test('audience: checked only when asked; Graph\'s URI and app id pass', async (t) => {
  const strict = await verifierFor(SECRET, true)
  const lax = await verifierFor(SECRET, false)
  for (const aud of ['https://graph.microsoft.com', 'https://graph.microsoft.com/', '00000003-0000-0000-c000-000000000000', ['api://other', 'https://graph.microsoft.com']]) {
    t.type(await strict(await hsToken({ exp: seconds(60), aud })), 'object', `aud ${JSON.stringify(aud)}`)
  }
  for (const aud of ['api://my-api', 'https://graph.microsoft.us', undefined, ['api://a'], 7]) {
    const token = await hsToken({ exp: seconds(60), ...(aud === undefined ? {} : { aud }) })
    t.strictSame(errorOf(await strict(token)), AUDIENCE, `aud ${JSON.stringify(aud)}`)
    t.type(await lax(token), 'object', `aud ${JSON.stringify(aud)} when the audience is not checked`)
  }
})

t.test('shared secret: a wrong secret, a tampered payload and alg none are refused', async (t) => {
  const verify = await verifierFor(SECRET)
  t.type(await verify(await hsToken({ exp: seconds(60) }, SECRET.authSecret, 'HS512')), 'object', 'HS512 with the secret')
  t.strictSame(errorOf(await verify(await hsToken({ exp: seconds(60) }, 'not the secret'))), FAILURE, 'another secret')
  const good = await hsToken({ exp: seconds(60), scp: 'A' })
  const [header, , signature] = good.split('.')
  const forged = `${String(header)}.${Buffer.from(JSON.stringify({ exp: seconds(60), scp: 'A B' })).toString('base64url')}.${String(signature)}`
  t.strictSame(errorOf(await verify(forged)), FAILURE, 'a payload changed after signing')
  t.strictSame(errorOf(await verify(new UnsecuredJWT({ exp: seconds(60) }).encode())), FAILURE, 'alg none')
  const noneWithSignature = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ exp: seconds(60) })).toString('base64url')}.${String(signature)}`
  t.strictSame(errorOf(await verify(noneWithSignature)), FAILURE, 'alg none carrying a signature')
})

t.test('not a JWT → CompactToken parsing failed', async (t) => {
  for (const key of [{}, SECRET]) {
    const verify = await verifierFor(key)
    for (const token of ['opaque-token', 'a.b', 'a.b.c.d', 'eyJhbGciOiJub25lIn0.bm90IGpzb24.', '@@@.###.$$$', `${Buffer.from('[]').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`]) {
      t.strictSame(errorOf(await verify(token)), NOT_JWT, `${key === SECRET ? 'with' : 'without'} a key: ${token}`)
    }
  }
})

t.test('PEM public key, with a PEM private key that signs what the mock issues', async (t) => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const dir = t.testdir({
    'public.pem': pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    'private.pem': pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    'other-private.pem': other.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    'not-a-key.pem': 'hello'
  })
  const settings = { ...NO_KEYS, authPublicKey: join(dir, 'public.pem'), authSigningKey: join(dir, 'private.pem') }
  const keys = await loadAuthKeys(settings)
  const verify = createJwtVerifier({ key: keys.verification, checkAudience: true, now })
  const issued = await issueToken({ roles: ['BackupRestore-Restore.Read.All'] }, keys.signing, NOW)
  t.equal(decodeProtectedHeader(issued.token).alg, 'RS256', 'RS256')
  t.match(await verify(issued.token), { roles: ['BackupRestore-Restore.Read.All'], idtyp: 'app', aud: 'https://graph.microsoft.com' })
  const foreign = await new SignJWT({ exp: seconds(60) }).setProtectedHeader({ alg: 'RS256' }).sign(other.privateKey)
  t.strictSame(errorOf(await verify(foreign)), FAILURE, 'signed by another key')
  t.strictSame(errorOf(await verify(await hsToken({ exp: seconds(60) }, pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()))), FAILURE, 'HS256 with the public key as the secret (algorithm confusion)')
  t.strictSame(errorOf(await verify(new UnsecuredJWT({ exp: seconds(60) }).encode())), FAILURE, 'alg none')
  await t.rejects(loadAuthKeys({ ...settings, authSigningKey: join(dir, 'other-private.pem') }), new ConfigError('AUTH_SIGNING_KEY does not match AUTH_PUBLIC_KEY: tokens it signs would be refused'))
  await t.rejects(loadAuthKeys({ ...NO_KEYS, authPublicKey: join(dir, 'not-a-key.pem') }), /holds no PEM public key or certificate/)
  await t.rejects(loadAuthKeys({ ...NO_KEYS, authPublicKey: join(dir, 'missing.pem') }), /AUTH_PUBLIC_KEY: cannot read .*missing\.pem' \(ENOENT\)/)
  const unsignedOnly = await loadAuthKeys({ ...NO_KEYS, authPublicKey: join(dir, 'public.pem') })
  t.strictSame(unsignedOnly.signing, [], 'a public key alone cannot sign: issued tokens are unsigned')
  t.match(unsignedOnly.description, /issued tokens are unsigned/)
})

t.test('EC and Ed25519 keys', async (t) => {
  for (const [type, alg] of [['ec', 'ES256'], ['ed25519', 'EdDSA']] as const) {
    const pair = type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519')
    const dir = t.testdir({
      'public.pem': pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      'private.pem': pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    })
    const keys = await loadAuthKeys({ ...NO_KEYS, authPublicKey: join(dir, 'public.pem'), authSigningKey: join(dir, 'private.pem') })
    t.equal(keys.signing[0]?.alg, alg, type)
    const verify = createJwtVerifier({ key: keys.verification, checkAudience: false, now })
    t.match(await verify((await issueToken({ scopes: ['A'] }, keys.signing, NOW)).token), { scp: 'A' }, `${type}: issued and verified`)
  }
})

async function jwkPair (alg: 'RS256' | 'ES256', kid: string): Promise<{ publicJwk: JWK, privateJwk: JWK }> {
  const pair = await generateKeyPair(alg, { extractable: true })
  return { publicJwk: { ...await exportJWK(pair.publicKey), kid, alg, use: 'sig' }, privateJwk: { ...await exportJWK(pair.privateKey), kid, alg } }
}

t.test('a JWKS with several keys: the kid picks the key', async (t) => {
  const first = await jwkPair('RS256', 'key-one')
  const second = await jwkPair('ES256', 'key-two')
  const stranger = await jwkPair('RS256', 'key-one')
  const dir = t.testdir({
    'jwks.json': JSON.stringify({ keys: [first.publicJwk, second.publicJwk] }),
    'private-jwks.json': JSON.stringify({ keys: [first.privateJwk, second.privateJwk] }),
    'public-only.json': JSON.stringify({ keys: [first.publicJwk] }),
    'empty.json': JSON.stringify({ keys: [] }),
    'not-json.json': 'keys'
  })
  const keys = await loadAuthKeys({ ...NO_KEYS, authJwks: join(dir, 'jwks.json'), authSigningKey: join(dir, 'private-jwks.json') })
  t.strictSame(keys.signing.map((key) => [key.kid, key.alg]), [['key-one', 'RS256'], ['key-two', 'ES256']])
  t.match(keys.description, /kids: key-one, key-two/)
  const verify = createJwtVerifier({ key: keys.verification, checkAudience: false, now })
  const byFirst = await issueToken({ scopes: ['A'] }, keys.signing, NOW)
  const bySecond = await issueToken({ scopes: ['B'], kid: 'key-two' }, keys.signing, NOW)
  t.equal(decodeProtectedHeader(bySecond.token).kid, 'key-two')
  t.match(await verify(byFirst.token), { scp: 'A' }, 'kid key-one (the default signing key)')
  t.match(await verify(bySecond.token), { scp: 'B' }, 'kid key-two')
  const strangerKey = await importJWK(stranger.privateJwk, 'RS256')
  t.strictSame(errorOf(await verify(await new SignJWT({ exp: seconds(60) }).setProtectedHeader({ alg: 'RS256', kid: 'key-one' }).sign(strangerKey))), FAILURE, 'a known kid, signed by another key')
  t.strictSame(errorOf(await verify(await new SignJWT({ exp: seconds(60) }).setProtectedHeader({ alg: 'RS256', kid: 'key-three' }).sign(strangerKey))), FAILURE, 'an unknown kid')
  const secondKey = await importJWK(second.privateJwk, 'ES256')
  t.strictSame(errorOf(await verify(await new SignJWT({ exp: seconds(60) }).setProtectedHeader({ alg: 'ES256', kid: 'key-one' }).sign(secondKey))), FAILURE, 'the right key under the wrong kid')
  t.strictSame(errorOf(await verify(new UnsecuredJWT({ exp: seconds(60) }).encode())), FAILURE, 'alg none')
  t.throws(() => tokenClaims({ scopes: ['A'], roles: ['B'] }, NOW), new ConfigError('a token carries scopes (delegated) or roles (application), not both'))
  await t.rejects(issueToken({ kid: 'key-nine' }, keys.signing, NOW), new ConfigError("no signing key has kid 'key-nine'"))
  await t.rejects(loadAuthKeys({ ...NO_KEYS, authJwks: join(dir, 'jwks.json'), authSigningKey: join(dir, 'public-only.json') }), new ConfigError('AUTH_SIGNING_KEY: the JWKS holds no private key (a key with "d")'))
  await t.rejects(loadAuthKeys({ ...NO_KEYS, authJwks: join(dir, 'empty.json') }), new ConfigError('AUTH_JWKS: a JWKS needs a non-empty "keys" list'))
  await t.rejects(loadAuthKeys({ ...NO_KEYS, authJwks: join(dir, 'not-json.json') }), new ConfigError('AUTH_JWKS: the file is not JSON'))
  await t.rejects(loadAuthKeys({ ...NO_KEYS, authJwks: join(dir, 'public-only.json'), authSigningKey: join(dir, 'private-jwks.json') }), new ConfigError('AUTH_SIGNING_KEY (kid key-two) does not match AUTH_JWKS: tokens it signs would be refused'))
})

t.test('key settings are alternatives', async (t) => {
  await t.rejects(loadAuthKeys({ ...NO_KEYS, authSecret: 's', authJwks: 'x.json' }), new ConfigError('AUTH_SECRET, AUTH_PUBLIC_KEY and AUTH_JWKS are alternatives: set one of them'))
  await t.rejects(loadAuthKeys({ ...NO_KEYS, authSecret: 's', authSigningKey: 'k.pem' }), new ConfigError('AUTH_SIGNING_KEY is for AUTH_PUBLIC_KEY or AUTH_JWKS; with AUTH_SECRET the secret signs'))
  const keys = await loadAuthKeys({ ...NO_KEYS, ...SECRET })
  t.strictSame(keys.signing.map((key) => key.alg), ['HS256'], 'the secret signs with HS256')
})
