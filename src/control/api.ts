// The test-control plane in code: what /__admin offers, on the GraphMock object (`mock.reset()`,
// `mock.requests(...)`, `mock.clock.advance('PT5M')`, `mock.faults.add(...)`, `mock.namespace('a')`),
// acting on the same state with the same checks, without HTTP. Bad input throws the AdminError the
// admin API would answer with (its message names the problem).

import type { FastifyInstance } from 'fastify'
import type { ClockMode, ClockState } from '../clock.js'
import type { FixtureData } from '../store/index.js'
import { advanceClock, noFixturesFolder, reloadedFixtures, replaceFixtures, setClock } from './admin.js'
import { AdminError, invalidAdminRequest } from './admin-error.js'
import type { FaultRule, FaultRuleInput } from './faults.js'
import { parseJournalFilter, type JournalEntry } from './journal.js'
import { checkNamespaceName, DEFAULT_NAMESPACE, type Namespace, type Namespaces } from './namespaces.js'
import type { ControlParts } from './parts.js'

/** Which journal entries: the filters of GET /__admin/requests, as an object. */
export interface RequestFilter {
  method?: string
  /** A prefix of the path (without /_ns/{name} and the query). */
  path?: string
  /** A regular expression (source text) the path must match. */
  pathRegex?: string
  /** An exact status, or a class such as '4xx'. */
  status?: number | string
  /** A header name that must be present, or `name:value` that must be equal; or several. */
  header?: string | string[]
  /** Entries at or after this ISO 8601 instant (the mock's clock). */
  since?: string
}

export interface ClockControl {
  /** The clock's time, ISO 8601. */
  now: () => string
  state: () => ClockState
  /** Moves time forward (ISO 8601 duration or milliseconds), running every step due by then, in order. */
  advance: (by: string | number) => ClockState
  /** Sets the mode or speed, or moves the time forward to an instant. */
  set: (change: { mode?: ClockMode, speed?: number, now?: string | number }) => ClockState
}

export interface FaultControl {
  /** Adds a rule (the body of POST /__admin/faults); returns it with its id. */
  add: (rule: FaultRuleInput) => FaultRule
  list: () => FaultRule[]
  get: (id: string) => FaultRule | undefined
  delete: (id: string) => boolean
  clear: () => void
}

/** One namespace's control. */
export interface NamespaceControl {
  readonly name: string
  /** Data, clock, faults, throttling and journal back to the start. */
  reset: () => void
  /** Journal entries, oldest first. */
  requests: (filter?: RequestFilter) => JournalEntry[]
  countRequests: (filter?: RequestFilter) => number
  clearRequests: () => void
  /** Resolves with `count` matching entries once they have arrived; rejects (AdminError 408) after timeoutMs (default 5000). */
  waitForRequests: (count: number, options?: { filter?: RequestFilter, timeoutMs?: number }) => Promise<JournalEntry[]>
  readonly clock: ClockControl
  readonly faults: FaultControl
  /** Replaces the namespace's data with these sets (validated as fixture files are). */
  setFixtures: (data: FixtureData) => void
}

/** The whole mock's control: the default namespace's, plus every namespace. */
export interface MockControl extends NamespaceControl {
  /** Every namespace back to the start. */
  reset: () => void
  /** The namespace `name` (created when new). */
  namespace: (name: string) => NamespaceControl
  /** The names of the namespaces there are. */
  namespaces: () => string[]
  /** Removes a namespace (the default one is reset instead); false when there is none. */
  deleteNamespace: (name: string) => boolean
  /** Reads the fixtures folder again: the new data of every namespace. */
  reloadFixtures: () => Promise<void>
}

/**
 * One namespace's control. The namespace is looked up by name at each call, as an HTTP call names it:
 * a handle kept across deleteNamespace acts on the namespace of that name made anew, not on the one
 * deleted (which no request reaches any more).
 */
function namespaceControl (namespaces: Namespaces<ControlParts>, name: string): NamespaceControl {
  const current = (): Namespace<ControlParts> => name === DEFAULT_NAMESPACE ? namespaces.default : namespaces.get(name)
  const journal = () => current().parts.journal
  const clock = () => current().clock
  const faults = () => current().parts.faults
  const filterOf = (filter: RequestFilter | undefined) => parseJournalFilter(filter ?? {}, 'filter')
  return {
    name,
    reset: () => { current().reset(namespaces.seed) },
    requests: (filter) => journal().list(filterOf(filter)),
    countRequests: (filter) => journal().count(filterOf(filter)),
    clearRequests: () => { journal().clear() },
    waitForRequests: async (count, options = {}) => {
      const timeoutMs = options.timeoutMs ?? 5000
      if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw invalidAdminRequest(`count must be a whole number from 1 to 1000000, not ${JSON.stringify(count)}.`)
      if (!Number.isInteger(timeoutMs) || timeoutMs < 0) throw invalidAdminRequest(`timeoutMs must be a whole number of milliseconds of 0 or more, not ${JSON.stringify(timeoutMs)}.`)
      const filter = filterOf(options.filter)
      // The journal's own timer does not hold the process open (a server's wait must not delay its
      // close); a caller awaiting this promise must see it settle, as it would with any timer.
      const hold = setTimeout(() => {}, timeoutMs)
      let result
      try {
        result = await journal().wait(filter, count, timeoutMs)
      } finally {
        clearTimeout(hold)
      }
      if (result.complete) return result.requests
      throw new AdminError(408, 'waitTimedOut', `Only ${result.requests.length} of the ${count} matching requests waited for arrived within ${timeoutMs} ms.`, { requests: result.requests })
    },
    clock: {
      now: () => new Date(clock().now()).toISOString(),
      state: () => clock().state(),
      advance: (by) => advanceClock(clock(), by),
      set: (change) => setClock(clock(), change)
    },
    faults: {
      add: (rule) => faults().add(rule, clock().now()),
      list: () => faults().list(),
      get: (id) => faults().get(id),
      delete: (id) => faults().delete(id),
      clear: () => { faults().clear() }
    },
    setFixtures: (data) => { replaceFixtures(namespaces, current(), data, 'the fixtures given') }
  }
}

/** The control of a built app (buildApp), as GraphMock offers it. */
export function controlOf (app: FastifyInstance): MockControl {
  const namespaces = app.namespaces
  const fixturesDir = app.fixturesDir
  const main = namespaceControl(namespaces, DEFAULT_NAMESPACE)
  return {
    ...main,
    reset: () => {
      for (const namespace of namespaces.list()) namespace.reset(namespaces.seed)
    },
    namespace: (name) => {
      const checked = checkNamespaceName(name, 'namespace')
      // Made now, as a first request would make it (past MAX_NAMESPACES: the 409).
      if (checked !== DEFAULT_NAMESPACE) namespaces.get(checked)
      return namespaceControl(namespaces, checked)
    },
    namespaces: () => namespaces.list().map((namespace) => namespace.name),
    deleteNamespace: (name) => namespaces.delete(name),
    reloadFixtures: async () => {
      if (fixturesDir === undefined) throw noFixturesFolder()
      namespaces.replaceSeed(await reloadedFixtures(fixturesDir))
    }
  }
}
