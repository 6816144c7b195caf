// Fault rules over HTTP, relative to the prefix the admin plugin registers them under (/__admin):
//
//   POST   /faults       a rule (see faults.ts)  -> 201 the rule, with its id
//   GET    /faults                               -> 200 { faults: [rule...] }
//   GET    /faults/{id}                          -> 200 rule, or 404 faultNotFound
//   DELETE /faults/{id}                          -> 204, or 404 faultNotFound
//   DELETE /faults                               -> 204 (every rule of the namespace)
//
// and applyFault, which the request path calls with what FaultRules.match found. Bad input is thrown
// as an AdminError; the admin plugin's error handler answers it. Nothing is validated by Fastify's
// schema validator (it would coerce and drop values silently): the schemas describe the routes in
// /openapi.json, and parseFaultRule checks what is sent.

import { Socket } from 'node:net'
import type { ServerResponse } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sendGraphError } from '../plugins/graph-errors.js'
import { AdminError } from './admin-error.js'
import { faultConnections, parseFaultRule, type FaultMatch, type FaultRules } from './faults.js'

export interface FaultRoutesOptions {
  /** The fault rules of the request's namespace. */
  faultsFor: (request: FastifyRequest) => FaultRules
  /** The mock's clock of the request's namespace (ms). */
  now: (request: FastifyRequest) => number
}

export function faultNotFound (id: string): AdminError {
  return new AdminError(404, 'faultNotFound', `There is no fault rule '${id.length > 80 ? `${id.slice(0, 80)}…` : id}' in this namespace; GET /__admin/faults lists them.`)
}

const noValidation = () => () => true

const tags = ['admin']

const adminError = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } }
  }
} as const

const conditions = { type: 'object', additionalProperties: { anyOf: [{ type: 'string' }, { type: 'boolean', enum: [true] }] } } as const

const matchSchema = {
  type: 'object',
  additionalProperties: true,
  description: 'Which requests; none: every Graph request.',
  properties: {
    method: { type: 'string', description: 'An HTTP method, any case.' },
    path: { type: 'string', description: 'A glob over the path after any /_ns/{name} prefix, case-insensitive: * any characters (/ included), ? one character.' },
    pathRegex: { type: 'string', description: 'A regular expression over the path, case-insensitive; not with path.' },
    query: { ...conditions, description: 'Query parameters the request must have: a value, or true for any.' },
    headers: { ...conditions, description: 'Headers the request must have (names in any case): a value, or true for any.' },
    namespace: { type: 'string' }
  }
} as const

const respondSchema = {
  type: 'object',
  additionalProperties: true,
  description: "A status, answered with Graph's error body. Defaults: 429 activityLimitReached (innerError.code throttledRequest, Retry-After 1), 503 serviceNotAvailable (Retry-After 1), 504 gatewayTimeout, 500 generalException; any other status needs code.",
  required: ['status'],
  properties: {
    status: { type: 'integer', minimum: 400, maximum: 599 },
    code: { type: 'string' },
    message: { type: 'string' },
    retryAfter: { type: 'integer', minimum: 0, description: 'Retry-After, in seconds.' },
    headers: { type: 'object', additionalProperties: { type: 'string' } }
  }
} as const

const ruleProperties = {
  match: matchSchema,
  respond: respondSchema,
  latency: {
    type: 'object',
    additionalProperties: true,
    description: 'Added before the answer: ms (fixed), or minMs and maxMs (uniform, from the rule\'s seeded PRNG). Alone, the request then goes on as usual.',
    properties: { ms: { type: 'integer', minimum: 0 }, minMs: { type: 'integer', minimum: 0 }, maxMs: { type: 'integer', minimum: 0 } }
  },
  connection: {
    type: 'string',
    enum: faultConnections,
    description: 'reset: the connection is reset, no answer. empty: it is closed without a byte. truncated: the answer (respond\'s, or the real one) stops halfway, short of its Content-Length.'
  },
  times: { type: 'integer', minimum: 1, description: 'Fault the next N matching requests only.' },
  probability: { type: 'number', minimum: 0, maximum: 1 },
  seed: { type: 'integer', minimum: 0, description: 'Seed of the rule\'s PRNG; default derived from its id.' },
  from: { type: 'string', format: 'date-time', description: 'On the mock\'s clock, inclusive.' },
  until: { type: 'string', format: 'date-time', description: 'On the mock\'s clock, exclusive.' }
} as const

const ruleBody = { type: 'object', additionalProperties: true, properties: ruleProperties } as const

/** Every field is declared, so the serializer keeps them all; fields added later pass too. */
export const faultRuleSchema = {
  type: 'object',
  additionalProperties: true,
  required: ['id', 'match', 'remaining', 'seed', 'hits', 'created'],
  properties: {
    id: { type: 'string' },
    ...ruleProperties,
    remaining: { type: ['integer', 'null'], description: 'How many more times the rule fires (null without times); a used-up rule stays listed with 0.' },
    seed: { type: 'integer' },
    hits: { type: 'integer', description: 'How many requests the rule has faulted.' },
    created: { type: 'string', format: 'date-time', description: 'On the mock\'s clock.' }
  }
} as const

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string' } } } as const

export async function faultRoutes (app: FastifyInstance, options: FaultRoutesOptions): Promise<void> {
  const { faultsFor, now } = options

  app.post('/faults', {
    validatorCompiler: noValidation,
    schema: {
      summary: 'Add a fault rule',
      description: 'Matching Graph requests of the namespace fail as the rule says. The first rule (in the order added) that matches and fires answers.',
      tags,
      body: ruleBody,
      response: { 201: faultRuleSchema, 400: adminError }
    }
  }, async (request, reply) => {
    const rule = faultsFor(request).add(parseFaultRule(request.body), now(request))
    return await reply.code(201).send(rule)
  })

  app.get('/faults', {
    schema: {
      summary: 'List the fault rules',
      tags,
      response: { 200: { type: 'object', required: ['faults'], properties: { faults: { type: 'array', items: faultRuleSchema } } } }
    }
  }, async (request) => ({ faults: faultsFor(request).list() }))

  app.get<{ Params: { id: string } }>('/faults/:id', {
    validatorCompiler: noValidation,
    schema: { summary: 'Get a fault rule', tags, params: idParams, response: { 200: faultRuleSchema, 404: adminError } }
  }, async (request) => {
    const rule = faultsFor(request).get(request.params.id)
    if (rule === undefined) throw faultNotFound(request.params.id)
    return rule
  })

  app.delete<{ Params: { id: string } }>('/faults/:id', {
    validatorCompiler: noValidation,
    schema: { summary: 'Delete a fault rule', tags, params: idParams, response: { 204: { description: 'Deleted.' }, 404: adminError } }
  }, async (request, reply) => {
    if (!faultsFor(request).delete(request.params.id)) throw faultNotFound(request.params.id)
    return await reply.code(204).send()
  })

  app.delete('/faults', {
    schema: { summary: 'Delete every fault rule', tags, response: { 204: { description: 'Deleted.' } } }
  }, async (request, reply) => {
    faultsFor(request).clear()
    return await reply.code(204).send()
  })
}

// ---- Applying a fault to a request ----

function sleep (ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, ms).unref() })
}

/** The request's connection, when it is a real one (inject() has none). */
function socketOf (reply: FastifyReply): Socket | undefined {
  const socket = reply.raw.socket
  return socket instanceof Socket ? socket : undefined
}

/** A TCP reset (RST). TLS sockets cannot be reset from JavaScript: they are destroyed instead. */
function resetSocket (socket: Socket): void {
  try {
    socket.resetAndDestroy()
  } catch {
    socket.destroy()
  }
}

/**
 * Makes the answer `res` is about to send stop halfway: the head goes out with a Content-Length for
 * the whole body, then half of the body, then the connection closes. The answer is held until it
 * ends (a streamed or compressed one too), so the length is the real one. Node sends the head with
 * the first bytes, so nothing of the answer leaves before the cut one.
 */
function truncateAnswer (res: ServerResponse): void {
  const chunks: Buffer[] = []
  let head: unknown[] | undefined
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse
  const write = res.write.bind(res) as (chunk: Buffer) => boolean
  const end = res.end.bind(res) as (callback: () => void) => ServerResponse
  const take = (chunk: unknown, encoding: unknown): void => {
    if (typeof chunk === 'string') chunks.push(Buffer.from(chunk, typeof encoding === 'string' ? encoding as BufferEncoding : 'utf8'))
    else if (chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk))
  }
  const patched = res as unknown as Record<'writeHead' | 'write' | 'end', (...args: unknown[]) => unknown>
  patched.writeHead = (...args: unknown[]) => {
    head = args
    return res
  }
  patched.write = (chunk: unknown, encoding?: unknown, callback?: unknown) => {
    take(chunk, encoding)
    const done = typeof encoding === 'function' ? encoding : callback
    if (typeof done === 'function') process.nextTick(done)
    return true
  }
  patched.end = (chunk?: unknown, encoding?: unknown, callback?: unknown) => {
    if (typeof chunk !== 'function') take(chunk, encoding)
    const body = Buffer.concat(chunks)
    const [status, second, third] = head ?? [res.statusCode]
    const headers = (typeof second === 'object' && second !== null ? second : third) as Record<string, unknown> | undefined
    const reason = typeof second === 'string' ? second : undefined
    const merged: Record<string, unknown> = { ...headers }
    // The whole body's length, though only half is sent: that is what makes the answer truncated.
    // An answer without a body (HEAD, 204) keeps its headers; it only loses its connection.
    if (body.length > 0) {
      for (const name of Object.keys(merged)) {
        if (name.toLowerCase() === 'content-length' || name.toLowerCase() === 'transfer-encoding') Reflect.deleteProperty(merged, name)
      }
      res.removeHeader('transfer-encoding')
      res.removeHeader('content-length')
      merged['content-length'] = String(body.length)
    }
    if (reason === undefined) writeHead(status, merged)
    else writeHead(status, reason, merged)
    write(body.subarray(0, Math.floor(body.length / 2)))
    // Ending the response (short of its length: Node only checks that with strictContentLength)
    // is what tells Fastify it was sent, and lets onResponse hooks see it; the connection is then
    // closed, so the client never gets the rest.
    const socket = res.socket
    const done = [callback, encoding, chunk].find((f): f is () => void => typeof f === 'function')
    end(() => {
      socket?.destroy()
      done?.()
    })
    return res
  }
}

/**
 * Applies a fault FaultRules.match found. Latency first (a real timer: a client waits in real
 * time), then:
 *  - status: Graph's error body, as every error is answered (sendGraphError);
 *  - connection reset: a TCP reset, no answer; empty: the connection closed without a byte (the
 *    reply is hijacked so Fastify answers nothing);
 *  - connection truncated: the answer (the status's, or without one the route's own) is cut
 *    halfway, short of its Content-Length, and the connection closed.
 * Resolves true when the request has been answered (or its connection dropped) and must go no
 * further; false when it goes on (latency alone, or a truncated real answer). Call it from an
 * onRequest or preHandler hook. Under inject() there is no connection: reset and empty destroy the
 * response (inject rejects), truncated sends the whole answer.
 * A reset or empty connection ends no Fastify response (the reply is hijacked): onResponse hooks
 * do not run for it, so whoever journals requests must journal these itself. A truncated answer
 * does end (short of its length), so onResponse sees it with its status.
 */
export async function applyFault (match: FaultMatch, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (match.latencyMs > 0) await sleep(match.latencyMs)
  const socket = socketOf(reply)
  if (match.connection === 'reset' || match.connection === 'empty') {
    reply.hijack()
    if (socket === undefined) reply.raw.destroy()
    else if (match.connection === 'reset') resetSocket(socket)
    // A FIN with nothing before it; the socket goes once the client closes its side.
    else socket.end()
    return true
  }
  if (match.connection === 'truncated' && socket !== undefined) truncateAnswer(reply.raw)
  if (match.error !== undefined) {
    // The caller returns the reply once this resolves, as an async hook that answers must.
    void sendGraphError(request, reply, match.error)
    return true
  }
  return false
}
