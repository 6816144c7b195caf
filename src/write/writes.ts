// The generic writes: create an entity in a set (with its contained records inline), update one,
// delete one. The server sets ids, times and identities; the payload is checked first, and every
// entity of a create is built before anything is stored, so a request that fails changes nothing.
// The type family's behaviour (src/behaviours/) adds its defaults, rules and answers. Pure.

import { badRequest, GraphError } from '../errors.js'
import type { Model } from '../model/index.js'
import { containerOf, EntityCollection, makeEntity, withProperties, type StoredEntity, type Tenant } from '../store/index.js'
import type { EntityBehaviour, UpdateAnswer, WriteContext } from './entity-behaviour.js'
import { readPayload, type Payload } from './payload.js'

export interface Behaviours {
  /** The behaviour of a type's family, if it has one. */
  readonly of: (type: string) => EntityBehaviour | undefined
  /** Every family's behaviour (for what a namespace starts with). */
  readonly families?: readonly EntityBehaviour[]
}

export function iso (ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, (_all, millis: string) => `.${millis}0000Z`)
}

function hasProperty (model: Model, type: string, name: string): boolean {
  return model.type(type).properties.some((property) => property.name === name)
}

/** The server-set stamps a type has: id, created and modified times and identities. */
function stamps (context: WriteContext, type: string, creating: boolean): Record<string, unknown> {
  const model = context.model
  const now = iso(context.now)
  const result: Record<string, unknown> = {}
  if (creating && hasProperty(model, type, 'id')) result.id = context.newId()
  if (creating && hasProperty(model, type, 'createdDateTime')) result.createdDateTime = now
  if (creating && hasProperty(model, type, 'createdBy')) result.createdBy = context.identity
  if (hasProperty(model, type, 'lastModifiedDateTime')) result.lastModifiedDateTime = now
  if (hasProperty(model, type, 'lastModifiedBy')) result.lastModifiedBy = context.identity
  return result
}

function payloadOptions (behaviour: EntityBehaviour | undefined, mode: 'create' | 'update', pointer: string) {
  return {
    mode,
    pointer,
    serverSet: new Set(behaviour?.serverSet ?? []),
    ...(mode === 'create' && behaviour?.createNavigations !== undefined ? { navigations: new Set(behaviour.createNavigations) } : {}),
    ...(mode === 'create' && behaviour?.inlineNavigations !== undefined ? { inline: new Set(behaviour.inlineNavigations) } : {}),
    ...(mode === 'update' ? { navigations: new Set(behaviour?.updateNavigations ?? []) } : {})
  }
}

/** Every reference a payload makes must name an existing entity of the target type's home set. */
function checkReferences (context: WriteContext, payload: Payload, behaviour?: EntityBehaviour): void {
  const model = context.model
  for (const [name, ids] of payload.references) {
    const nav = model.navigation(payload.type, name)
    if (nav === undefined) continue
    const home = model.homeOf(nav.type)
    const set = home === undefined ? undefined : context.tenant.root.collections.get(home.name)
    for (const id of typeof ids === 'string' ? [ids] : ids) {
      if (set?.byId(id) === undefined) throw behaviour?.referenceError?.(name, id) ?? badRequest(`The ${nav.type.replace('microsoft.graph.', '')} '${id}' that '${name}' refers to does not exist.`)
    }
  }
}

/**
 * Builds (but does not store) a new entity of `declaredType` from a body, with its contained
 * records; `behaviours` fill and check it. Throws a GraphError on the first problem.
 */
export function buildEntity (context: WriteContext, behaviours: Behaviours, declaredType: string, body: unknown, parent: StoredEntity, container: EntityCollection, pointer = ''): StoredEntity {
  const model = context.model
  const declaredBehaviour = behaviours.of(declaredType)
  const payload = readPayload(model, declaredType, body, payloadOptions(declaredBehaviour, 'create', pointer))
  const behaviour = behaviours.of(payload.type) ?? declaredBehaviour
  checkReferences(context, payload, behaviour)
  const properties: Record<string, unknown> = { ...payload.properties, ...stamps(context, payload.type, true) }
  behaviour?.beforeCreate?.(context, { payload, parent, container, properties })
  const collections = new Map<string, EntityCollection>()
  const entity = makeEntity(model, payload.type, properties, { refs: payload.references, collections })
  for (const [name, records] of payload.contained) {
    const nav = model.navigation(payload.type, name)
    // Inline records of a reference navigation are the behaviour's to create (inlineNavigations).
    if (nav === undefined || !nav.contained) continue
    const children = new EntityCollection()
    collections.set(name, children)
    records.forEach((record, index) => {
      children.insert(buildEntity(context, behaviours, nav.type, record, entity, children, `${pointer}/${name}/${index}`))
    })
  }
  return entity
}

/** Stores a built entity and lets its behaviour react (schedule its lifecycle). */
export function storeEntity (context: WriteContext, behaviours: Behaviours, container: EntityCollection, entity: StoredEntity): StoredEntity {
  container.insert(entity)
  let stored = entity
  for (const children of entity.collections.values()) {
    for (const child of children.entities) {
      const after = behaviours.of(child.type)?.afterCreate?.(context, child)
      if (after !== undefined && after !== child) (children as EntityCollection).replace(after)
    }
  }
  const after = behaviours.of(entity.type)?.afterCreate?.(context, stored)
  if (after !== undefined && after !== stored) {
    container.replace(after)
    stored = after
  }
  return stored
}

/** Applies an update: the behaviour's, or the generic one (set the properties, answer 204). */
export function updateEntity (context: WriteContext, behaviours: Behaviours, entity: StoredEntity, body: unknown): UpdateAnswer {
  const behaviour = behaviours.of(entity.type)
  const payload = readPayload(context.model, entity.type, body, payloadOptions(behaviour, 'update', ''))
  checkReferences(context, payload)
  const answer = behaviour?.update?.(context, entity, payload)
  if (answer !== undefined) return answer
  if (payload.deltas.size > 0) throw badRequest(`The type '${entity.type}' does not take @delta changes.`)
  replaceEntity(context, entity, { ...payload.properties, ...stamps(context, entity.type, false) }, payload.references)
  return { status: 204 }
}

/** Replaces an entity's properties (and references) where it is stored. */
export function replaceEntity (context: WriteContext, entity: StoredEntity, properties: Readonly<Record<string, unknown>>, references?: ReadonlyMap<string, string | readonly string[]>): StoredEntity {
  const next = withProperties(context.model, entity, properties)
  const refs = new Map(entity.refs)
  for (const [name, ids] of references ?? []) refs.set(name, ids)
  const replaced: StoredEntity = { ...next, refs }
  const container = containerOf(context.tenant, entity)
  if (container !== undefined) {
    container.replace(replaced)
    return replaced
  }
  // The root and its singletons live outside any set.
  const tenant = context.tenant as { root: Tenant['root'] }
  if (entity === tenant.root) {
    tenant.root = { ...tenant.root, row: replaced.row }
    return tenant.root
  }
  for (const [name, single] of tenant.root.singles) {
    if (single !== entity) continue
    ;(tenant.root.singles as Map<string, StoredEntity>).set(name, replaced)
    return replaced
  }
  throw new Error(`no place to store ${entity.type} '${String(entity.row.id)}'`)
}

export function deleteEntity (context: WriteContext, behaviours: Behaviours, entity: StoredEntity): void {
  const refusal = behaviours.of(entity.type)?.beforeDelete?.(context, entity)
  if (refusal !== undefined) throw refusal
  const container = containerOf(context.tenant, entity)
  if (container === undefined) throw new GraphError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.')
  container.remove(String(entity.row.id))
}
