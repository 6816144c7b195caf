// Content negotiation as Graph does it:
//  - `Accept`: a route answers the media types it produces (JSON for resources and $batch, text for
//    `$count`, XML for `$metadata`); an Accept that admits none of them is Graph's 406. `$format`
//    (checked by the OData engine) wins over Accept, as OData says.
//  - Request bodies in `Content-Encoding: gzip` or `deflate` (Kiota's compression handler) are
//    inflated before parsing; the body limit applies to the inflated bytes, so a gzip bomb is a 413
//    (the inflating stops at the limit). Any other encoding is 415; a body that does not inflate, 400.
//  - `Accept-Encoding: gzip` (or deflate) answers compressed when the body is at least
//    COMPRESS_THRESHOLD bytes; smaller bodies gain nothing and go as they are.
// Registered on the root before the version roots (compression attaches to routes as they are added).

import compress from '@fastify/compress'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { graphErrors } from '../errors.js'
import { rawQueryOf } from '../graph/request-url.js'
import { protocolErrors } from './protocol-errors.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The media types this route answers with (for Accept); resource routes are known by graphPath. */
    produces?: readonly string[]
  }
}

/** Bodies smaller than this are sent uncompressed: gzip's framing would eat the gain. */
export const COMPRESS_THRESHOLD = 1024

interface MediaRange {
  readonly type: string
  readonly subtype: string
  readonly q: number
}

/** The ranges of an Accept header (RFC 9110 §12.5.1); unparsable parts are skipped. */
export function mediaRangesOf (header: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const part of header.split(',')) {
    const [range = '', ...parameters] = part.split(';')
    const match = /^\s*([a-z0-9!#$&^_.+-]+|\*)\/([a-z0-9!#$&^_.+-]+|\*)\s*$/i.exec(range)
    if (match === null) continue
    let q = 1
    for (const parameter of parameters) {
      const [name = '', value = ''] = parameter.split('=')
      if (name.trim().toLowerCase() === 'q') {
        const parsed = Number(value.trim())
        q = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 1
      }
    }
    ranges.push({ type: (match[1] ?? '').toLowerCase(), subtype: (match[2] ?? '').toLowerCase(), q })
  }
  return ranges
}

/** Whether an Accept header admits one of `produced` (`type/subtype`). No header, or nothing parsable in it: anything. */
export function acceptable (header: string | undefined, produced: readonly string[]): boolean {
  if (header === undefined || header.trim() === '') return true
  const ranges = mediaRangesOf(header)
  if (ranges.length === 0) return true
  return produced.some((media) => {
    const [type = '', subtype = ''] = media.split('/')
    // The most specific range that matches decides (so `application/json;q=0, */*` refuses JSON).
    const matching = ranges
      .filter((range) => (range.type === '*' || range.type === type) && (range.subtype === '*' || range.subtype === subtype))
      .sort((a, b) => specificity(b) - specificity(a))
    const best = matching[0]
    return best !== undefined && matching.filter((range) => specificity(range) === specificity(best)).some((range) => range.q > 0)
  })
}

function specificity (range: MediaRange): number {
  return (range.type === '*' ? 0 : 2) + (range.subtype === '*' ? 0 : 1)
}

/** What the route of a request answers with, or undefined when Accept is not checked there. */
function producedBy (request: FastifyRequest): readonly string[] | undefined {
  const config = request.routeOptions.config as { produces?: readonly string[], graphPath?: unknown } | undefined
  if (config?.produces !== undefined) return config.produces
  const graphPath = config?.graphPath
  if (typeof graphPath !== 'string') return undefined
  // A count is text; clients that send Accept: application/json for everything get it too.
  return graphPath.endsWith('/$count') ? ['text/plain', 'application/json'] : ['application/json']
}

const FORMAT_OPTION = /(?:^|&)(?:\$|%24)?format=/i

async function negotiationPlugin (app: FastifyInstance): Promise<void> {
  await app.register(compress, {
    global: true,
    threshold: COMPRESS_THRESHOLD,
    encodings: ['gzip', 'deflate', 'identity'],
    requestEncodings: ['gzip', 'deflate', 'identity'],
    onUnsupportedRequestEncoding: (encoding: string) => protocolErrors.unsupportedContentEncoding(encoding),
    // Copied onto the inflating stream's error: a plain object, so its message replaces zlib's.
    onInvalidRequestPayload: (encoding: string) => {
      const error = protocolErrors.undecodableBody(encoding)
      return { statusCode: error.statusCode, code: 'FST_CP_ERR_INVALID_CONTENT', message: error.message } as unknown as Error
    }
  })
  // After the bearer check and the body, before the handler: a write is refused before it happens.
  app.addHook('preHandler', async (request) => {
    const produced = producedBy(request)
    if (produced === undefined) return
    if (FORMAT_OPTION.test(rawQueryOf(request.url))) return
    const accept = request.headers.accept
    if (!acceptable(accept, produced)) throw graphErrors.notAcceptable()
  })
}

export const negotiation = fp(negotiationPlugin, { name: 'graph-negotiation', fastify: '5.x' })
