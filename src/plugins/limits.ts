// Size limits on the request head, answered with Graph's error body whichever layer notices them.
//  - The root onRequest hook (before auth, before any query parsing): a request target longer than
//    maxUrlLength → 414; request headers above MAX_HEADER_BYTES → 431. Needs fastify-plugin: the
//    hook must sit on the root context to run before the version roots' bearer check.
//  - Node's HTTP parser stops reading a request head larger than its buffer, and bytes that are not
//    HTTP at all, before Fastify sees any request. Its buffer is sized (nodeHeadLimit) so that every
//    head within the limits above reaches the hook; past it, the clientError handler writes the raw
//    414/431/400/408 response itself (there is no reply object at that point), with Graph's body and
//    fresh request ids, then closes the connection.

import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import fp from 'fastify-plugin'
import type { FastifyInstance, onRequestHookHandler } from 'fastify'
import { graphErrors, type GraphError } from '../errors.js'
import { graphErrorBody } from '../graph/error-body.js'
import { GRAPH_JSON_CONTENT_TYPE } from '../graph/media-types.js'

/** Largest request header section accepted (names, values, `: ` and line ends): Node's own default. */
export const MAX_HEADER_BYTES = 16384

/** Room for the method, ` HTTP/1.1` and line ends around the request target. */
const REQUEST_LINE_SLACK = 1024

/** How long a socket answered at the parser level may stay open for the client to read the answer. */
const LINGER_MS = 2000

export interface LimitsOptions {
  maxUrlLength: number
}

/** Node's `maxHeaderSize` for the server: the longest URL plus the headers allowed, plus slack. */
export function nodeHeadLimit (maxUrlLength: number): number {
  return maxUrlLength + MAX_HEADER_BYTES + REQUEST_LINE_SLACK
}

/** The size of a header section as sent: each `name: value\r\n`. */
export function headerBytes (rawHeaders: readonly string[]): number {
  let total = 0
  for (const part of rawHeaders) total += part.length + 2
  return total
}

/** The onRequest hook that enforces the URL and header limits. */
export function limitsHook (options: LimitsOptions): onRequestHookHandler {
  const { maxUrlLength } = options
  return function requestLimits (request, _reply, done) {
    if (request.originalUrl.length > maxUrlLength) {
      done(graphErrors.uriTooLong(maxUrlLength))
      return
    }
    if (headerBytes(request.raw.rawHeaders) > MAX_HEADER_BYTES) {
      done(graphErrors.headersTooLarge(MAX_HEADER_BYTES))
      return
    }
    done()
  }
}

function isUpperLetters (packet: Buffer, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = packet[i] ?? 0
    if (c < 65 || c > 90) return false
  }
  return end > 0
}

/**
 * Whether the parser stopped inside an over-long request line: the packet it failed on starts with a
 * method and a space, and has no line end within maxUrlLength. (The parser reports only the packet
 * it failed on; when the request line was split over earlier packets this cannot be told, and the
 * answer is 431.)
 */
export function requestLineTooLong (packet: unknown, maxUrlLength: number): boolean {
  if (!Buffer.isBuffer(packet)) return false
  const space = packet.indexOf(0x20)
  if (space < 1 || space > 16 || !isUpperLetters(packet, space)) return false
  const lineEnd = packet.indexOf(0x0a)
  return lineEnd === -1 || lineEnd - space > maxUrlLength
}

/** The Graph error for an error Node's HTTP parser raised, or undefined when there is nobody to answer. */
export function parserGraphError (error: { code?: unknown, rawPacket?: unknown }, maxUrlLength: number): GraphError | undefined {
  switch (error.code) {
    case 'ECONNRESET':
    case 'EPIPE':
      return undefined
    case 'HPE_HEADER_OVERFLOW':
      return requestLineTooLong(error.rawPacket, maxUrlLength)
        ? graphErrors.uriTooLong(maxUrlLength)
        : graphErrors.headersTooLarge(MAX_HEADER_BYTES)
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_HEADERS_TIMEOUT':
      return graphErrors.requestTimeout()
    default:
      return graphErrors.malformedRequest()
  }
}

/** A whole HTTP/1.1 response carrying `error` as Graph's body, with a fresh request id. */
export function rawErrorResponse (error: GraphError, now: Date, requestId: string = randomUUID()): string {
  const body = graphErrorBody(error, { requestId, clientRequestId: requestId, now })
  const lines = [
    `HTTP/1.1 ${error.statusCode} ${STATUS_CODES[error.statusCode] ?? 'Error'}`,
    ...Object.entries(error.headers).map(([name, value]) => `${name}: ${value}`),
    `request-id: ${requestId}`,
    `client-request-id: ${requestId}`,
    'odata-version: 4.0',
    'cache-control: no-cache',
    `content-type: ${GRAPH_JSON_CONTENT_TYPE}`,
    `content-length: ${Buffer.byteLength(body)}`,
    `date: ${now.toUTCString()}`,
    'connection: close'
  ]
  return `${lines.join('\r\n')}\r\n\r\n${body}`
}

/** Whether a response on this socket has already put bytes on the wire (then nothing more may be written). */
function responseStarted (socket: Socket): boolean {
  const current: unknown = (socket as Socket & { _httpMessage?: unknown })._httpMessage
  return typeof current === 'object' && current !== null && 'headersSent' in current && current.headersSent === true
}

/**
 * Fastify's `clientErrorHandler`: answers what Node's parser rejected. The answer is ended (FIN) and
 * the socket destroyed once the client has closed its side or after a short linger, so the client can
 * read the answer even when it is still sending.
 */
export function graphClientErrorHandler (maxUrlLength: number) {
  // The parser keeps failing on whatever else arrives on a socket already answered: answer once.
  const answered = new WeakSet<Socket>()
  return function clientErrorHandler (this: FastifyInstance, error: Error & { code?: unknown, rawPacket?: unknown }, socket: Socket): void {
    if (answered.has(socket)) return
    const graphError = socket.destroyed ? undefined : parserGraphError(error, maxUrlLength)
    if (graphError === undefined) {
      socket.destroy()
      return
    }
    this.log.debug({ err: error }, `client error answered with ${graphError.statusCode}`)
    if (!socket.writable || responseStarted(socket)) {
      socket.destroy()
      return
    }
    answered.add(socket)
    // Whatever else the client sends is read and dropped, not parsed.
    socket.on('data', () => {})
    socket.on('error', () => {})
    socket.end(rawErrorResponse(graphError, new Date()))
    setTimeout(() => { socket.destroy() }, LINGER_MS).unref()
  }
}

async function limitsPlugin (app: FastifyInstance, options: LimitsOptions): Promise<void> {
  app.addHook('onRequest', limitsHook(options))
}

export default fp(limitsPlugin, { name: 'graph-limits', fastify: '5.x' })
