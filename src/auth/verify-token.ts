// Checks a bearer token the way Graph's front door does, before any permission: a compact JWT, its
// signature (when a key is configured; `alg: none` is then refused like any algorithm the key does
// not allow), its lifetime against the mock's clock, and, when asked, its audience. Answers with the
// claims or with Graph's 401.

import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose'
import { graphErrors, type GraphError } from '../errors.js'
import type { TokenClaims } from './authorize.js'
import type { VerificationKey } from './keys.js'

/** The audiences Graph accepts: its resource URI and its application id. */
export const GRAPH_AUDIENCES: readonly string[] = [
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
  '00000003-0000-0000-c000-000000000000'
]

export interface TokenCheckOptions {
  key: VerificationKey
  checkAudience: boolean
  /** The mock's clock, in milliseconds since the epoch. */
  now: () => number
}

/** `now`: the instant to check exp and nbf against (epoch ms); default the options' clock. */
export type JwtVerifier = (token: string, now?: number) => Promise<TokenClaims | GraphError>

const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

function isGraphErrorResult (value: TokenClaims | GraphError): value is GraphError {
  return value instanceof Error
}

/** Decodes without checking the signature; a token that does not decode is not a JWT. */
function decodeUnsigned (token: string): TokenClaims | GraphError {
  try {
    decodeProtectedHeader(token)
    return decodeJwt(token)
  } catch {
    return graphErrors.tokenNotJwt()
  }
}

async function verified (token: string, key: Exclude<VerificationKey, { kind: 'none' }>): Promise<TokenClaims | GraphError> {
  const decoded = decodeUnsigned(token)
  if (isGraphErrorResult(decoded)) return decoded
  try {
    if (key.kind === 'jwks') await compactVerify(token, key.getKey, { algorithms: key.algorithms })
    else await compactVerify(token, key.key, { algorithms: key.algorithms })
    return decoded
  } catch {
    return graphErrors.tokenValidationFailure()
  }
}

/** Lifetime and audience, the same whether the signature was checked or not. */
export function checkClaims (claims: TokenClaims, options: Pick<TokenCheckOptions, 'checkAudience' | 'now'>): GraphError | undefined {
  const now = options.now() / 1000
  const exp = claims['exp']
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return graphErrors.tokenWithoutExpiry()
  if (now >= exp) return graphErrors.tokenExpired()
  const nbf = claims['nbf']
  if (nbf !== undefined && (typeof nbf !== 'number' || now < nbf)) return graphErrors.tokenNotYetValid()
  if (options.checkAudience) {
    const aud = claims['aud']
    const audiences = Array.isArray(aud) ? aud : [aud]
    if (!audiences.some((value) => typeof value === 'string' && GRAPH_AUDIENCES.includes(value))) return graphErrors.invalidAudience()
  }
  return undefined
}

/** The verifier for one configuration (keys are loaded once, by the caller). */
export function createJwtVerifier (options: TokenCheckOptions): JwtVerifier {
  const { key } = options
  return async function verifyJwt (token, now) {
    if (!COMPACT_JWT.test(token)) return graphErrors.tokenNotJwt()
    const claims = key.kind === 'none' ? decodeUnsigned(token) : await verified(token, key)
    if (isGraphErrorResult(claims)) return claims
    return checkClaims(claims, now === undefined ? options : { ...options, now: () => now }) ?? claims
  }
}
