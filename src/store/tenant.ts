// The tenant: every entity of the mock, held as the resource model says. The root singleton
// (/solutions/backupRestore) is an entity like the others; its contained navigations are the
// root-level sets and singletons. A stored entity keeps its structural row (validated, deep-frozen,
// what the query engine reads), its contained collections and single-valued navigations, and its
// references to entities kept elsewhere (an artifact's restorePoint, a policy's protection units).
// Sets whose type is a base of other sets' types (restoreSessions, protectionPolicies,
// protectionUnits, browseSessions) are views over those. Pure: no HTTP framework.

import { ANNOTATION_PREFIX, annotationTerms } from '../behaviours/annotations.js'
import { propertyReferences } from '../behaviours/references.js'
import type { Model } from '../model/index.js'
import { FixtureError } from './fixture-error.js'
import { compileShaper, type Shaper } from './row-shape.js'
import { compileValidator, describeValidationError } from './validate-record.js'
import type { ValidateFunction } from 'ajv'

export type Row = Readonly<Record<string, unknown>>

/** A row's concrete type (qualified name); rows are frozen, so their type is kept beside them. */
const rowTypes = new WeakMap<object, string>()

export function rowType (row: object): string | undefined {
  return rowTypes.get(row)
}

/** The stored entity a row belongs to (for what the row alone does not hold: its navigations). */
const rowEntities = new WeakMap<object, StoredEntity>()

export function entityOfRow (row: object): StoredEntity | undefined {
  return rowEntities.get(row)
}

export interface StoredEntity {
  readonly type: string
  readonly row: Row
  /** Contained collections (stored sets, EntityCollection; the root's include views). */
  readonly collections: ReadonlyMap<string, Collection>
  readonly singles: ReadonlyMap<string, StoredEntity>
  /** References by navigation name: an id, or a list of ids. */
  readonly refs: ReadonlyMap<string, string | readonly string[]>
  /** The mock's own instance annotations (`@graphMock.<term>`), by term. */
  readonly annotations: ReadonlyMap<string, unknown>
}

/** The navigations of an entity that has none (shared, never changed: see withCollection). */
const EMPTY_MAP: ReadonlyMap<string, never> = new Map<string, never>()

/**
 * The entity with a contained collection set (a new entity object: the maps of a stored entity are
 * never changed in place, since entities without navigations share one empty map).
 */
export function withCollection (entity: StoredEntity, navigation: string, collection: EntityCollection): StoredEntity {
  const collections = new Map(entity.collections)
  collections.set(navigation, collection)
  return { ...entity, collections }
}

/**
 * The contained collection `navigation` of the stored entity in `tenant`, created (and the entity
 * replaced in its set) when it has none yet, or copied from the seed when it is the seed's. Returns
 * the collection a write goes to.
 */
export function containedCollection (tenant: Tenant, entity: StoredEntity, navigation: string): EntityCollection {
  const existing = entity.collections.get(navigation)
  if (existing instanceof EntityCollection) return existing.sealed ? forkIn(tenant, existing) : existing
  const created = new EntityCollection()
  const container = containerOf(tenant, entity)
  if (container === undefined) throw new Error(`${entity.type} '${String(entity.row.id)}' is in no set: its ${navigation} cannot be created`)
  const current = container.byId(String(entity.row.id)) ?? entity
  container.replace(withCollection(current, navigation, created))
  return created
}

/** Ids compare case-insensitively: Graph's keys here are GUIDs. */
function idKey (id: string): string {
  return id.toLowerCase()
}

/**
 * A set of entities: the rows the query engine reads (a frozen array, rebuilt only when the set
 * changed since it was last read, so every cache keyed on it sees a write at once), lookup by id,
 * and views by type. Stored sets change through insert/replace/remove, synchronously: a request
 * handler reads one consistent state, and a write is whole before anything else runs.
 */
export interface Collection {
  readonly rows: readonly Row[]
  readonly entities: readonly StoredEntity[]
  readonly size: number
  /** Grows with every change of the set (or, for a view, of the sets it shows). */
  readonly version: number
  byId: (id: string) => StoredEntity | undefined
  /** The entities of `type` or a type derived from it (a type-cast segment). */
  ofType: (model: Model, type: string) => Collection
}

abstract class CollectionBase implements Collection {
  /** Made on first use: a namespace's untouched forks cost only their own object. */
  private byType: Map<string, Collection> | undefined
  abstract readonly rows: readonly Row[]
  abstract readonly entities: readonly StoredEntity[]
  abstract readonly version: number
  abstract byId (id: string): StoredEntity | undefined

  get size (): number {
    return this.entities.length
  }

  ofType (model: Model, type: string): Collection {
    this.byType ??= new Map()
    let view = this.byType.get(type)
    if (view === undefined) {
      view = new TypeView(this, model, type)
      this.byType.set(type, view)
    }
    return view
  }
}

/** Where a seed collection hangs: under an entity of another collection, or under a root singleton. */
export type ParentLink =
  | { readonly collection: EntityCollection, readonly id: string, readonly navigation: string }
  | { readonly single: string, readonly navigation: string }

/**
 * A stored set. On its own it holds its entities; as a fork of a sealed seed collection (a
 * namespace's copy) it holds only what changed there (entities added, base entities replaced or
 * removed) and reads the rest through the base, so a namespace costs what it wrote.
 */
export class EntityCollection extends CollectionBase {
  /** Own entities: all of them, or (in a fork) the ones added in the fork. */
  private readonly list: StoredEntity[]
  /** Positions in list by id key; made on first use. */
  private indexMap: Map<string, number> | undefined
  /** A fork's base: sealed, never changed. */
  private readonly base: EntityCollection | undefined
  /** In a fork: base entities replaced (the new entity) or removed (null), by id key; made on first use. */
  private shadowedMap: Map<string, StoredEntity | null> | undefined
  private removedFromBase = 0
  private snapshot: readonly Row[] | undefined
  private snapshotEntities: readonly StoredEntity[] | undefined
  private changes = 0
  /** Seed data: read-only, shared by every namespace. */
  sealed = false
  /** Set when sealed: where the collection hangs, so a fork can copy its parent too. */
  parentLink: ParentLink | undefined

  constructor (entities: readonly StoredEntity[] = [], base?: EntityCollection) {
    super()
    this.base = base
    this.list = [...entities]
    this.list.forEach((entity, position) => {
      rowEntities.set(entity.row, entity)
      containers.set(entity, this)
      const id = entity.row.id
      if (typeof id === 'string') this.index.set(idKey(id), position)
    })
  }

  private get index (): Map<string, number> {
    this.indexMap ??= new Map()
    return this.indexMap
  }

  /** A copy-on-write fork of a sealed collection. */
  static forkOf (base: EntityCollection): EntityCollection {
    return new EntityCollection([], base)
  }

  get version (): number {
    return this.changes
  }

  private get shadowed (): Map<string, StoredEntity | null> {
    this.shadowedMap ??= new Map()
    return this.shadowedMap
  }

  private unchangedFork (): boolean {
    return this.base !== undefined && (this.shadowedMap === undefined || this.shadowedMap.size === 0) && this.list.length === 0
  }

  override get size (): number {
    return this.base === undefined ? this.list.length : this.base.size - this.removedFromBase + this.list.length
  }

  get rows (): readonly Row[] {
    if (this.snapshot === undefined) {
      this.snapshot = this.base !== undefined && this.unchangedFork() ? this.base.rows : Object.freeze(this.entities.map((entity) => entity.row))
    }
    return this.snapshot
  }

  get entities (): readonly StoredEntity[] {
    if (this.snapshotEntities === undefined) {
      const base = this.base
      if (base === undefined) {
        this.snapshotEntities = Object.freeze([...this.list])
      } else if (this.unchangedFork()) {
        this.snapshotEntities = base.entities
      } else {
        const entities: StoredEntity[] = []
        const shadowed = this.shadowed
        for (const entity of base.entities) {
          const shadow = shadowed.size === 0 ? undefined : shadowed.get(idKey(String(entity.row.id)))
          if (shadow === undefined) entities.push(entity)
          else if (shadow !== null) entities.push(shadow)
        }
        for (const entity of this.list) entities.push(entity)
        this.snapshotEntities = Object.freeze(entities)
      }
    }
    return this.snapshotEntities
  }

  byId (id: string): StoredEntity | undefined {
    const key = idKey(id)
    const position = this.indexMap?.get(key)
    if (position !== undefined) return this.list[position]
    if (this.base === undefined) return undefined
    const shadow = this.shadowedMap?.get(key)
    if (shadow !== undefined) return shadow ?? undefined
    return this.base.byId(id)
  }

  private changed (): void {
    this.snapshot = undefined
    this.snapshotEntities = undefined
    this.changes++
  }

  private writable (): void {
    if (this.sealed) throw new Error('seed data is read-only: writes go to a namespace\'s copy')
  }

  /** An entity to keep here: a seed entity gets its own row object, so lookups by row stay per copy. */
  private own (entity: StoredEntity): StoredEntity {
    // A seed entity with other navigations (withCollection: a fork of its contained collection) is a
    // new object that still shares the seed's row: the row's own entity says where it is held.
    const rowOwner = rowEntities.get(entity.row)
    const holder = containers.get(entity) ?? (rowOwner === undefined ? undefined : containers.get(rowOwner))
    if (holder === undefined || holder === this || !holder.sealed) return entity
    const row = Object.freeze({ ...entity.row })
    const type = rowTypes.get(entity.row)
    if (type !== undefined) rowTypes.set(row, type)
    return { ...entity, row }
  }

  private register (entity: StoredEntity): void {
    rowEntities.set(entity.row, entity)
    containers.set(entity, this)
  }

  /** Adds an entity at the end (its id must be new in the set); returns what is stored. */
  insert (added: StoredEntity): StoredEntity {
    this.writable()
    const entity = this.own(added)
    this.register(entity)
    this.index.set(idKey(String(entity.row.id)), this.list.length)
    this.list.push(entity)
    this.changed()
    return entity
  }

  /** Puts `next` where the entity with the same id is; returns what is stored. */
  replace (replacement: StoredEntity): StoredEntity {
    this.writable()
    const next = this.own(replacement)
    const key = idKey(String(next.row.id))
    const position = this.index.get(key)
    if (position !== undefined) {
      this.list[position] = next
    } else if (this.base !== undefined && this.shadowed.get(key) !== null && (this.shadowed.has(key) || this.base.byId(key) !== undefined)) {
      this.shadowed.set(key, next)
    } else {
      throw new Error(`no entity ${String(next.row.id)} to replace`)
    }
    this.register(next)
    this.changed()
    return next
  }

  /** Removes the entity with this id (linear in the set's own entities: deletes are rare). */
  remove (id: string): StoredEntity | undefined {
    this.writable()
    const key = idKey(id)
    const position = this.index.get(key)
    if (position === undefined) {
      if (this.base === undefined) return undefined
      const current = this.shadowed.has(key) ? this.shadowed.get(key) : this.base.byId(id)
      if (current === null || current === undefined) return undefined
      this.shadowed.set(key, null)
      this.removedFromBase++
      this.changed()
      return current
    }
    const [removed] = this.list.splice(position, 1)
    this.index.delete(key)
    for (let i = position; i < this.list.length; i++) this.index.set(idKey(String(this.list[i]?.row.id)), i)
    this.changed()
    return removed
  }
}

/**
 * A view computed from other sets: its entities are worked out again (and frozen) only when the
 * version of what it shows has changed since it was last read.
 */
abstract class DerivedView extends CollectionBase {
  private cachedVersion = -1
  private cachedRows: readonly Row[] = []
  private cachedEntities: readonly StoredEntity[] = []

  protected abstract compute (): StoredEntity[]

  private refresh (): void {
    const version = this.version
    if (version === this.cachedVersion) return
    this.cachedEntities = Object.freeze(this.compute())
    this.cachedRows = Object.freeze(this.cachedEntities.map((entity) => entity.row))
    this.cachedVersion = version
  }

  get rows (): readonly Row[] {
    this.refresh()
    return this.cachedRows
  }

  get entities (): readonly StoredEntity[] {
    this.refresh()
    return this.cachedEntities
  }
}

/** A set shown as the union of stored sets (restoreSessions over the three workloads' sets). */
class UnionView extends DerivedView {
  constructor (readonly members: readonly Collection[]) {
    super()
  }

  get version (): number {
    return this.members.reduce((sum, member) => sum + member.version, 0)
  }

  protected compute (): StoredEntity[] {
    return this.members.flatMap((member) => member.entities)
  }

  byId (id: string): StoredEntity | undefined {
    for (const member of this.members) {
      const found = member.byId(id)
      if (found !== undefined) return found
    }
    return undefined
  }
}

/** The entities of a set whose type is `type` or derives from it. */
class TypeView extends DerivedView {
  constructor (private readonly source: Collection, private readonly model: Model, private readonly type: string) {
    super()
  }

  get version (): number {
    return this.source.version
  }

  protected compute (): StoredEntity[] {
    return this.source.entities.filter((entity) => this.model.derivesFrom(entity.type, this.type))
  }

  byId (id: string): StoredEntity | undefined {
    const found = this.source.byId(id)
    return found !== undefined && this.model.derivesFrom(found.type, this.type) ? found : undefined
  }
}

/** A collection of entities found by reference (a policy's units): built per request, never changed. */
export class ReferenceView extends CollectionBase {
  readonly version = 0
  readonly rows: readonly Row[]
  private readonly index = new Map<string, StoredEntity>()

  constructor (readonly entities: readonly StoredEntity[]) {
    super()
    this.rows = Object.freeze(entities.map((entity) => entity.row))
    for (const entity of entities) this.index.set(idKey(String(entity.row.id)), entity)
  }

  byId (id: string): StoredEntity | undefined {
    return this.index.get(idKey(id))
  }
}

export const EMPTY_COLLECTION: Collection = new ReferenceView([])

/** The root entity: its collections are the root-level sets, views included. */
export interface TenantRoot extends StoredEntity {
  /** The stored root-level sets (where writes go); views read through these. */
  readonly stored: ReadonlyMap<string, EntityCollection>
}

export interface Tenant {
  readonly root: TenantRoot
  /** The fixture files loaded, in load order (empty when built from data given in code). */
  readonly files: readonly string[]
}

interface PendingReference {
  readonly entity: StoredEntity
  readonly navigation: string
  readonly targetType: string
  readonly ids: readonly string[]
  readonly where: Where
}

interface Where {
  readonly source: string
  readonly index: number
  readonly id: string | undefined
  readonly pointer: string
}

interface MutableEntity extends StoredEntity {
  readonly collections: Map<string, EntityCollection>
  readonly singles: Map<string, StoredEntity>
  readonly refs: Map<string, string | readonly string[]>
  readonly annotations: Map<string, unknown>
}

interface TypeCodec {
  readonly shape: Shaper
  readonly validate: ValidateFunction
}

const codecs = new WeakMap<object, TypeCodec>()

/** The shaper and validator of a type's schema, compiled once per schema. */
function codecOf (model: Model, type: string): TypeCodec {
  const schema = model.schema(type)
  let codec = codecs.get(schema)
  if (codec === undefined) {
    codec = { shape: compileShaper(schema), validate: compileValidator(schema) }
    codecs.set(schema, codec)
  }
  return codec
}

export interface EntityParts {
  readonly collections?: ReadonlyMap<string, EntityCollection>
  readonly singles?: ReadonlyMap<string, StoredEntity>
  readonly refs?: ReadonlyMap<string, string | readonly string[]>
  readonly annotations?: ReadonlyMap<string, unknown>
}

/**
 * A new stored entity (a write's result): the structural properties shaped as fixture rows are
 * (every property of the type, in order, defaults filled, deep-frozen) and validated against the
 * type's schema, which a write's payload checking has already made sure of.
 */
export function makeEntity (model: Model, type: string, properties: Readonly<Record<string, unknown>>, parts: EntityParts = {}): StoredEntity {
  const codec = codecOf(model, type)
  const row = codec.shape(properties) as Row
  if (!codec.validate(row)) {
    const first = codec.validate.errors?.[0]
    throw new Error(`a ${type} built by a write fails its schema: ${first === undefined ? '?' : describeValidationError(first).text}`)
  }
  rowTypes.set(row, type)
  return {
    type,
    row,
    // The map given is kept: a create fills it with the contained records it builds next.
    collections: parts.collections instanceof Map ? parts.collections : new Map(parts.collections ?? []),
    singles: new Map(parts.singles ?? []),
    refs: new Map(parts.refs ?? []),
    annotations: new Map(parts.annotations ?? [])
  }
}

/** The same entity with other structural properties (its navigations kept). */
export function withProperties (model: Model, entity: StoredEntity, properties: Readonly<Record<string, unknown>>): StoredEntity {
  const next = makeEntity(model, entity.type, { ...entity.row, ...properties })
  return { ...entity, row: next.row }
}

/** The stored set that holds an entity (where a write to it goes). */
const containers = new WeakMap<StoredEntity, EntityCollection>()

/**
 * The set of `tenant` that holds an entity, where a write to it goes: for an entity of the sealed
 * seed, the tenant's own copy of its set (made on first use).
 */
export function containerOf (tenant: Tenant, entity: StoredEntity): EntityCollection | undefined {
  const found = containers.get(entity)
  return found === undefined || !found.sealed ? found : forkIn(tenant, found)
}

/** The tenant's copy of a sealed collection; a tenant that is no fork cannot write seed data. */
function forkIn (tenant: Tenant, sealed: EntityCollection): EntityCollection {
  if (!(tenant instanceof ForkedTenant)) throw new Error('seed data is read-only: writes go to a namespace\'s copy')
  return tenant.fork(sealed)
}

/**
 * Seals a built tenant as seed data, shared read-only by the namespaces that fork it: every stored
 * collection, down to contained ones, learns where it hangs.
 */
export function sealTenant (tenant: Tenant): Tenant {
  const seal = (collection: EntityCollection, link: ParentLink | undefined): void => {
    if (collection.sealed) return
    collection.sealed = true
    collection.parentLink = link
    for (const entity of collection.entities) sealChildren(entity, (navigation) => ({ collection, id: String(entity.row.id), navigation }))
  }
  const sealChildren = (entity: StoredEntity, linkOf: (navigation: string) => ParentLink): void => {
    for (const [navigation, child] of entity.collections) {
      if (child instanceof EntityCollection) seal(child, linkOf(navigation))
    }
  }
  for (const set of tenant.root.stored.values()) seal(set, undefined)
  for (const [name, single] of tenant.root.singles) sealChildren(single, (navigation) => ({ single: name, navigation }))
  return tenant
}

/**
 * A namespace's tenant: a copy-on-write fork of a sealed seed. Its root-level sets are forks (cheap:
 * empty until written); contained collections are forked on their first write, their parent replaced
 * in its own (forked) set, so nothing of the seed is copied but the path to what changed.
 */
export class ForkedTenant implements Tenant {
  root: TenantRoot
  readonly files: readonly string[]
  private readonly forks = new Map<EntityCollection, EntityCollection>()
  private readonly singles: Map<string, StoredEntity>

  constructor (readonly seed: Tenant) {
    this.files = seed.files
    const stored = new Map<string, EntityCollection>()
    const rootForks = new Map<Collection, EntityCollection>()
    for (const [name, set] of seed.root.stored) {
      const fork = EntityCollection.forkOf(set)
      rootForks.set(set, fork)
      stored.set(name, fork)
    }
    const collections = new Map<string, Collection>()
    for (const [name, collection] of seed.root.collections) {
      const own = stored.get(name)
      if (own !== undefined) collections.set(name, own)
      else if (collection instanceof UnionView) collections.set(name, new UnionView(collection.members.map((member) => rootForks.get(member) ?? member)))
      else collections.set(name, collection)
    }
    this.singles = new Map(seed.root.singles)
    this.root = { ...seed.root, collections, stored, singles: this.singles }
  }

  /** This tenant's copy of a sealed collection of its seed. */
  fork (sealed: EntityCollection): EntityCollection {
    const known = this.forks.get(sealed)
    if (known !== undefined) return known
    const link = sealed.parentLink
    if (link === undefined) {
      // A root-level set: its fork was made with the tenant (found by name; rare, so no map is kept).
      for (const [name, set] of this.seed.root.stored) {
        if (set === sealed) return this.root.stored.get(name) ?? sealed
      }
      throw new Error('a sealed set of another seed')
    }
    let fork: EntityCollection
    if ('single' in link) {
      const single = this.singles.get(link.single)
      if (single === undefined) throw new Error(`no singleton ${link.single}`)
      fork = EntityCollection.forkOf(sealed)
      this.singles.set(link.single, withCollection(single, link.navigation, fork))
    } else {
      const parents = this.fork(link.collection)
      const parent = parents.byId(link.id)
      if (parent === undefined) throw new Error(`the parent '${link.id}' of a ${link.navigation} collection is gone`)
      const current = parent.collections.get(link.navigation)
      if (current instanceof EntityCollection && !current.sealed) {
        fork = current
      } else {
        fork = EntityCollection.forkOf(sealed)
        parents.replace(withCollection(parent, link.navigation, fork))
      }
    }
    this.forks.set(sealed, fork)
    return fork
  }
}

const ANNOTATION = /^@odata\.|@odata\./

function jsonKind (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function shortType (type: string): string {
  return type.replace(/^microsoft\.graph\./, '')
}

/**
 * Collects records for the root-level sets and singletons, validating each one (shape, type,
 * `@odata.type`, ids unique in each set and across polymorphic views); `build` checks every
 * reference and returns the tenant only when all of it holds.
 */
export class TenantBuilder {
  private readonly annotationValidators = new Map<string, ValidateFunction>()
  private readonly sets = new Map<string, { entities: StoredEntity[], ids: Map<string, Where> }>()
  /** Where each root-level entity came from, for messages about its structural references. */
  private readonly origins = new WeakMap<StoredEntity, Where>()
  private readonly singletons = new Map<string, StoredEntity>()
  private rootEntity: MutableEntity | undefined
  private readonly references: PendingReference[] = []
  private readonly files: string[] = []

  constructor (private readonly model: Model) {}

  private codec (type: string): TypeCodec {
    return codecOf(this.model, type)
  }

  addFile (file: string): void {
    this.files.push(file)
  }

  /** Names the root-level sets and singletons a fixture file or data key may name. */
  knownNames (): string[] {
    return ['backupRestore', ...this.model.rootSets.keys()]
  }

  /** Adds one record of a root-level collection (a stored set, or a view with `@odata.type`). */
  addRecord (setName: string, record: unknown, source: string, index: number): void {
    const set = this.model.rootSets.get(setName)
    if (set === undefined || !set.collection) throw new FixtureError({ source, index }, `${setName} is not a root-level entity set; the sets are ${this.collectionNames().join(', ')}`)
    const where: Where = { source, index, id: idOf(record), pointer: '' }
    const entity = this.entity(record, set.type, where, set.members.length > 1)
    const target = set.members.length === 1 ? setName : this.memberFor(set.members, entity.type, where)
    let stored = this.sets.get(target)
    if (stored === undefined) {
      stored = { entities: [], ids: new Map() }
      this.sets.set(target, stored)
    }
    const id = entity.row.id as string
    const seen = this.findId(target, id)
    if (seen !== undefined) {
      throw new FixtureError({ source, index, id, pointer: '/id' }, `property /id must be unique, but the same id was already loaded as record ${seen.index} of ${seen.source}`)
    }
    stored.ids.set(idKey(id), where)
    stored.entities.push(entity)
    this.origins.set(entity, where)
  }

  /**
   * Adds records of a contained collection (`mailboxRestoreArtifacts`) under the parent with
   * `parentId` in the root-level set `setName`, as if they were inline in the parent's record.
   */
  addContained (setName: string, parentId: string, navigation: string, records: readonly unknown[], source: string): void {
    const where: Where = { source, index: 0, id: undefined, pointer: '' }
    const set = this.model.rootSets.get(setName)
    let home: StoredEntity[] | undefined
    let position = -1
    for (const member of set?.members ?? []) {
      const entities = this.sets.get(member)?.entities
      const at = entities?.findIndex((entity) => idKey(String(entity.row.id)) === idKey(parentId)) ?? -1
      if (entities !== undefined && at >= 0) {
        home = entities
        position = at
        break
      }
    }
    const parent = home?.[position]
    if (home === undefined || parent === undefined) throw new FixtureError({ source }, `the parent ${setName}('${parentId}') of these ${navigation} records is not loaded`)
    const nav = this.model.navigation(parent.type, navigation)
    if (nav === undefined || !nav.contained || !nav.collection) {
      throw new FixtureError({ source }, `${navigation} is not a contained collection of ${shortType(parent.type)}; its contained collections are ${this.model.type(parent.type).navigationProperties.filter((n) => n.contained && n.collection).map((n) => n.name).join(', ')}`)
    }
    const existing = parent.collections.get(navigation)?.entities ?? []
    const ids = new Map(existing.map((entity, position) => [idKey(String(entity.row.id)), position] as const))
    const added = records.map((record, index) => {
      const childWhere: Where = { ...where, index, id: idOf(record) }
      const built = this.entity(record, nav.type, childWhere, false)
      const key = idKey(built.row.id as string)
      if (ids.has(key)) throw this.error(childWhere, '/id', `property /id must be unique in ${setName}('${parentId}')/${navigation}, but that id is already there`)
      ids.set(key, existing.length + index)
      return built
    })
    home[position] = withCollection(parent, navigation, new EntityCollection([...existing, ...added]))
  }

  addRecords (setName: string, records: readonly unknown[], source: string): void {
    for (let index = 0; index < records.length; index++) this.addRecord(setName, records[index], source, index)
  }

  /** Sets a singleton (`backupRestore` is the root itself). */
  setSingleton (name: string, record: unknown, source: string): void {
    const where: Where = { source, index: 0, id: idOf(record), pointer: '' }
    if (name === 'backupRestore') {
      if (this.rootEntity !== undefined) throw new FixtureError({ source }, 'the root (backupRestore) was already loaded from another file')
      this.rootEntity = this.entity(record, this.model.root.type, where, false) as MutableEntity
      return
    }
    const set = this.model.rootSets.get(name)
    if (set === undefined || set.collection) throw new FixtureError({ source }, `${name} is not a singleton; the singletons are backupRestore, ${this.model.singletons().map((s) => s.name).join(', ')}`)
    if (this.singletons.has(name)) throw new FixtureError({ source }, `${name} was already loaded from another file`)
    this.singletons.set(name, this.entity(record, set.type, where, false))
  }

  private collectionNames (): string[] {
    return [...this.model.rootSets.values()].filter((set) => set.collection).map((set) => set.name)
  }

  /** Where an id was already loaded in this set or in any set a view shares with it. */
  private findId (setName: string, id: string): Where | undefined {
    const key = idKey(id)
    for (const set of this.model.rootSets.values()) {
      if (!set.members.includes(setName)) continue
      for (const member of set.members) {
        const seen = this.sets.get(member)?.ids.get(key)
        if (seen !== undefined) return seen
      }
    }
    return undefined
  }

  private memberFor (members: readonly string[], type: string, where: Where): string {
    const member = members.find((name) => this.model.rootSets.get(name)?.type === type) ??
      members.find((name) => this.model.derivesFrom(type, this.model.rootSets.get(name)?.type ?? ''))
    if (member === undefined) throw this.error(where, '/@odata.type', `type ${type} has no set among ${members.join(', ')}`)
    return member
  }

  private error (where: Where, pointer: string, problem: string): FixtureError {
    return new FixtureError({ source: where.source, index: where.index, ...(where.id === undefined ? {} : { id: where.id }), pointer: where.pointer + pointer }, problem)
  }

  /** Validates one record (and what it contains) as `declaredType`, and builds its entity. */
  private entity (record: unknown, declaredType: string, where: Where, typeRequired: boolean): StoredEntity {
    if (!isRecord(record)) throw this.error(where, '', `record must be an object, found ${jsonKind(record)}`)
    const type = this.typeOf(record, declaredType, where, typeRequired)
    const structured = this.model.type(type)
    const navigations = new Map(structured.navigationProperties.map((nav) => [nav.name, nav]))
    // No prototype: a "__proto__" key of a record is a property like any other, refused by validation.
    const structural: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    const entity: MutableEntity = { type, row: structural, collections: new Map(), singles: new Map(), refs: new Map(), annotations: new Map() }
    for (const [name, value] of Object.entries(record)) {
      if (name.startsWith(ANNOTATION_PREFIX)) {
        entity.annotations.set(name.slice(ANNOTATION_PREFIX.length), this.annotation(name, value, type, where))
        continue
      }
      if (ANNOTATION.test(name)) continue
      const nav = navigations.get(name)
      if (nav === undefined) {
        structural[name] = value
        continue
      }
      const pointer = `/${name}`
      if (nav.contained) {
        if (nav.collection) {
          if (!Array.isArray(value)) throw this.error(where, pointer, `property ${where.pointer}${pointer} must be an array of ${shortType(nav.type)} records, found ${jsonKind(value)}`)
          const ids = new Map<string, number>()
          const children = value.map((child, position) => {
            const childWhere: Where = { ...where, pointer: `${where.pointer}${pointer}/${position}` }
            const built = this.entity(child, nav.type, childWhere, false)
            const key = idKey(built.row.id as string)
            const first = ids.get(key)
            if (first !== undefined) throw this.error(childWhere, '/id', `property ${childWhere.pointer}/id must be unique in ${name}, but record ${first} has the same id`)
            ids.set(key, position)
            return built
          })
          entity.collections.set(name, new EntityCollection(children))
        } else if (value !== null) {
          entity.singles.set(name, this.entity(value, nav.type, { ...where, pointer: where.pointer + pointer }, false))
        }
        continue
      }
      const ids = this.referenceIds(value, nav.collection, where, pointer)
      if (ids === undefined) continue
      entity.refs.set(name, nav.collection ? ids : ids[0] ?? '')
      this.references.push({ entity, navigation: name, targetType: nav.type, ids, where: { ...where, pointer: where.pointer + pointer } })
    }
    const codec = this.codec(type)
    const row = codec.shape(structural) as Row
    if (!codec.validate(row)) {
      const first = codec.validate.errors?.[0]
      const problem = first === undefined ? { pointer: '', text: 'fails schema validation' } : describeValidationError(first)
      const text = where.pointer === '' ? problem.text : problem.text.replace(/^property \//, `property ${where.pointer}/`).replace(/^record /, `property ${where.pointer} `)
      throw this.error(where, problem.pointer, text)
    }
    rowTypes.set(row, type)
    // Most entities have no navigations of their own: they share one empty map of each kind.
    return {
      type,
      row,
      collections: entity.collections.size === 0 ? EMPTY_MAP : entity.collections,
      singles: entity.singles.size === 0 ? EMPTY_MAP : entity.singles,
      refs: entity.refs.size === 0 ? EMPTY_MAP : entity.refs,
      annotations: entity.annotations.size === 0 ? EMPTY_MAP : entity.annotations
    }
  }

  /** Validates a `@graphMock.<term>` annotation: a known term, on its type family, of its schema. */
  private annotation (name: string, value: unknown, type: string, where: Where): unknown {
    const term = name.slice(ANNOTATION_PREFIX.length)
    const definition = Object.hasOwn(annotationTerms, term) ? annotationTerms[term] : undefined
    const pointer = `/${name}`
    if (definition === undefined || !this.model.hasType(definition.type) || !this.model.derivesFrom(type, definition.type)) {
      const known = Object.entries(annotationTerms).filter(([, t]) => this.model.hasType(t.type) && this.model.derivesFrom(type, t.type)).map(([n]) => ANNOTATION_PREFIX + n)
      throw this.error(where, pointer, `property ${where.pointer}${pointer} is not an annotation of ${shortType(type)}${known.length === 0 ? '' : `; its annotations are ${known.join(', ')}`}`)
    }
    let validate = this.annotationValidators.get(term)
    if (validate === undefined) {
      validate = compileValidator(definition.schema)
      this.annotationValidators.set(term, validate)
    }
    if (!validate(value)) {
      const first = validate.errors?.[0]
      const problem = first === undefined ? { pointer: '', text: 'fails schema validation' } : describeValidationError(first)
      throw this.error(where, `${pointer}${problem.pointer}`, `property ${where.pointer}${pointer}${problem.text.replace(/^property /, '').replace(/^record /, ' ')} (${definition.description})`)
    }
    return deepFreeze(value)
  }

  private typeOf (record: Record<string, unknown>, declaredType: string, where: Where, required: boolean): string {
    const annotated = record['@odata.type']
    if (annotated === undefined) {
      if (required || (this.model.type(declaredType).derivedTypes.length > 0 && this.isAbstractSet(declaredType))) {
        throw this.error(where, '/@odata.type', `property ${where.pointer}/@odata.type is required: the set holds ${this.model.concreteTypes(declaredType).slice(1).map(shortType).join(', ')} records`)
      }
      return declaredType
    }
    if (typeof annotated !== 'string') throw this.error(where, '/@odata.type', `property ${where.pointer}/@odata.type must be a string, found ${jsonKind(annotated)}`)
    const name = annotated.startsWith('#') ? annotated.slice(1) : annotated
    const qualified = name.includes('.') ? name : `microsoft.graph.${name}`
    if (!this.model.hasType(qualified) || !this.model.derivesFrom(qualified, declaredType)) {
      throw this.error(where, '/@odata.type', `property ${where.pointer}/@odata.type must name ${shortType(declaredType)} or a type derived from it (${this.model.concreteTypes(declaredType).map((t) => `#${t}`).join(', ')}), found '${annotated}'`)
    }
    return qualified
  }

  /** Base types of polymorphic views (restoreSessionBase, …): their records must say their type. */
  private isAbstractSet (type: string): boolean {
    for (const set of this.model.rootSets.values()) {
      if (set.type === type && set.members.length > 1) return true
    }
    return false
  }

  private referenceIds (value: unknown, collection: boolean, where: Where, pointer: string): string[] | undefined {
    if (value === null || value === undefined) return undefined
    const one = (item: unknown, at: string): string => {
      if (isRecord(item) && typeof item.id === 'string' && item.id !== '') return item.id
      throw this.error(where, at, `property ${where.pointer}${at} must be a reference {"id": "…"}, found ${jsonKind(item)}`)
    }
    if (!collection) return [one(value, pointer)]
    if (!Array.isArray(value)) throw this.error(where, pointer, `property ${where.pointer}${pointer} must be an array of references [{"id": "…"}], found ${jsonKind(value)}`)
    return value.map((item, position) => one(item, `${pointer}/${position}`))
  }

  build (): Tenant {
    const rootSource = 'the root (backupRestore)'
    const root = this.rootEntity ?? (this.entity({ id: 'backupRestore' }, this.model.root.type, { source: rootSource, index: 0, id: undefined, pointer: '' }, false) as MutableEntity)
    const stored = new Map<string, EntityCollection>()
    for (const set of this.model.storedSets()) stored.set(set.name, new EntityCollection(this.sets.get(set.name)?.entities ?? []))
    const collections = new Map<string, Collection>(stored)
    for (const set of this.model.rootSets.values()) {
      if (!set.collection || collections.has(set.name)) continue
      collections.set(set.name, new UnionView(set.members.map((member) => stored.get(member) ?? new EntityCollection())))
    }
    const tenantRoot: TenantRoot = { ...root, collections, stored, singles: new Map(this.singletons) }
    for (const reference of this.references) {
      const home = this.model.homeOf(reference.targetType)
      const target = home === undefined ? undefined : collections.get(home.name)
      reference.ids.forEach((id, position) => {
        if (target?.byId(id) !== undefined) return
        const pointer = reference.ids.length > 1 || Array.isArray(reference.entity.refs.get(reference.navigation)) ? `/${position}/id` : '/id'
        throw new FixtureError(
          { source: reference.where.source, index: reference.where.index, ...(reference.where.id === undefined ? {} : { id: reference.where.id }), pointer: `${reference.where.pointer}${pointer}` },
          `property ${reference.where.pointer}${pointer} refers to ${shortType(reference.targetType)} '${id}', which ${home === undefined ? 'no set holds' : `is not in ${home.name}`}`
        )
      })
    }
    this.checkPropertyReferences(collections)
    return { root: tenantRoot, files: Object.freeze([...this.files]) }
  }

  private checkPropertyReferences (collections: ReadonlyMap<string, Collection>): void {
    for (const reference of propertyReferences) {
      if (!this.model.hasType(reference.type)) continue
      const target = collections.get(reference.target)
      for (const set of this.model.storedSets()) {
        if (!this.model.derivesFrom(set.type, reference.type) && !this.model.derivesFrom(reference.type, set.type)) continue
        for (const entity of collections.get(set.name)?.entities ?? []) {
          const value = entity.row[reference.property]
          if (typeof value !== 'string' || !this.model.derivesFrom(entity.type, reference.type)) continue
          if (target?.byId(value) !== undefined) continue
          const where = this.origins.get(entity) ?? { source: set.name, index: 0, id: undefined, pointer: '' }
          throw this.error(where, `/${reference.property}`, `property /${reference.property} refers to '${value}', which is not in ${reference.target}`)
        }
      }
    }
  }
}

function deepFreeze<T> (value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item)
    Object.freeze(value)
  }
  return value
}

function idOf (record: unknown): string | undefined {
  return isRecord(record) && typeof record.id === 'string' ? record.id : undefined
}

/** The entities a reference navigation points at, resolved through the target type's home set. */
export function referencedCollection (model: Model, tenant: Tenant, entity: StoredEntity, navigation: string, targetType: string): Collection {
  const ids = entity.refs.get(navigation)
  if (ids === undefined) return EMPTY_COLLECTION
  const home = model.homeOf(targetType)
  const set = home === undefined ? undefined : tenant.root.collections.get(home.name)
  if (set === undefined) return EMPTY_COLLECTION
  const list = typeof ids === 'string' ? [ids] : ids
  return new ReferenceView(list.map((id) => set.byId(id)).filter((found): found is StoredEntity => found !== undefined))
}

export function referencedEntity (model: Model, tenant: Tenant, entity: StoredEntity, navigation: string, targetType: string): StoredEntity | undefined {
  const id = entity.refs.get(navigation)
  if (typeof id !== 'string') return undefined
  const home = model.homeOf(targetType)
  return home === undefined ? undefined : tenant.root.collections.get(home.name)?.byId(id)
}
