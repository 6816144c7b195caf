// Stub authorization for the Graph routes: any non-empty `Authorization: Bearer <token>` passes. The
// check is pluggable: the factory takes the function that accepts a token, so a stricter mode can be
// added without touching the routes. It returns an onRequest hook, so unauthenticated requests never
// reach body parsing; the app adds it to the version roots' contexts only, which keeps /healthz and
// the API description open.

import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { graphErrors, type GraphError } from '../errors.js'

/** Decides whether a well-formed bearer token is accepted. */
export type TokenVerifier = (token: string) => boolean | Promise<boolean>

/** The stub: every non-empty, well-formed token passes. */
export const acceptAnyToken: TokenVerifier = () => true

/** RFC 6750 b64token: 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

function countAuthorizationHeaders (rawHeaders: readonly string[]): number {
  let count = 0
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]?.toLowerCase() === 'authorization') count++
  }
  return count
}

/** The token of a request, or the 401 that explains what is wrong with its Authorization header. */
export function bearerTokenOf (request: Pick<FastifyRequest, 'headers' | 'raw'>): string | GraphError {
  const header = request.headers.authorization
  if (header === undefined) return graphErrors.accessTokenEmpty()
  if (countAuthorizationHeaders(request.raw.rawHeaders) > 1) {
    return graphErrors.invalidAuthenticationToken('The request carries more than one Authorization header; send exactly one.')
  }
  const value = header.trim()
  if (value === '') return graphErrors.accessTokenEmpty()
  const space = value.indexOf(' ')
  const scheme = space === -1 ? value : value.slice(0, space)
  if (scheme.toLowerCase() !== 'bearer') {
    const shown = scheme.length > 40 ? `${scheme.slice(0, 40)}…` : scheme
    return graphErrors.invalidAuthenticationToken(`The authorization scheme '${shown}' is not supported. Send 'Authorization: Bearer <access token>'.`)
  }
  const token = space === -1 ? '' : value.slice(space + 1).trim()
  if (token === '') return graphErrors.accessTokenEmpty()
  if (!B64TOKEN.test(token)) {
    return graphErrors.invalidAuthenticationToken('The bearer token is malformed: it must be a single word of letters, digits and -._~+/ (RFC 6750).')
  }
  return token
}

/** The onRequest hook. A verifier that is not a function fails here, at start-up, not per request. */
export function bearerAuthHook (verifyToken: TokenVerifier = acceptAnyToken): onRequestAsyncHookHandler {
  if (typeof verifyToken !== 'function') throw new TypeError('verifyToken must be a function')
  return async function bearerAuth (request) {
    const token = bearerTokenOf(request)
    if (typeof token !== 'string') throw token
    if (!(await verifyToken(token))) {
      throw graphErrors.invalidAuthenticationToken('Access token validation failure.')
    }
  }
}
