// The control plane on the request path of Graph requests (everything but /healthz, /__admin and the
// API description): throttling, fault rules, and the journal. Throttling and faults act in
// preHandler, once the body is read (so the journal shows it) and the bearer check has passed; with
// no rule in a namespace the fault check is one size test, and with the journal off (JOURNAL_LIMIT=0)
// its hook is not even added. Needs fastify-plugin: the hooks must reach every route.

import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { applyFault } from '../control/fault-routes.js'
import { journalEntryOf } from '../control/journal-routes.js'
import type { JournalFault } from '../control/journal.js'
import type { Namespace, Namespaces } from '../control/namespaces.js'
import type { ControlParts } from '../control/parts.js'
import { throttleError } from '../control/throttle.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** What the control plane did to the request, for its journal entry. */
    controlMark: ControlMark | null
  }
}

interface ControlMark {
  fault: JournalFault | null
  earlyRetry: boolean
}

const NOT_GRAPH = /^\/(?:__admin(?:\/|$|\?)|healthz(?:\/|$|\?)|openapi\.json|docs(?:\/|$|\?))/

/** Whether a routed URL is a Graph request (one the journal, faults and throttling see). */
export function isGraphRequest (url: string): boolean {
  return !NOT_GRAPH.test(url)
}

function partsOf (request: FastifyRequest): Namespace<ControlParts> {
  return request.graphNamespace as Namespace<ControlParts>
}

function queryOf (request: FastifyRequest): Record<string, string | string[] | undefined> {
  const query = request.query
  return typeof query === 'object' && query !== null ? query as Record<string, string | string[] | undefined> : {}
}

export interface ControlHooksOptions {
  /** Whether the journal is on (JOURNAL_LIMIT above 0). */
  journal: boolean
  namespaces: Namespaces<ControlParts>
}

async function controlHooks (app: FastifyInstance, options: ControlHooksOptions): Promise<void> {
  app.decorateRequest('controlMark', null)

  const record = (request: FastifyRequest, reply: FastifyReply, status?: number): void => {
    const namespace = partsOf(request)
    const entry = journalEntryOf(request, reply, {
      namespace: namespace.name,
      time: new Date(namespace.clock.now()).toISOString(),
      fault: request.controlMark?.fault ?? null,
      earlyRetry: request.controlMark?.earlyRetry ?? false,
      url: request.originalUrl
    })
    namespace.parts.journal.record(status === undefined ? entry : { ...entry, status })
  }

  // Callback hooks, not async ones: with no rule and no throttling, a request pays two tests and
  // no promise here.
  app.addHook('preHandler', (request, reply, done) => {
    if (!isGraphRequest(request.url)) {
      done()
      return
    }
    const namespace = partsOf(request)
    const { throttle, faults } = namespace.parts
    if (throttle !== undefined) {
      const result = throttle.take(Date.now())
      if (!result.allowed) {
        request.controlMark = { fault: null, earlyRetry: result.earlyRetry }
        done(throttleError(result))
        return
      }
      void reply.headers(result.headers)
    }
    // A namespace's own rules, then the default namespace's rules that name this namespace
    // (match.namespace): a suite can aim a fault at one namespace from the default control plane.
    const central = options.namespaces.default
    const aimed = central !== namespace && central.parts.faults.size > 0
    if (faults.size === 0 && !aimed) {
      done()
      return
    }
    const faultRequest = { method: request.method, path: request.url, query: queryOf(request), headers: request.headers, namespace: namespace.name }
    const match = (faults.size === 0 ? undefined : faults.match(faultRequest, namespace.clock.now())) ??
      (aimed ? central.parts.faults.match(faultRequest, central.clock.now(), true) : undefined)
    if (match === undefined) {
      done()
      return
    }
    request.controlMark = { fault: { id: match.ruleId, kind: match.kind }, earlyRetry: false }
    if (match.connection === 'reset' || match.connection === 'empty') {
      // No response ends for these: the journal hears of them here (status 0: no answer was sent).
      if (options.journal) record(request, reply, 0)
    }
    applyFault(match, request, reply).then((answered) => {
      // An answered request goes no further: the reply is sent (or hijacked) already.
      if (!answered) done()
    }, done)
  })

  if (!options.journal) return
  app.addHook('onResponse', (request, reply, done) => {
    if (isGraphRequest(request.url) && !request.namespaceRefused) record(request, reply)
    done()
  })
}

export default fp(controlHooks, { name: 'graph-mock-control-hooks', fastify: '5.x' })
