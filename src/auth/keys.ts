// The keys of AUTH_MODE=permissions, loaded once at start-up: what verifies a token (a shared secret,
// a PEM public key or certificate, or a JWKS file) and what signs the tokens graph-mock issues (the
// secret itself, or AUTH_SIGNING_KEY: a PEM private key or a private JWKS, since a public key cannot
// sign). Key handling is node:crypto's and jose's; nothing here does cryptography itself.

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { CompactSign, compactVerify, createLocalJWKSet, importJWK, type CryptoKey, type JWK, type JWSHeaderParameters, type FlattenedJWSInput } from 'jose'
import { ConfigError, type Config } from '../config.js'

export type AuthKeySettings = Pick<Config, 'authSecret' | 'authPublicKey' | 'authJwks' | 'authSigningKey'>

type JwksGetKey = (header: JWSHeaderParameters, token: FlattenedJWSInput) => Promise<CryptoKey | KeyObject | Uint8Array>

/** What checks a token's signature; `none`: nothing does, tokens are accepted unsigned. */
export type VerificationKey =
  | { kind: 'none' }
  | { kind: 'secret', key: Uint8Array, algorithms: string[] }
  | { kind: 'public', key: KeyObject, algorithms: string[] }
  | { kind: 'jwks', getKey: JwksGetKey, algorithms: string[], kids: string[] }

/** What signs issued tokens; undefined: they are issued unsigned (`alg: none`). */
export interface SigningKey {
  alg: string
  key: KeyObject | CryptoKey | Uint8Array
  kid?: string
}

export interface AuthKeys {
  verification: VerificationKey
  /** Signing keys by kid (a JWKS may hold several), the default first. */
  signing: SigningKey[]
  /** One line for the start-up log. */
  description: string
}

const HMAC = ['HS256', 'HS384', 'HS512']
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519']
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']

/** The JWS algorithms a key of this type can verify; the first is the one it signs with. */
export function algorithmsFor (key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa': return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']
    case 'rsa-pss': return ['PS256', 'PS384', 'PS512']
    case 'ed25519': return ['EdDSA', 'Ed25519']
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve
      if (curve === 'prime256v1') return ['ES256']
      if (curve === 'secp384r1') return ['ES384']
      if (curve === 'secp521r1') return ['ES512']
      throw new ConfigError(`the EC curve ${String(curve)} has no JWS algorithm; use P-256, P-384 or P-521`)
    }
    case 'dsa':
    case 'ed448':
    case 'x25519':
    case 'x448':
    case undefined:
      break
  }
  throw new ConfigError(`keys of type ${String(key.asymmetricKeyType)} have no JWS algorithm here; use RSA, EC or Ed25519`)
}

/** The JWS algorithm for a JWK without `alg`, from its type and curve. */
function jwkAlgorithm (jwk: JWK): string {
  if (typeof jwk.alg === 'string') return jwk.alg
  if (jwk.kty === 'RSA') return 'RS256'
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA'
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256'
  if (jwk.kty === 'EC' && jwk.crv === 'P-384') return 'ES384'
  if (jwk.kty === 'EC' && jwk.crv === 'P-521') return 'ES512'
  throw new ConfigError(`a JWK of type ${String(jwk.kty)} without "alg" cannot be used; add "alg" to it`)
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

async function readKeyFile (path: string, name: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const code = isRecord(error) && typeof error['code'] === 'string' ? error['code'] : 'unreadable'
    throw new ConfigError(`${name}: cannot read '${path}' (${code})`)
  }
}

/** A JWKS document: `{ "keys": [JWK, …] }`, every key of a known type. */
export function parseJwks (text: string, name: string): JWK[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new ConfigError(`${name}: the file is not JSON`)
  }
  if (!isRecord(parsed) || !Array.isArray(parsed['keys']) || parsed['keys'].length === 0) {
    throw new ConfigError(`${name}: a JWKS needs a non-empty "keys" list`)
  }
  const keys: JWK[] = []
  for (const key of parsed['keys']) {
    if (!isRecord(key) || typeof key['kty'] !== 'string') throw new ConfigError(`${name}: every key needs a "kty"`)
    keys.push(key)
  }
  return keys
}

function publicJwk (jwk: JWK): JWK {
  const copy: Record<string, unknown> = { ...jwk }
  for (const member of PRIVATE_MEMBERS) Reflect.deleteProperty(copy, member)
  return copy
}

async function verificationKey (settings: AuthKeySettings): Promise<VerificationKey> {
  if (settings.authSecret !== undefined) {
    return { kind: 'secret', key: new TextEncoder().encode(settings.authSecret), algorithms: HMAC }
  }
  if (settings.authPublicKey !== undefined) {
    const pem = await readKeyFile(settings.authPublicKey, 'AUTH_PUBLIC_KEY')
    let key: KeyObject
    try {
      key = createPublicKey(pem)
    } catch {
      throw new ConfigError(`AUTH_PUBLIC_KEY: '${settings.authPublicKey}' holds no PEM public key or certificate`)
    }
    return { kind: 'public', key, algorithms: algorithmsFor(key) }
  }
  if (settings.authJwks !== undefined) {
    const keys = parseJwks(await readKeyFile(settings.authJwks, 'AUTH_JWKS'), 'AUTH_JWKS').map(publicJwk)
    const kids = keys.map((key) => key.kid).filter((kid): kid is string => typeof kid === 'string')
    return { kind: 'jwks', getKey: createLocalJWKSet({ keys }), algorithms: ASYMMETRIC, kids }
  }
  return { kind: 'none' }
}

async function signingKeys (settings: AuthKeySettings): Promise<SigningKey[]> {
  if (settings.authSecret !== undefined) {
    return [{ alg: 'HS256', key: new TextEncoder().encode(settings.authSecret) }]
  }
  const path = settings.authSigningKey
  if (path === undefined) return []
  const text = await readKeyFile(path, 'AUTH_SIGNING_KEY')
  if (text.trimStart().startsWith('{')) {
    const keys = parseJwks(text, 'AUTH_SIGNING_KEY').filter((jwk) => typeof jwk.d === 'string')
    if (keys.length === 0) throw new ConfigError('AUTH_SIGNING_KEY: the JWKS holds no private key (a key with "d")')
    const found: SigningKey[] = []
    for (const jwk of keys) {
      const alg = jwkAlgorithm(jwk)
      const key = await importJWK(jwk, alg)
      if (key instanceof Uint8Array) throw new ConfigError('AUTH_SIGNING_KEY: symmetric JWKs are not used; set AUTH_SECRET instead')
      found.push(typeof jwk.kid === 'string' ? { alg, key, kid: jwk.kid } : { alg, key })
    }
    return found
  }
  let key: KeyObject
  try {
    key = createPrivateKey(text)
  } catch {
    throw new ConfigError(`AUTH_SIGNING_KEY: '${path}' holds no PEM private key`)
  }
  const [alg] = algorithmsFor(key)
  if (alg === undefined) throw new ConfigError('AUTH_SIGNING_KEY: no algorithm for this key')
  return [{ alg, key }]
}

/** Signs a probe with every signing key and verifies it, so a key pair that does not match fails at start. */
async function checkPair (verification: VerificationKey, signing: readonly SigningKey[]): Promise<void> {
  if (verification.kind === 'none' || verification.kind === 'secret') return
  for (const key of signing) {
    const header = key.kid === undefined ? { alg: key.alg } : { alg: key.alg, kid: key.kid }
    const probe = await new CompactSign(new TextEncoder().encode('{}')).setProtectedHeader(header).sign(key.key)
    try {
      if (verification.kind === 'public') await compactVerify(probe, verification.key, { algorithms: verification.algorithms })
      else await compactVerify(probe, verification.getKey, { algorithms: verification.algorithms })
    } catch {
      const which = key.kid === undefined ? 'AUTH_SIGNING_KEY' : `AUTH_SIGNING_KEY (kid ${key.kid})`
      throw new ConfigError(`${which} does not match ${verification.kind === 'public' ? 'AUTH_PUBLIC_KEY' : 'AUTH_JWKS'}: tokens it signs would be refused`)
    }
  }
}

function describe (verification: VerificationKey, signing: readonly SigningKey[]): string {
  const signs = signing.length === 0 ? 'issued tokens are unsigned (alg none)' : `issued tokens are signed with ${signing.map((key) => key.kid === undefined ? key.alg : `${key.alg} (kid ${key.kid})`).join(', ')}`
  switch (verification.kind) {
    case 'none': return 'AUTH_MODE=permissions without a key: token signatures are NOT checked; any JWT is accepted unsigned (set AUTH_SECRET, AUTH_PUBLIC_KEY or AUTH_JWKS to check them)'
    case 'secret': return `AUTH_MODE=permissions: signatures checked with the shared secret (${verification.algorithms.join(', ')}); ${signs}`
    case 'public': return `AUTH_MODE=permissions: signatures checked with AUTH_PUBLIC_KEY (${verification.algorithms.join(', ')}); ${signs}`
    case 'jwks': return `AUTH_MODE=permissions: signatures checked with AUTH_JWKS (kids: ${verification.kids.join(', ') || 'none'}); ${signs}`
  }
}

/** Loads and checks the key settings. Throws ConfigError for a bad combination or an unusable file. */
export async function loadAuthKeys (settings: AuthKeySettings): Promise<AuthKeys> {
  const given = (['authSecret', 'authPublicKey', 'authJwks'] as const).filter((key) => settings[key] !== undefined)
  if (given.length > 1) throw new ConfigError('AUTH_SECRET, AUTH_PUBLIC_KEY and AUTH_JWKS are alternatives: set one of them')
  if (settings.authSigningKey !== undefined && settings.authSecret !== undefined) {
    throw new ConfigError('AUTH_SIGNING_KEY is for AUTH_PUBLIC_KEY or AUTH_JWKS; with AUTH_SECRET the secret signs')
  }
  const verification = await verificationKey(settings)
  const signing = await signingKeys(settings)
  await checkPair(verification, signing)
  return { verification, signing, description: describe(verification, signing) }
}

/** The signing key for `kid`, or the first one; undefined when tokens are issued unsigned. */
export function signingKeyFor (keys: readonly SigningKey[], kid?: string): SigningKey | undefined {
  if (kid === undefined) return keys[0]
  const found = keys.find((key) => key.kid === kid)
  if (found === undefined) throw new ConfigError(`no signing key has kid '${kid}'${keys.length === 0 ? ' (no signing key is configured)' : ''}`)
  return found
}
