// Who a request acts as, as Graph records it in createdBy/lastModifiedBy: an identitySet with the
// user (delegated token: oid, name) or the application (application token: appid, app_displayname).
// In permissions mode the claims are the verified ones the auth hook kept; in stub mode the bearer
// token is decoded when it is a JWT (nothing is verified), and any other token stands for the default
// user that `graph-mock token` issues tokens for.

import type { FastifyRequest } from 'fastify'
import { decodeJwt } from 'jose'
import type { TokenClaims } from './authorize.js'
import { DEFAULT_USER } from './token.js'

export interface IdentitySetOfRequest {
  user?: { id: string | null, displayName: string | null }
  application?: { id: string | null, displayName: string | null }
}

const verifiedClaims = new WeakMap<object, TokenClaims>()

/** Called by the auth hook once a token is verified. */
export function rememberClaims (request: FastifyRequest, claims: TokenClaims): void {
  verifiedClaims.set(request, claims)
}

function stringClaim (claims: TokenClaims, name: string): string | null {
  const value = claims[name]
  return typeof value === 'string' && value !== '' ? value : null
}

/** The identitySet for a token's claims. */
export function identityFromClaims (claims: TokenClaims): IdentitySetOfRequest {
  const isApplication = claims['idtyp'] === 'app' || (claims['scp'] === undefined && Array.isArray(claims['roles']))
  if (isApplication) {
    return { application: { id: stringClaim(claims, 'appid') ?? stringClaim(claims, 'azp'), displayName: stringClaim(claims, 'app_displayname') } }
  }
  return { user: { id: stringClaim(claims, 'oid'), displayName: stringClaim(claims, 'name') } }
}

function claimsOfHeader (request: FastifyRequest): TokenClaims | undefined {
  const header = request.headers.authorization
  if (typeof header !== 'string') return undefined
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header)
  if (match?.[1] === undefined) return undefined
  try {
    return decodeJwt(match[1])
  } catch {
    return undefined
  }
}

/** The identitySet a write by this request records, in either auth mode. */
export function identityFromRequest (request: FastifyRequest): IdentitySetOfRequest {
  const claims = verifiedClaims.get(request) ?? claimsOfHeader(request)
  if (claims === undefined) return { user: { id: DEFAULT_USER.oid, displayName: DEFAULT_USER.name } }
  return identityFromClaims(claims)
}
