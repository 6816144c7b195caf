// CORS, for single-page apps that call the mock from a browser as they call Graph. A preflight
// (OPTIONS with Origin and Access-Control-Request-Method) is answered here, before the bearer check
// (browsers send no Authorization on a preflight), with the methods and headers allowed. Every other
// response carries Access-Control-Allow-Origin and Access-Control-Expose-Headers, errors included.
// CORS_ORIGINS says which origins: `*` (the default) for any, or a comma-separated list, then the
// allowed origin is echoed with `Vary: Origin` and other origins get no CORS headers (the browser
// then refuses the answer). Needs fastify-plugin: the hook must run on every route, on the root.

import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

export interface CorsOptions {
  /** `*`, or a comma-separated list of origins (`http://localhost:3000,https://app.example`). */
  origins: string
}

/** The methods a browser may send (everything Graph's resources answer). */
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

/** Request headers Graph clients send, allowed whatever a preflight asks for. */
export const CORS_ALLOWED_HEADERS = [
  'Authorization', 'Content-Type', 'Accept', 'Prefer', 'client-request-id', 'return-client-request-id',
  'ConsistencyLevel', 'If-Match', 'If-None-Match', 'SdkVersion', 'Content-Encoding', 'X-Graph-Mock-Namespace'
] as const

/** Response headers a browser script may read. */
export const CORS_EXPOSED_HEADERS = ['request-id', 'client-request-id', 'Location', 'Retry-After', 'Preference-Applied', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'] as const

/** How long a browser may keep a preflight's answer, in seconds. */
const MAX_AGE = '86400'

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** An origin as browsers serialize it: scheme, host and port, lower-case, no trailing slash. */
function normalOrigin (origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase()
}

/** Which origins are allowed: any, or a set. */
export function parseOrigins (setting: string): '*' | ReadonlySet<string> {
  const parts = setting.split(',').map(normalOrigin).filter((part) => part !== '')
  if (parts.length === 0 || parts.includes('*')) return '*'
  return new Set(parts)
}

/** The headers a preflight asked for that are allowed: the known ones, and any other well-formed names. */
function allowedHeaders (requested: string | undefined): string {
  const names: string[] = [...CORS_ALLOWED_HEADERS]
  const known = new Set(names.map((name) => name.toLowerCase()))
  for (const raw of (requested ?? '').split(',')) {
    const name = raw.trim()
    if (name === '' || !TOKEN.test(name) || known.has(name.toLowerCase()) || names.length >= 64) continue
    known.add(name.toLowerCase())
    names.push(name)
  }
  return names.join(', ')
}

async function corsPlugin (app: FastifyInstance, options: CorsOptions): Promise<void> {
  const origins = parseOrigins(options.origins)

  /** The Access-Control-Allow-Origin for this request, or undefined: no CORS headers for it. */
  function allowOrigin (request: FastifyRequest, reply: FastifyReply): string | undefined {
    if (origins === '*') return '*'
    void reply.header('vary', 'Origin')
    const origin = request.headers.origin
    if (typeof origin !== 'string' || !origins.has(normalOrigin(origin))) return undefined
    return origin.trim()
  }

  app.addHook('onRequest', async (request, reply) => {
    const allowed = allowOrigin(request, reply)
    const preflight = request.method === 'OPTIONS' && request.headers.origin !== undefined &&
      request.headers['access-control-request-method'] !== undefined
    if (allowed !== undefined) {
      void reply.headers({
        'access-control-allow-origin': allowed,
        'access-control-expose-headers': CORS_EXPOSED_HEADERS.join(', ')
      })
    }
    if (!preflight) return
    if (allowed !== undefined) {
      const requested = request.headers['access-control-request-headers']
      void reply.headers({
        'access-control-allow-methods': CORS_METHODS.join(', '),
        'access-control-allow-headers': allowedHeaders(Array.isArray(requested) ? requested.join(',') : requested),
        'access-control-max-age': MAX_AGE
      })
    }
    // Answered here: no bearer token, no route needed.
    await reply.code(204).send()
  })
}

export const cors = fp(corsPlugin, { name: 'graph-cors', fastify: '5.x' })
