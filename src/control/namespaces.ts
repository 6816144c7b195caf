// Namespaces: isolated copies of the mock inside one server, so that test files running in
// parallel against one container never see each other. Each has its own data (a copy-on-write fork
// of the seed: an unused namespace costs a few small objects, a used one what it wrote), clock, id
// and outcome sequences, fault rules, throttling budget and journal. A request picks one by the URL
// prefix `/_ns/{name}` or the X-Graph-Mock-Namespace header; the default namespace is `default`.
// Pure: no HTTP framework import.

import type { Behaviours } from '../write/writes.js'
import { Clock, type ClockOptions, type Durations } from '../clock.js'
import type { Model } from '../model/index.js'
import { containedCollection, ForkedTenant, sealTenant, type StoredEntity, type Tenant } from '../store/index.js'
import type { WriteContext } from '../write/entity-behaviour.js'
import { idGenerator, seededRandom } from '../write/ids.js'
import { buildEntity, storeEntity } from '../write/writes.js'
import { AdminError, invalidAdminRequest } from './admin-error.js'

export const DEFAULT_NAMESPACE = 'default'

/** A namespace name: what fits a URL segment and a header without escaping. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export function checkNamespaceName (name: string, where: string): string {
  if (!NAME.test(name)) {
    throw invalidAdminRequest(`${where} '${name.length > 80 ? `${name.slice(0, 80)}…` : name}' is not a namespace name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`)
  }
  return name
}

/** The per-namespace parts the control plane keeps (journal, faults, throttling). */
export interface NamespaceParts {
  /** Back to empty (a reset). */
  reset: () => void
}

export interface NamespaceSettings {
  readonly model: Model
  readonly behaviours: Behaviours
  readonly seed: number | string
  readonly failureRate: number
  readonly durations: Durations
  /** How each namespace's clock is made (mode, speed, start). */
  readonly clock: ClockOptions
  /** The most namespaces at once, the default included. */
  readonly limit: number
}

export class Namespace<P extends NamespaceParts = NamespaceParts> {
  #tenant: ForkedTenant
  #newId: () => string
  #random: () => number
  /** The data this namespace starts from (and a reset goes back to). */
  #seed: Tenant
  /** Real time of the last request, for listings. */
  lastUsed: number

  constructor (
    readonly name: string,
    seed: Tenant,
    readonly clock: Clock,
    readonly parts: P,
    private readonly settings: NamespaceSettings
  ) {
    this.#seed = seed
    this.#tenant = new ForkedTenant(seed)
    this.#newId = idGenerator(settings.seed)
    this.#random = seededRandom(settings.seed)
    this.lastUsed = Date.now()
    this.start()
  }

  get tenant (): Tenant {
    return this.#tenant
  }

  get seed (): Tenant {
    return this.#seed
  }

  /** The context of one write in this namespace (identity is the request's: the caller sets it). */
  writeContext (): WriteContext {
    const { model, behaviours } = this.settings
    const tenant = this.#tenant
    const context: WriteContext = {
      model,
      tenant,
      now: this.clock.now(),
      identity: {},
      newId: this.#newId,
      durations: this.settings.durations,
      failureRate: this.settings.failureRate,
      random: this.#random,
      schedule: (at, label, task) => { this.clock.schedule(at, label, task) },
      createChild: (parent: StoredEntity, navigation: string, record: Readonly<Record<string, unknown>>, pointer: string) => {
        const nav = model.navigation(parent.type, navigation)
        if (nav === undefined) throw new Error(`${parent.type} has no navigation ${navigation}`)
        const container = containedCollection(tenant, parent, navigation)
        return storeEntity(context, behaviours, container, buildEntity(context, behaviours, nav.type, record, parent, container, pointer))
      }
    }
    return context
  }

  /**
   * Lifecycles of the loaded data go on from the start: the families that have one schedule them,
   * one task each, so that a namespace costs nothing per loaded entity.
   */
  private start (): void {
    const context = this.writeContext()
    for (const family of this.settings.behaviours.families ?? []) family.startLoaded?.(context)
  }

  /**
   * New data, all else kept (the journal, the faults, the clock's time): the steps scheduled for the
   * old data are dropped, the new data's own lifecycles start.
   */
  replaceData (seed: Tenant): void {
    this.#seed = seed
    this.clock.cancelAll()
    this.#tenant = new ForkedTenant(seed)
    this.start()
  }

  /** Back to the start: the seed's data, the clock as configured, no faults, an empty journal. */
  reset (seed: Tenant = this.#seed): void {
    this.#seed = seed
    this.clock.reset()
    this.#tenant = new ForkedTenant(seed)
    this.#newId = idGenerator(this.settings.seed)
    this.#random = seededRandom(this.settings.seed)
    this.parts.reset()
    this.start()
  }
}

/** Every namespace of one server, created on first use, bounded by a setting. */
export class Namespaces<P extends NamespaceParts = NamespaceParts> {
  readonly #all = new Map<string, Namespace<P>>()
  #seed: Tenant

  constructor (
    seed: Tenant,
    private readonly settings: NamespaceSettings,
    private readonly partsOf: (name: string, clock: Clock) => P,
    /** The default namespace's clock (a clock given to buildApp), if not one made from the settings. */
    defaultClock?: Clock
  ) {
    this.#seed = sealTenant(seed)
    this.#all.set(DEFAULT_NAMESPACE, this.make(DEFAULT_NAMESPACE, defaultClock ?? new Clock(settings.clock)))
  }

  /** The seed every new namespace starts from. */
  get seed (): Tenant {
    return this.#seed
  }

  get default (): Namespace<P> {
    const found = this.#all.get(DEFAULT_NAMESPACE)
    if (found === undefined) throw new Error('the default namespace is gone')
    return found
  }

  get size (): number {
    return this.#all.size
  }

  /** The most namespaces at once (MAX_NAMESPACES). */
  get limit (): number {
    return this.settings.limit
  }

  private make (name: string, clock: Clock): Namespace<P> {
    return new Namespace(name, this.#seed, clock, this.partsOf(name, clock), this.settings)
  }

  /** The namespace `name`, created when new; past the limit, an AdminError (409 namespaceLimitReached). */
  get (name: string): Namespace<P> {
    const found = this.#all.get(name)
    if (found !== undefined) return found
    if (this.#all.size >= this.settings.limit) {
      throw new AdminError(409, 'namespaceLimitReached', `the mock already holds ${this.#all.size} namespaces, its limit (MAX_NAMESPACES); delete some with DELETE /__admin/namespaces/{name} (a reset keeps them)`)
    }
    const created = this.make(name, new Clock(this.settings.clock))
    this.#all.set(name, created)
    return created
  }

  /** The namespace if it exists (never creates one). */
  find (name: string): Namespace<P> | undefined {
    return this.#all.get(name)
  }

  list (): Array<Namespace<P>> {
    return [...this.#all.values()]
  }

  /** Removes a namespace; the default one is reset instead (it always exists). */
  delete (name: string): boolean {
    const found = this.#all.get(name)
    if (found === undefined) return false
    if (name === DEFAULT_NAMESPACE) found.reset(this.#seed)
    else this.#all.delete(name)
    return true
  }

  /** New seed data for every namespace: each is reset onto it. */
  replaceSeed (seed: Tenant): void {
    this.#seed = sealTenant(seed)
    for (const namespace of this.#all.values()) namespace.reset(this.#seed)
  }

  /** Seals data meant as one namespace's seed (PUT /__admin/fixtures). */
  seal (tenant: Tenant): Tenant {
    return sealTenant(tenant)
  }
}
