// Every error, whatever raised it (a route, the query engine, Fastify's own body parsing, an unknown
// path, an unexpected exception), leaves as Graph's error body. Needs fastify-plugin: the error
// handler must cover every route and every encapsulated context.

import fp from 'fastify-plugin'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { badRequest, GraphError, graphErrors, isGraphError } from '../errors.js'
import { graphErrorBody } from '../graph/error-body.js'
import { adminErrorBody, isAdminError } from '../control/admin-error.js'
import { GRAPH_JSON_CONTENT_TYPE } from '../graph/media-types.js'
import { clientRequestIdOf } from './request-context.js'

export interface GraphErrorsOptions {
  bodyLimit: number
}

const INVALID_BODY = 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'

function isFastifyError (error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as Partial<FastifyError>).code === 'string'
}

/** Maps anything thrown to the Graph error it stands for. */
export function toGraphError (error: unknown, bodyLimit: number, contentType = ''): GraphError {
  if (isGraphError(error)) return error
  if (!isFastifyError(error)) return graphErrors.internal()
  if (error.validation !== undefined) return badRequest(error.message)
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return graphErrors.requestEntityTooLarge(bodyLimit)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return graphErrors.unsupportedMediaType(contentType.slice(0, 100))
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return badRequest(INVALID_BODY)
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH': return badRequest('The Content-Length header does not match the request body.')
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_INVALID_URL': return badRequest('The request URL is not valid.')
  }
  if (error instanceof SyntaxError && error.statusCode === 400) return badRequest(INVALID_BODY)
  const status = error.statusCode
  if (status !== undefined && status >= 400 && status < 500) return new GraphError(status, status === 400 ? 'BadRequest' : 'ClientError', error.message)
  return graphErrors.internal()
}

/**
 * Whether the request's body is still arriving (an error answered before the body was read: the auth
 * check, a 405, a declared length over the limit). The connection then closes after the answer, so
 * the rest of the body is never read, not even to be dropped.
 */
function bodyStillArriving (request: FastifyRequest): boolean {
  return request.raw.complete === false
}

/** The request's namespace clock (innerError.date is a timestamp too); real time before it is known. */
function clockTimeOf (request: FastifyRequest): number {
  const namespace: unknown = request.graphNamespace
  return namespace === null || namespace === undefined ? Date.now() : request.graphNamespace.clock.now()
}

/** Sends `error` as Graph's body, with its headers and the request's ids. */
export function sendGraphError (request: FastifyRequest, reply: FastifyReply, error: GraphError): FastifyReply {
  // Empty until the request-context hook ran; not even decorated on a request the router rejected.
  const known: unknown = request.clientRequestId
  const clientRequestId = typeof known === 'string' && known !== '' ? known : clientRequestIdOf(request)
  if (bodyStillArriving(request)) void reply.header('connection', 'close')
  return reply
    .code(error.statusCode)
    .headers({
      ...error.headers,
      'request-id': request.id,
      'client-request-id': clientRequestId,
      'odata-version': '4.0',
      'cache-control': 'no-cache',
      'content-type': GRAPH_JSON_CONTENT_TYPE
    })
    .send(graphErrorBody(error, { requestId: request.id, clientRequestId, now: new Date(clockTimeOf(request)) }))
}

/**
 * Fastify's `frameworkErrors`: errors the router raises before any hook runs (a path that is not
 * valid percent-encoding), answered like every other error.
 */
export function graphFrameworkErrorHandler (bodyLimit: number) {
  return function frameworkErrors (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    void sendGraphError(request, reply, toGraphError(error, bodyLimit))
  }
}

async function graphErrorsPlugin (app: FastifyInstance, options: GraphErrorsOptions): Promise<void> {
  app.setErrorHandler((error, request, reply) => {
    // The control plane's own errors (a bad namespace name, an admin call) keep their own body.
    if (isAdminError(error)) {
      return reply.code(error.statusCode).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(adminErrorBody(error)))
    }
    const graphError = toGraphError(error, options.bodyLimit, request.headers['content-type'])
    if (graphError.statusCode >= 500) {
      request.log.error({ err: error }, 'request failed')
    }
    return sendGraphError(request, reply, graphError)
  })

  // Outside a Graph version root: Graph's answer to an unknown version.
  app.setNotFoundHandler((request, reply) => {
    const first = request.url.split('?')[0]?.split('/')[1] ?? ''
    return sendGraphError(request, reply, graphErrors.invalidVersion(decodeURIComponentSafe(first)))
  })
}

function decodeURIComponentSafe (value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

export default fp(graphErrorsPlugin, { name: 'graph-errors', fastify: '5.x' })
