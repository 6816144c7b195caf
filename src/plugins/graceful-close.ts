// Closing never cuts an answer short. Node's `server.close()` first calls closeIdleConnections(),
// which destroys every connection whose response has been ended, even when the response's bytes are
// still queued because the client reads slowly (a large page): the client gets a truncated body and
// no error. Here the server's closeIdleConnections waits for such responses to be flushed (or their
// sockets to close) before closing the idle connections. Needs fastify-plugin: it decorates the
// root's server. Only real connections are tracked (`inject` has no server sockets).

import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

/** Wraps `server.closeIdleConnections` so that it leaves responses that are still flushing alone. */
export function waitForQueuedResponses (server: Pick<Server, 'closeIdleConnections' | 'on'>): void {
  const open = new Set<ServerResponse>()
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    open.add(response)
    response.once('close', () => { open.delete(response) })
  })
  const closeIdle = server.closeIdleConnections.bind(server)
  server.closeIdleConnections = function closeIdleConnectionsOnceFlushed (): void {
    const flushing = [...open].filter((response) => response.writableEnded && !response.writableFinished)
    if (flushing.length === 0) {
      closeIdle()
      return
    }
    let left = flushing.length
    for (const response of flushing) {
      response.once('close', () => { if (--left === 0) closeIdle() })
    }
  }
}

async function gracefulClose (app: FastifyInstance): Promise<void> {
  if (typeof app.server.closeIdleConnections === 'function') waitForQueuedResponses(app.server)
}

export default fp(gracefulClose, { name: 'graph-graceful-close', fastify: '5.x' })
