// Authorization for the Graph routes, in two modes (AUTH_MODE):
// - stub (the default): any non-empty, well-formed `Authorization: Bearer <token>` passes, or what a
//   `verifyToken` function accepts.
// - permissions: the token must be a JWT; its signature (when a key is configured), lifetime (against
//   the mock's clock) and, when asked, audience are checked, then the permissions it carries (`scp` or
//   `roles`) against the documented ones of the operation (src/auth/permissions.json). The operation
//   is the route's config, `{ graphPath: '<contract path template>', graphVersion: 'beta' | 'v1.0' }`;
//   a request no route matched (a 404) only needs a valid token.
// Either way the check is an onRequest hook, so unauthenticated requests never reach body parsing;
// the app adds it to the version roots' contexts only, which keeps /healthz and the API description
// open. Misconfiguration (a bad key file, a graphPath the contract does not have) fails at start-up.

import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler, RouteOptions } from 'fastify'
import { authorize } from '../auth/authorize.js'
import { rememberClaims } from '../auth/identity.js'
import { loadAuthKeys } from '../auth/keys.js'
import { operationOf } from '../auth/permissions.js'
import { createJwtVerifier, type JwtVerifier } from '../auth/verify-token.js'
import type { Config } from '../config.js'
import { graphErrors, type GraphError } from '../errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The contract's path template of the operation this route serves. */
    graphPath?: string
    /** The Graph version of that operation. */
    graphVersion?: string
  }
}

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

/** The settings of the auth check. */
export type AuthSettings = Pick<Config, 'authMode' | 'authSecret' | 'authPublicKey' | 'authJwks' | 'authSigningKey' | 'authCheckAudience'>

export const defaultAuthSettings: AuthSettings = {
  authMode: 'stub',
  authSecret: undefined,
  authPublicKey: undefined,
  authJwks: undefined,
  authSigningKey: undefined,
  authCheckAudience: false
}

export interface GraphAuthOptions {
  settings?: Partial<AuthSettings> | undefined
  /** Stub mode: decides which tokens pass. Permissions mode: an extra check before the JWT's. */
  verifyToken?: TokenVerifier | undefined
  /** The mock's clock (milliseconds since the epoch) for exp and nbf, per request (its namespace's); default Date.now. */
  now?: ((request: FastifyRequest) => number) | undefined
}

/** The operation a request's route serves, from its config. */
export function graphOperationOf (request: Pick<FastifyRequest, 'routeOptions'>): { graphPath: string, graphVersion: string } | undefined {
  const config = request.routeOptions.config as { graphPath?: unknown, graphVersion?: unknown } | undefined
  const graphPath = config?.graphPath
  const graphVersion = config?.graphVersion
  if (typeof graphPath !== 'string' || typeof graphVersion !== 'string') return undefined
  return { graphPath, graphVersion }
}

/** The permissions-mode onRequest hook, from a verifier built once. */
export function permissionsAuthHook (verifyJwt: JwtVerifier, verifyToken?: TokenVerifier, now?: (request: FastifyRequest) => number): onRequestAsyncHookHandler {
  return async function permissionsAuth (request) {
    const token = bearerTokenOf(request)
    if (typeof token !== 'string') throw token
    if (verifyToken !== undefined && !(await verifyToken(token))) throw graphErrors.tokenValidationFailure()
    const claims = await verifyJwt(token, now?.(request))
    if (claims instanceof Error) throw claims
    rememberClaims(request, claims)
    const operation = graphOperationOf(request)
    if (operation === undefined) return
    const result = authorize({ version: operation.graphVersion, method: request.method, path: operation.graphPath, claims })
    if (!result.allowed) throw result.error
  }
}

/** A route whose graphPath the permissions table does not have fails at registration, not per request. */
function checkRouteOperation (route: RouteOptions): void {
  const config = route.config as { graphPath?: unknown, graphVersion?: unknown } | undefined
  if (config?.graphPath === undefined && config?.graphVersion === undefined) return
  const methods = Array.isArray(route.method) ? route.method : [route.method]
  for (const method of methods) {
    if (typeof config.graphPath !== 'string' || typeof config.graphVersion !== 'string' ||
      operationOf(config.graphVersion, method, config.graphPath) === undefined) {
      throw new Error(`route ${method} ${route.url}: no permissions are recorded for ${String(config.graphVersion)} ${method} ${String(config.graphPath)}`)
    }
  }
}

const announced = new WeakSet<object>()

async function graphAuthPlugin (app: FastifyInstance, options: GraphAuthOptions): Promise<void> {
  const settings: AuthSettings = { ...defaultAuthSettings, ...options.settings }
  const verifyToken = options.verifyToken
  if (verifyToken !== undefined && typeof verifyToken !== 'function') throw new TypeError('verifyToken must be a function')
  if (settings.authMode === 'stub') {
    app.addHook('onRequest', bearerAuthHook(verifyToken))
    return
  }
  const now = options.now ?? (() => Date.now())
  if (typeof now !== 'function') throw new TypeError('now must be a function')
  const keys = await loadAuthKeys(settings)
  // The app registers this once per version root; say it once.
  if (!announced.has(app.server)) {
    announced.add(app.server)
    if (keys.verification.kind === 'none') app.log.warn(keys.description)
    else app.log.info(keys.description)
  }
  app.addHook('onRoute', checkRouteOperation)
  app.addHook('onRequest', permissionsAuthHook(createJwtVerifier({ key: keys.verification, checkAudience: settings.authCheckAudience, now: () => Date.now() }), verifyToken, now))
}

/**
 * The auth check as a plugin, for a version root's context. Needs fastify-plugin: the hook must apply
 * to the routes of the context that registers it, not to an inner one.
 */
export const graphAuth = fp(graphAuthPlugin, { name: 'graph-auth', fastify: '5.x' })
