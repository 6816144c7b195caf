// Tokens for tests: the claims an Entra ID access token for Graph carries (delegated: `scp`, `oid`,
// `name`; application: `roles`, `idtyp: app`), signed with the configured key (HS256 for a shared
// secret, the signing key's algorithm otherwise) or unsigned (`alg: none`) when none is configured.
// The same function serves the `graph-mock token` command, the programmatic API and POST /__admin/token.

import { SignJWT, UnsecuredJWT, type JWTPayload } from 'jose'
import { ConfigError } from '../config.js'
import { loadAuthKeys, signingKeyFor, type AuthKeySettings, type SigningKey } from './keys.js'

/** The tenant every issued token names. */
export const MOCK_TENANT_ID = '8f2c5a5e-3b1d-4c2a-9e6f-1d2c3b4a5f60'
/** Who a token is for when the caller does not say. */
export const DEFAULT_USER = { oid: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'Graph Mock User' } as const
export const DEFAULT_APP = { appid: 'a1b2c3d4-0000-4000-8000-0000000000a1', displayName: 'graph-mock client' } as const
export const DEFAULT_EXPIRES_IN = 3600

export interface TokenOptions {
  /** Delegated scopes (`scp`), e.g. `['BackupRestore-Restore.Read.All']`. */
  scopes?: readonly string[] | undefined
  /** Application roles (`roles`); a token is delegated or application, not both. */
  roles?: readonly string[] | undefined
  /** Seconds from now until `exp` (negative: already expired). Default 3600. */
  expiresIn?: number | undefined
  /** Seconds from now until `nbf` (positive: not yet valid). Default 0. */
  notBefore?: number | undefined
  /** The user's object id (delegated) or the service principal's (application). */
  oid?: string | undefined
  /** The user's display name (delegated tokens only). */
  name?: string | undefined
  /** The client application's id. */
  appid?: string | undefined
  /** The client application's display name (`app_displayname`). */
  appDisplayName?: string | undefined
  /** The audience; default Graph's, https://graph.microsoft.com. */
  audience?: string | undefined
  /** The signing key to use, for a JWKS of several. */
  kid?: string | undefined
}

export interface IssuedToken {
  token: string
  /** Seconds until it expires. */
  expiresIn: number
  claims: JWTPayload
}

function checkList (value: readonly string[] | undefined, name: string): string[] {
  if (value === undefined) return []
  const items: unknown[] = Array.isArray(value) ? value : [undefined]
  const names = items.map((item) => typeof item === 'string' ? item.trim() : '')
  if (names.some((item) => item === '' || /\s/.test(item))) {
    throw new ConfigError(`${name} must be a list of permission names, each one word`)
  }
  return names
}

function checkSeconds (value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 10 * 365 * 86400) {
    throw new ConfigError(`${name} must be a whole number of seconds, got ${String(value)}`)
  }
  return value
}

function text (value: string | undefined, name: string, fallback: string): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value.trim() === '') throw new ConfigError(`${name} must be a non-empty string`)
  return value
}

/** The claims of a token, without signing it. Throws ConfigError for options that do not make a token. */
export function tokenClaims (options: TokenOptions, now: number): JWTPayload {
  const scopes = checkList(options.scopes, 'scopes')
  const roles = checkList(options.roles, 'roles')
  if (scopes.length > 0 && roles.length > 0) {
    throw new ConfigError('a token carries scopes (delegated) or roles (application), not both')
  }
  const expiresIn = checkSeconds(options.expiresIn, 'expiresIn', DEFAULT_EXPIRES_IN)
  const notBefore = checkSeconds(options.notBefore, 'notBefore', 0)
  const iat = Math.floor(now / 1000)
  const application = roles.length > 0
  const claims: JWTPayload = {
    aud: text(options.audience, 'audience', 'https://graph.microsoft.com'),
    iss: `https://sts.windows.net/${MOCK_TENANT_ID}/`,
    iat,
    nbf: iat + notBefore,
    exp: iat + expiresIn,
    tid: MOCK_TENANT_ID,
    appid: text(options.appid, 'appid', DEFAULT_APP.appid),
    app_displayname: text(options.appDisplayName, 'appDisplayName', DEFAULT_APP.displayName),
    idtyp: application ? 'app' : 'user',
    oid: text(options.oid, 'oid', application ? text(options.appid, 'appid', DEFAULT_APP.appid) : DEFAULT_USER.oid),
    ver: '1.0'
  }
  if (application) {
    claims['roles'] = roles
  } else {
    claims['name'] = text(options.name, 'name', DEFAULT_USER.name)
    if (scopes.length > 0) claims['scp'] = scopes.join(' ')
  }
  return claims
}

/** Signs (or leaves unsigned) the claims with `key`. */
export async function signClaims (claims: JWTPayload, key: SigningKey | undefined): Promise<string> {
  if (key === undefined) return new UnsecuredJWT(claims).encode()
  const header = key.kid === undefined ? { alg: key.alg, typ: 'JWT' } : { alg: key.alg, typ: 'JWT', kid: key.kid }
  return await new SignJWT(claims).setProtectedHeader(header).sign(key.key)
}

/** A token from loaded keys (the admin endpoint and the command). */
export async function issueToken (options: TokenOptions, signing: readonly SigningKey[], now: number): Promise<IssuedToken> {
  const claims = tokenClaims(options, now)
  const token = await signClaims(claims, signingKeyFor(signing, options.kid))
  return { token, expiresIn: Number(claims.exp) - Number(claims.iat), claims }
}

export interface CreateTokenOptions extends TokenOptions, Partial<AuthKeySettings> {
  /** The clock the token's iat/nbf/exp count from; default Date.now. */
  now?: () => number
}

/**
 * A bearer token for a mock in AUTH_MODE=permissions, signed like the mock expects: pass the same
 * `authSecret` (or `authSigningKey`, a PEM private key or private JWKS file) as the mock's settings.
 */
export async function createToken (options: CreateTokenOptions = {}): Promise<string> {
  const { authSecret, authPublicKey, authJwks, authSigningKey, now = Date.now, ...tokenOptions } = options
  const keys = await loadAuthKeys({ authSecret, authPublicKey, authJwks, authSigningKey })
  return (await issueToken(tokenOptions, keys.signing, now())).token
}
