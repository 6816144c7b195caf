// Graph's error catalogue: every error the mock answers with is built here, as data (status, code,
// message). One error handler (src/plugins/graph-errors.ts) turns any of them into Graph's body.
// Pure: no HTTP framework import, so the query engine and the store can throw these too.

export class GraphError extends Error {
  readonly statusCode: number
  readonly code: string
  readonly headers: Readonly<Record<string, string>>
  /** `innerError.code`, for the errors Graph gives one (a throttled request: `throttledRequest`). */
  readonly innerCode: string | undefined

  constructor (statusCode: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}, innerCode?: string) {
    super(message)
    this.name = 'GraphError'
    this.statusCode = statusCode
    this.code = code
    this.headers = headers
    this.innerCode = innerCode
  }
}

export function isGraphError (value: unknown): value is GraphError {
  return value instanceof GraphError
}

/** 400 BadRequest with Graph's (OData library's) wording. */
export function badRequest (message: string): GraphError {
  return new GraphError(400, 'BadRequest', message)
}

/** Graph's challenge on a 401. */
export const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"'

export const graphErrors = {
  badRequest,

  /** An unknown path segment under a Graph version root. */
  segmentNotFound: (segment: string) =>
    badRequest(`Resource not found for the segment '${segment}'.`),

  /** A path outside any Graph version root. */
  invalidVersion: (segment: string) =>
    new GraphError(400, 'BadRequest', `Invalid version: ${segment}`),

  accessTokenEmpty: () =>
    new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', { 'www-authenticate': WWW_AUTHENTICATE }),

  invalidAuthenticationToken: (reason: string) =>
    new GraphError(401, 'InvalidAuthenticationToken', reason, { 'www-authenticate': WWW_AUTHENTICATE }),

  // AUTH_MODE=permissions: what Graph answers for a token that is not a JWT, fails its signature,
  // its lifetime or its audience, or lacks the operation's permission.

  /** A bearer token that is not a compact JWT (three base64url parts). */
  tokenNotJwt: () =>
    new GraphError(401, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217', { 'www-authenticate': WWW_AUTHENTICATE }),

  /** A bad signature, an algorithm the key does not allow (`none` included), an unknown `kid`. */
  tokenValidationFailure: () =>
    new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.', { 'www-authenticate': WWW_AUTHENTICATE }),

  tokenExpired: () =>
    new GraphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.', { 'www-authenticate': WWW_AUTHENTICATE }),

  tokenNotYetValid: () =>
    new GraphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is not yet valid.', { 'www-authenticate': WWW_AUTHENTICATE }),

  tokenWithoutExpiry: () =>
    new GraphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token has no expiration time.', { 'www-authenticate': WWW_AUTHENTICATE }),

  invalidAudience: () =>
    new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.', { 'www-authenticate': WWW_AUTHENTICATE }),

  /** A valid token with neither `scp` (delegated) nor `roles` (application). */
  noScopesOrRoles: () =>
    new GraphError(403, 'accessDenied', 'Either scp or roles claim need to be present in the token.'),

  /** A valid token that holds none of the operation's permissions. Names no permission and no claim. */
  insufficientPrivileges: () =>
    new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),

  restoreSessionNotFound: () =>
    new GraphError(404, 'RestoreSessionNotFound', 'Restore Session Not Found.'),

  invalidRestoreSessionId: () =>
    new GraphError(400, 'InvalidRestoreSessionId', 'Restore session ID invalid, null, or empty.'),

  methodNotAllowed: (allow: readonly string[]) =>
    new GraphError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.', { allow: allow.join(', ') }),

  notAcceptable: () =>
    new GraphError(406, 'NotAcceptable', 'The requested response format is not supported. This endpoint answers with application/json.'),

  requestEntityTooLarge: (limit: number) =>
    new GraphError(413, 'RequestEntityTooLarge', `The request body exceeds the limit of ${limit} bytes.`),

  unsupportedMediaType: (contentType: string) =>
    new GraphError(415, 'UnsupportedMediaType', `The content type '${contentType}' is not supported.`),

  uriTooLong: (limit: number) =>
    new GraphError(414, 'RequestUriTooLong', `The request URI exceeds the limit of ${limit} characters.`),

  headersTooLarge: (limit: number) =>
    new GraphError(431, 'RequestHeaderFieldsTooLarge', `The request headers exceed the limit of ${limit} bytes.`),

  /** Bytes that are not an HTTP/1.1 request (answered at the socket, before any routing). */
  malformedRequest: () =>
    new GraphError(400, 'BadRequest', 'The request is not a valid HTTP/1.1 request.'),

  /** The request head or body did not arrive within the server's request timeout. */
  requestTimeout: () =>
    new GraphError(408, 'RequestTimeout', 'The request was not received in time.'),

  /** An unexpected failure. Never carries the internal message or a stack. */
  internal: () =>
    new GraphError(500, 'generalException', 'An unspecified error has occurred.')
} as const

/** A Graph resource the mock knows of but does not serve yet. */
export function notServed (method: string, path: string): GraphError {
  return new GraphError(404, 'ResourceNotServed', `graph-mock does not serve ${method} ${path} yet.`)
}
