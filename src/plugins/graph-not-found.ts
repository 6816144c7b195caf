// Unmatched paths under a version root, answered as Graph does (see src/graph/resource-tree.ts).
// Registered inside the version root's context, so the bearer check runs first, as on Graph.

import type { FastifyRequest } from 'fastify'
import { graphErrors, notServed } from '../errors.js'
import { pathOf } from '../graph/request-url.js'
import { resolveSegments } from '../graph/resource-tree.js'

export async function graphNotFoundHandler (request: FastifyRequest): Promise<never> {
  const path = pathOf(request.url)
  const segments = path.split('/').slice(2) // '', version, …
  const resolution = resolveSegments(segments)
  switch (resolution.kind) {
    case 'unknownSegment':
      throw graphErrors.segmentNotFound(resolution.segment)
    case 'notServed':
      throw notServed(request.method, path)
    case 'served':
      throw graphErrors.methodNotAllowed(resolution.methods)
  }
}
