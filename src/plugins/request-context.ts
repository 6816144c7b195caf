// Graph's per-request headers: `request-id` (a new GUID for every request), `client-request-id` (the
// caller's value, else the same as request-id) and `OData-Version: 4.0`, on every response, errors
// included. Needs fastify-plugin: the hook and the decorator must reach every route.

import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's `client-request-id`, or this request's id when it sent none. */
    clientRequestId: string
  }
}

/** A value that can be sent back in a header unchanged. */
const HEADER_SAFE = /^[\t\x20-\x7e\x80-\xff]*$/

/** The caller's client-request-id, when it sent exactly one usable value. */
export function clientRequestIdOf (request: Pick<FastifyRequest, 'headers' | 'id'>): string {
  const value = request.headers['client-request-id']
  if (typeof value === 'string' && value.length > 0 && value.length <= 1024 && HEADER_SAFE.test(value)) return value
  return request.id
}

async function requestContext (app: FastifyInstance): Promise<void> {
  app.decorateRequest('clientRequestId', '')
  app.addHook('onRequest', async (request, reply) => {
    request.clientRequestId = clientRequestIdOf(request)
    void reply.headers({
      'request-id': request.id,
      'client-request-id': request.clientRequestId,
      'odata-version': '4.0',
      'cache-control': 'no-cache'
    })
  })
}

export default fp(requestContext, { name: 'graph-request-context', fastify: '5.x' })
