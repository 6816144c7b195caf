// What a type family adds to the generic writes: properties its server sets, the navigations a
// payload may carry, defaults and rules on create, update and delete (each refusal a GraphError),
// and the answer an update gives. Behaviour modules (src/behaviours/) implement this per family;
// a type with none is plain storage. Pure types.

import type { Durations } from '../clock.js'
import type { GraphError } from '../errors.js'
import type { Model } from '../model/index.js'
import type { EntityCollection, StoredEntity, Tenant } from '../store/index.js'
import type { Payload } from './payload.js'

export interface IdentitySet {
  readonly user?: { readonly id: string | null, readonly displayName: string | null }
  readonly application?: { readonly id: string | null, readonly displayName: string | null }
}

/** What a write can use: the model, the tenant, the time, who acts, new ids, and the schedule. */
export interface WriteContext {
  readonly model: Model
  readonly tenant: Tenant
  /** The clock's time of this write, epoch ms. */
  readonly now: number
  readonly identity: IdentitySet
  /** A new entity id (a GUID; deterministic for a seed and a sequence of writes). */
  readonly newId: () => string
  /** Runs `task` when the clock reaches `at` (lifecycle steps). */
  readonly schedule: (at: number, label: string, task: (at: number) => void) => void
  /** How long each lifecycle step takes (settings RESTORE_STEP, PROTECTION_STEP, RESTORE_POINT_INTERVAL). */
  readonly durations: Durations
  /** The share of restore artifacts that fail (FAILURE_RATE, 0 to 1). */
  readonly failureRate: number
  /** A seeded random number in [0, 1): the same seed and writes give the same outcomes. */
  readonly random: () => number
  /** Writes a payload's new entity as a child (for behaviours that create contained records). */
  readonly createChild: (parent: StoredEntity, navigation: string, record: Readonly<Record<string, unknown>>, pointer: string) => StoredEntity
}

export interface CreateRequest {
  readonly payload: Payload
  /** The entity the new one is contained in (the root for root-level sets). */
  readonly parent: StoredEntity
  /** The stored set it goes to. */
  readonly container: EntityCollection
  /** The structural properties the generic create has set (ids, times, identities, payload). */
  readonly properties: Record<string, unknown>
}

export interface UpdateAnswer {
  readonly status: number
  /** A JSON body (without `@odata.context`), when the documented answer has one. */
  readonly body?: Readonly<Record<string, unknown>>
  /** `@odata.context` after `$metadata#`. */
  readonly context?: string
}

export interface EntityBehaviour {
  /** The family's base type. */
  readonly base: string
  /** Properties of the family only the server sets (status, counts, …). */
  readonly serverSet?: readonly string[]
  /** Navigations a create may carry inline or by reference; others are a 400. Undefined: any. */
  readonly createNavigations?: readonly string[]
  /**
   * Reference navigations a create may carry as new records inline (a policy's
   * `mailboxProtectionUnits: [{directoryObjectId}]`): they come in `payload.contained` unvalidated
   * and unbuilt, for the behaviour to create where they live; undefined: none (references only).
   */
  readonly inlineNavigations?: readonly string[]
  /** Navigations an update may change (`@delta`); undefined: none. */
  readonly updateNavigations?: readonly string[]
  /** The family's error for a reference (`{"id": …}`) to an entity that does not exist; undefined: the generic 400. */
  readonly referenceError?: (navigation: string, id: string) => GraphError | undefined
  /** Before the generic create stores the entity: fill defaults, check rules, add contained records. */
  readonly beforeCreate?: (context: WriteContext, request: CreateRequest) => void
  /** After the entity is stored (its contained records too). */
  readonly afterCreate?: (context: WriteContext, entity: StoredEntity) => StoredEntity | undefined
  /** An update: applies the payload and answers; the default sets the properties and answers 204. */
  readonly update?: (context: WriteContext, entity: StoredEntity, payload: Payload) => UpdateAnswer | undefined
  /**
   * Once when a namespace starts from its data (a loaded protected unit's restore point cadence). A
   * namespace must cost nothing per loaded entity until its clock moves: schedule one task, not one
   * per entity.
   */
  readonly startLoaded?: (context: WriteContext) => void
  /** Whether it may be deleted now (a GraphError refuses). */
  readonly beforeDelete?: (context: WriteContext, entity: StoredEntity) => GraphError | undefined
}
