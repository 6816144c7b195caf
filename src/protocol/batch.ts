// JSON batching: `POST /{version}/$batch`. Each item is dispatched through the app itself
// (`inject`), so it meets exactly what a request of its own meets: the limits, the bearer check
// (with the batch's Authorization), the routes and the OData engine, the error handler, and whatever
// later joins that pipeline (writes, the journal, faults). Items run as soon as what they depend on
// has answered; an item whose dependency failed is answered 424 without running. The answer is 200
// with the items' answers in request order.
//
// Two plugins: `batchItems` (root, needs fastify-plugin) recognises the requests a batch dispatched,
// by a secret header only this app knows, gives them the protocol of the batch (so nextLinks inside
// a batch over HTTPS say https) and links them to it (`batchOf`); `batchRoutes` (in a version root)
// serves `$batch`.

import { randomBytes, randomUUID } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest, InjectOptions, LightMyRequestResponse } from 'fastify'
import { graphErrors, type GraphError } from '../errors.js'
import { graphErrorBody } from '../graph/error-body.js'
import { GRAPH_JSON_CONTENT_TYPE } from '../graph/media-types.js'
import { parseBatch, type BatchItem } from './batch-request.js'
import { protocolErrors } from './protocol-errors.js'

/** The header that marks a request a batch dispatched: `<secret> <batch request id> <protocol>`. */
const ITEM_HEADER = 'x-graph-mock-batch-item'

/** Headers of the batch request that every item carries, as Graph applies them to each item. */
const CARRIED_HEADERS = ['authorization', 'host', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-for', 'x-graph-mock-namespace', 'user-agent']

/** Headers of an item's answer that say nothing about the item (framing, the transport, CORS). */
const DROPPED_RESPONSE_HEADERS = new Set(['content-length', 'connection', 'date', 'keep-alive', 'transfer-encoding', 'content-encoding', 'vary'])

/** How Graph spells the headers it returns in batch answers. */
const HEADER_SPELLING: Readonly<Record<string, string>> = {
  'odata-version': 'OData-Version',
  'www-authenticate': 'WWW-Authenticate',
  'request-id': 'request-id',
  'client-request-id': 'client-request-id'
}

/** The batch a dispatched request belongs to (the batch request's id). */
const batches = new WeakMap<FastifyRequest, string>()

/** The id of the batch request that dispatched `request`, or undefined for a request of its own. */
export function batchOf (request: FastifyRequest): string | undefined {
  return batches.get(request)
}

interface BatchSecret {
  readonly secret: string
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The secret that marks requests dispatched by a batch of this app. */
    graphBatchSecret: BatchSecret
  }
}

async function batchItemsPlugin (app: FastifyInstance): Promise<void> {
  const marker: BatchSecret = { secret: randomBytes(18).toString('base64url') }
  app.decorate('graphBatchSecret', marker)
  app.addHook('onRequest', async (request) => {
    const value = request.headers[ITEM_HEADER]
    if (value === undefined) return
    // Never seen past this hook, whoever sent it.
    delete request.headers[ITEM_HEADER]
    if (typeof value !== 'string') return
    const [secret, batchId, protocol] = value.split(' ')
    if (secret !== marker.secret || batchId === undefined) return
    batches.set(request, batchId)
    if (protocol === 'https') Object.defineProperty(request, 'protocol', { value: 'https' })
  })
}

/** Marks and links the requests a batch dispatches. Register once, on the root, before the version roots. */
export const batchItems = fp(batchItemsPlugin, { name: 'graph-batch-items', fastify: '5.x' })

export interface BatchAnswer {
  id: string
  status: number
  headers: Record<string, string>
  body?: unknown
}

function spelled (name: string): string {
  return HEADER_SPELLING[name] ?? name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('-')
}

/** An item's answer as the batch carries it: JSON bodies as JSON, text as text, anything else base64. */
export function batchAnswerOf (id: string, response: Pick<LightMyRequestResponse, 'statusCode' | 'headers' | 'rawPayload'>): BatchAnswer {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined || DROPPED_RESPONSE_HEADERS.has(name) || name.startsWith('access-control-')) continue
    headers[spelled(name)] = Array.isArray(value) ? value.join(', ') : String(value)
  }
  const answer: BatchAnswer = { id, status: response.statusCode, headers }
  const bytes = response.rawPayload
  if (bytes.length === 0) return answer
  const contentType = String(response.headers['content-type'] ?? '')
  if (/^application\/(?:[a-z0-9.+-]*\+)?json(?:\s*;|$)/i.test(contentType)) {
    try {
      answer.body = JSON.parse(bytes.toString('utf8'))
      return answer
    } catch {
      // Not JSON after all: carried as text below.
    }
  }
  answer.body = /^(?:text\/|application\/(?:json|xml))/i.test(contentType) ? bytes.toString('utf8') : bytes.toString('base64')
  return answer
}

/** An answer the batch makes itself, in Graph's error shape, with ids of its own. */
function errorAnswer (item: BatchItem, error: GraphError): BatchAnswer {
  const requestId = randomUUID()
  const headers: Record<string, string> = { 'Content-Type': GRAPH_JSON_CONTENT_TYPE, 'request-id': requestId, 'client-request-id': requestId }
  for (const [name, value] of Object.entries(error.headers)) headers[spelled(name)] = value
  return {
    id: item.id,
    status: error.statusCode,
    headers,
    body: JSON.parse(graphErrorBody(error, { requestId, clientRequestId: requestId, now: new Date() })) as unknown
  }
}

function isSuccess (status: number): boolean {
  return status >= 200 && status < 300
}

/** The path of the version root the batch was posted to, as sent (`/beta`, or with a prefix before it). */
function rootPathOf (request: FastifyRequest): string {
  const path = request.originalUrl.split('?')[0] ?? ''
  return path.replace(/\/(?:\$|%24)batch\/?$/i, '')
}

export interface BatchRoutesOptions {
  /** The version root's path, `/beta` or `/v1.0` (used when the URL as sent cannot say). */
  versionRoot: string
}

export async function batchRoutes (app: FastifyInstance, options: BatchRoutesOptions): Promise<void> {
  const marker = app.graphBatchSecret

  async function dispatch (request: FastifyRequest, root: string, item: BatchItem): Promise<BatchAnswer> {
    const headers: Record<string, string> = { ...item.headers }
    for (const name of CARRIED_HEADERS) {
      const value = request.headers[name]
      if (typeof value === 'string') headers[name] = value
    }
    headers[ITEM_HEADER] = `${marker.secret} ${request.id} ${request.protocol}`
    const injected: InjectOptions = { method: item.method, url: `${root}${item.path}`, headers, remoteAddress: request.ip }
    if (item.payload !== undefined) injected.payload = item.payload
    try {
      return batchAnswerOf(item.id, await app.inject(injected))
    } catch {
      return errorAnswer(item, protocolErrors.serviceUnavailable())
    }
  }

  async function run (request: FastifyRequest, items: readonly BatchItem[]): Promise<BatchAnswer[]> {
    const root = rootPathOf(request) || options.versionRoot
    const running = new Map<number, Promise<BatchAnswer>>()
    const start = (index: number): Promise<BatchAnswer> => {
      const known = running.get(index)
      if (known !== undefined) return known
      const item = items[index]
      if (item === undefined) throw new Error(`no batch item ${index}`)
      // parseBatch refused cycles, so this recursion ends.
      const promise = Promise.all(item.dependsOn.map(start)).then(async (answers) => {
        const failed = answers.findIndex((answer) => !isSuccess(answer.status))
        const dependency = items[item.dependsOn[failed] ?? -1]
        return dependency === undefined ? await dispatch(request, root, item) : errorAnswer(item, protocolErrors.failedDependency(dependency.id))
      })
      running.set(index, promise)
      return promise
    }
    return await Promise.all(items.map((_item, index) => start(index)))
  }

  async function handle (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    // A batch dispatched by a batch (a url that reached $batch some other way): refused too.
    if (batchOf(request) !== undefined) throw graphErrors.badRequest('A $batch request cannot be an item of another batch; batches cannot be nested.')
    const items = parseBatch(request.body)
    const responses = await run(request, items)
    return await reply.code(200).type(GRAPH_JSON_CONTENT_TYPE).send(JSON.stringify({ responses }))
  }

  const batchOnly = async (): Promise<never> => { throw graphErrors.methodNotAllowed(['POST', 'OPTIONS']) }
  app.post('/$batch', { schema: { hide: true }, config: { produces: ['application/json'] } }, handle)
  app.route({
    method: ['GET', 'PUT', 'PATCH', 'DELETE'],
    url: '/$batch',
    schema: { hide: true },
    handler: batchOnly
  })
  app.options('/$batch', { schema: { hide: true } }, async (_request, reply) => await reply.code(204).header('allow', 'POST, OPTIONS').send())
}
