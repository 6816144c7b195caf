// Which namespace a request is for: the URL prefix `/_ns/{name}` (stripped before routing, kept in
// every link the answer carries) or the X-Graph-Mock-Namespace header; neither means the default
// one. Needs fastify-plugin: every route reads request.graphNamespace.

import fp from 'fastify-plugin'
import type { IncomingMessage } from 'node:http'
import type { FastifyInstance } from 'fastify'
import { AdminError } from '../control/admin-error.js'
import { checkNamespaceName, DEFAULT_NAMESPACE, type Namespace, type Namespaces } from '../control/namespaces.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's namespace (the default one until the namespace hook ran). */
    graphNamespace: Namespace
    /** The URL prefix that named it (`/_ns/name`), or '' when none did. */
    namespacePrefix: string
    /** Whether the request named a namespace (by prefix or header). */
    namespaceNamed: boolean
    /** Whether the namespace it named was refused (a bad name, a conflict, the limit): it is in none. */
    namespaceRefused: boolean
  }
}

export const NAMESPACE_HEADER = 'x-graph-mock-namespace'
const PREFIX = '/_ns/'

/** Names taken from the URL by rewriteUrl, by raw request. */
const prefixed = new WeakMap<IncomingMessage, string>()

/**
 * rewriteUrl's part: a URL under `/_ns/{name}` is routed without the prefix; the name is kept for
 * the namespace hook. Any other URL is left as it is.
 */
export function stripNamespacePrefix (raw: IncomingMessage, url: string): string {
  if (!url.startsWith(PREFIX)) return url
  let end = PREFIX.length
  while (end < url.length && url[end] !== '/' && url[end] !== '?') end++
  const segment = url.slice(PREFIX.length, end)
  let name = segment
  try {
    name = decodeURIComponent(segment)
  } catch {}
  prefixed.set(raw, name)
  const rest = url.slice(end)
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest
}

export interface NamespacePluginOptions {
  namespaces: Namespaces
}

async function namespacePlugin (app: FastifyInstance, options: NamespacePluginOptions): Promise<void> {
  const { namespaces } = options
  app.decorateRequest('graphNamespace', null as unknown as Namespace)
  app.decorateRequest('namespacePrefix', '')
  app.decorateRequest('namespaceNamed', false)
  app.decorateRequest('namespaceRefused', false)
  app.addHook('onRequest', async (request) => {
    request.graphNamespace = namespaces.default
    const fromUrl = prefixed.get(request.raw)
    const header = request.headers[NAMESPACE_HEADER]
    const fromHeader = Array.isArray(header) ? header[0] : header
    const named = fromUrl ?? fromHeader
    if (named === undefined) return
    try {
      if (fromUrl !== undefined && fromHeader !== undefined && fromHeader !== fromUrl) {
        throw new AdminError(400, 'namespaceConflict', `the URL names namespace '${fromUrl}' and the ${NAMESPACE_HEADER} header names '${fromHeader}'; name one`)
      }
      const name = checkNamespaceName(named, fromUrl === undefined ? `the ${NAMESPACE_HEADER} header` : 'the URL prefix /_ns/')
      request.graphNamespace = name === DEFAULT_NAMESPACE ? namespaces.default : namespaces.get(name)
    } catch (error) {
      // Answered as the default namespace would be, but journaled nowhere: the default namespace's
      // journal is another test file's, not the place for a request that named some other one.
      request.namespaceRefused = true
      throw error
    }
    if (fromUrl !== undefined) request.namespacePrefix = `${PREFIX}${encodeURIComponent(fromUrl)}`
    request.namespaceNamed = true
  })
}

export default fp(namespacePlugin, { name: 'graph-mock-namespace', fastify: '5.x' })
