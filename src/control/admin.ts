// The test-control plane under /__admin: outside the Graph version roots, no Graph bearer check (an
// optional ADMIN_TOKEN guards it instead), JSON in and out, its own error bodies. A call acts on the
// namespace it names (`/_ns/{name}/__admin/...` or X-Graph-Mock-Namespace), else on the default one;
// a reset that names none resets every namespace.
//
//   POST   /__admin/reset                 data, clock, faults, throttling, journal back to the start
//   PUT    /__admin/fixtures              the namespace's data replaced by posted set arrays
//   POST   /__admin/fixtures/reload       the fixtures folder read again: the new seed of every namespace
//   GET    /__admin/clock                 the clock's state
//   POST   /__admin/clock/advance         { by: ISO 8601 duration or milliseconds }
//   PUT    /__admin/clock                 { mode, speed, now }
//   GET    /__admin/namespaces[/{name}]   DELETE /__admin/namespaces/{name}
//   /__admin/requests…, /__admin/faults…  (journal-routes.ts, fault-routes.ts)

import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ClockError, parseDuration, parseInstant, type Clock, type ClockMode, type ClockState } from '../clock.js'
import { isFixtureError, loadFixtures, storeFromData, type FixtureData, type FixtureStore } from '../store/index.js'
import { AdminError, invalidAdminRequest } from './admin-error.js'
import { faultRoutes } from './fault-routes.js'
import { journalRoutes } from './journal-routes.js'
import { DEFAULT_NAMESPACE, type Namespace, type Namespaces } from './namespaces.js'
import type { ControlParts } from './parts.js'

export const ADMIN_PREFIX = '/__admin'

export interface AdminOptions {
  namespaces: Namespaces<ControlParts>
  /** ADMIN_TOKEN: when set, every admin call must send it as a bearer token. */
  adminToken: string | undefined
  /** The fixtures folder that a reload reads; undefined when the data was given in code. */
  fixturesDir: string | undefined
  /** Registers what else lives under /__admin (the token endpoint), inside the guarded context. */
  also?: (app: FastifyInstance) => Promise<void>
}

const tags = ['admin']
const noValidation = () => () => true
const open = { type: 'object', additionalProperties: true } as const

/** An object body with only the properties named (an empty body is an empty object). */
function bodyOf (request: FastifyRequest, allowed: readonly string[]): Record<string, unknown> {
  const body: unknown = request.body ?? {}
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidAdminRequest('the body must be a JSON object')
  const unknown = Object.keys(body).find((name) => !allowed.includes(name))
  if (unknown !== undefined) {
    throw invalidAdminRequest(allowed.length === 0 ? `unknown property '${unknown}'; this call takes no properties` : `unknown property '${unknown}'; the properties are ${allowed.join(', ')}`)
  }
  return body as Record<string, unknown>
}

function clockCall<T> (run: () => T): T {
  try {
    return run()
  } catch (error) {
    if (error instanceof ClockError) throw invalidAdminRequest(error.message)
    throw error
  }
}

// The calls the admin routes and the programmatic API (api.ts) share: one rule for each, one message.

/** Moves a clock forward (ISO 8601 duration or milliseconds); a bad value is a 400. */
export function advanceClock (clock: Clock, by: string | number): ClockState {
  clockCall(() => { clock.advance(parseDuration(by)) })
  return clock.state()
}

/** Sets a clock's mode or speed, or moves it forward to an instant; a bad value is a 400. */
export function setClock (clock: Clock, change: { mode?: ClockMode, speed?: number, now?: string | number }): ClockState {
  clockCall(() => {
    const time = change.now === undefined ? undefined : parseInstant(change.now)
    clock.set({
      ...(change.mode === undefined ? {} : { mode: change.mode }),
      ...(change.speed === undefined ? {} : { speed: change.speed }),
      ...(time === undefined ? {} : { time })
    })
  })
  return clock.state()
}

/** A namespace's data replaced by sets given as data, validated as fixture files are (a bad record: 400). */
export function replaceFixtures (namespaces: Namespaces<ControlParts>, namespace: Namespace<ControlParts>, data: FixtureData, source: string): FixtureStore {
  let store: FixtureStore
  try {
    store = storeFromData(data, source)
  } catch (error) {
    if (isFixtureError(error)) throw invalidAdminRequest(error.message)
    throw error
  }
  namespace.replaceData(namespaces.seal(store))
  return store
}

/** A namespace as listed. */
function describe (namespace: Namespace<ControlParts>): Record<string, unknown> {
  const clock = namespace.clock.state()
  return {
    name: namespace.name,
    clock,
    requests: namespace.parts.journal.size,
    dropped: namespace.parts.journal.dropped,
    faults: namespace.parts.faults.size
  }
}

export async function adminRoutes (app: FastifyInstance, options: AdminOptions): Promise<void> {
  const { namespaces } = options
  const expected = options.adminToken === undefined ? undefined : `Bearer ${options.adminToken}`
  if (expected !== undefined) {
    app.addHook('onRequest', async (request) => {
      if (request.headers.authorization !== expected) {
        throw new AdminError(401, 'unauthorized', 'the control plane needs Authorization: Bearer <ADMIN_TOKEN>')
      }
    })
  }
  const namespaceOf = (request: FastifyRequest): Namespace<ControlParts> => request.graphNamespace as Namespace<ControlParts>

  app.post('/reset', {
    schema: { tags, summary: 'Puts data, clock, faults, throttling and journal back to the start: of the namespace named, else of every namespace' },
    validatorCompiler: noValidation
  }, async (request) => {
    bodyOf(request, [])
    const targets = request.namespaceNamed ? [namespaceOf(request)] : namespaces.list()
    for (const namespace of targets) namespace.reset(namespaces.seed)
    return { reset: targets.map((namespace) => namespace.name) }
  })

  app.put<{ Body: unknown }>('/fixtures', {
    schema: { tags, summary: "Replaces the namespace's data with the sets posted ({ setName: [records], singletonName: record }), validated as fixture files are", body: open },
    validatorCompiler: noValidation
  }, async (request) => {
    const body: unknown = request.body
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidAdminRequest('the body must be a JSON object of set names to arrays of records')
    const namespace = namespaceOf(request)
    const store = replaceFixtures(namespaces, namespace, body as FixtureData, 'the posted fixtures')
    return { namespace: namespace.name, sets: counts(store) }
  })

  app.post('/fixtures/reload', {
    schema: { tags, summary: 'Reads the fixtures folder again: the new data of every namespace, each reset onto it' },
    validatorCompiler: noValidation
  }, async (request) => {
    bodyOf(request, [])
    if (options.fixturesDir === undefined) throw noFixturesFolder()
    const store = await reloadedFixtures(options.fixturesDir)
    namespaces.replaceSeed(store)
    return { files: store.files.length, sets: counts(store), reset: namespaces.list().map((namespace) => namespace.name) }
  })

  app.get('/clock', { schema: { tags, summary: "The namespace's clock: mode, speed, now, pending steps" } }, async (request) => namespaceOf(request).clock.state())

  app.post('/clock/advance', {
    schema: { tags, summary: 'Moves the clock forward ({ by: ISO 8601 duration or milliseconds }), running every step due by then, in order', body: open },
    validatorCompiler: noValidation
  }, async (request) => {
    const body = bodyOf(request, ['by'])
    const by = body.by
    if (typeof by !== 'string' && typeof by !== 'number') throw invalidAdminRequest("property 'by' is required: an ISO 8601 duration (PT5M) or milliseconds")
    return advanceClock(namespaceOf(request).clock, by)
  })

  app.put('/clock', {
    schema: { tags, summary: 'Sets the mode (real or manual), the speed, or moves the time forward to an instant ({ mode, speed, now })', body: open },
    validatorCompiler: noValidation
  }, async (request) => {
    const body = bodyOf(request, ['mode', 'speed', 'now'])
    if (body.mode !== undefined && typeof body.mode !== 'string') throw invalidAdminRequest("property 'mode' must be real or manual")
    if (body.speed !== undefined && typeof body.speed !== 'number') throw invalidAdminRequest("property 'speed' must be a number")
    if (body.now !== undefined && typeof body.now !== 'string' && typeof body.now !== 'number') throw invalidAdminRequest("property 'now' must be an ISO 8601 instant or epoch milliseconds")
    return setClock(namespaceOf(request).clock, body)
  })

  app.get('/namespaces', { schema: { tags, summary: 'Every namespace, the default one first' } }, async () => ({
    namespaces: namespaces.list().map(describe),
    limit: namespaces.limit
  }))

  app.get<{ Params: { name: string } }>('/namespaces/:name', { schema: { tags, summary: 'One namespace' } }, async (request) => {
    const found = namespaces.find(request.params.name)
    if (found === undefined) throw namespaceNotFound(request.params.name)
    return describe(found)
  })

  app.delete<{ Params: { name: string } }>('/namespaces/:name', { schema: { tags, summary: 'Deletes a namespace (the default one is reset instead)' } }, async (request, reply) => {
    if (!namespaces.delete(request.params.name)) throw namespaceNotFound(request.params.name)
    return await reply.code(204).send()
  })

  await app.register(journalRoutes, { journalFor: (request) => namespaceOf(request).parts.journal })
  await app.register(faultRoutes, {
    faultsFor: (request) => namespaceOf(request).parts.faults,
    now: (request) => namespaceOf(request).clock.now()
  })
  await options.also?.(app)
  app.setNotFoundHandler(async (request) => {
    throw new AdminError(404, 'notFound', `${request.method} ${request.url.split('?')[0] ?? ''} is not a control-plane call; see the admin tag of /openapi.json`)
  })
}

/** 409 `noFixturesFolder`: a reload of a mock whose data was given in code. */
export function noFixturesFolder (): AdminError {
  return new AdminError(409, 'noFixturesFolder', 'this mock was started from data given in code, not a fixtures folder: there is nothing to reload')
}

/** The fixtures folder read again; a broken file is 400 `invalidFixtures` (and nothing changes). */
export async function reloadedFixtures (fixturesDir: string): Promise<FixtureStore> {
  try {
    return await loadFixtures(fixturesDir)
  } catch (error) {
    if (isFixtureError(error)) throw new AdminError(400, 'invalidFixtures', `the fixtures folder was not reloaded, nothing changed: ${error.message}`)
    throw error
  }
}

function namespaceNotFound (name: string): AdminError {
  return new AdminError(404, 'namespaceNotFound', `there is no namespace '${name.length > 80 ? `${name.slice(0, 80)}…` : name}'${name === DEFAULT_NAMESPACE ? '' : '; a namespace is made by its first request'}`)
}

/** Records per root-level set or singleton of a store, for the answer of a data change. */
function counts (store: FixtureStore): Record<string, number> {
  const result: Record<string, number> = {}
  for (const [name, set] of store.root.stored) {
    if (set.size > 0) result[name] = set.size
  }
  for (const name of store.root.singles.keys()) result[name] = 1
  return result
}
