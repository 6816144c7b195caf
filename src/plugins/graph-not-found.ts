// Unmatched paths under a version root, answered as Graph does (see src/graph/resource-tree.ts).
// Registered inside the version root's context, so the bearer check runs first, as on Graph.

import type { FastifyReply, FastifyRequest } from 'fastify'
import { graphErrors, notServed } from '../errors.js'
import { pathOf } from '../graph/request-url.js'
import { resolveSegments, type ResourceNode } from '../graph/resource-tree.js'

/** The methods a served path answers: what it serves, HEAD beside GET (Fastify answers it), OPTIONS. */
export function allowedMethods (served: readonly string[]): string[] {
  const methods = [...served]
  if (methods.includes('GET') && !methods.includes('HEAD')) methods.splice(methods.indexOf('GET') + 1, 0, 'HEAD')
  methods.push('OPTIONS')
  return methods
}

export function graphNotFoundHandler (tree: ResourceNode) {
  return async function notFound (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const path = pathOf(request.url)
    const segments = path.split('/').slice(2) // '', version, …
    const resolution = resolveSegments(segments, tree)
    switch (resolution.kind) {
      case 'unknownSegment':
        throw graphErrors.segmentNotFound(resolution.segment)
      case 'notServed':
        throw notServed(request.method, path)
      case 'served': {
        const allow = allowedMethods(resolution.methods)
        // OPTIONS says what the path allows, with no body.
        if (request.method === 'OPTIONS') return await reply.code(204).header('allow', allow.join(', ')).send()
        throw graphErrors.methodNotAllowed(allow)
      }
    }
  }
}
