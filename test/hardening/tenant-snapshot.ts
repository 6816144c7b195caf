// What a request could change in the tenant, as plain data: every root-level set's rows and every
// singleton's row (the root's too), with the rows contained under each, to any depth.

import type { StoredEntity, Tenant } from '../../src/store/index.js'

interface EntitySnapshot {
  row: unknown
  contained: Record<string, EntitySnapshot[] | EntitySnapshot>
}

function snapshotOf (entity: StoredEntity): EntitySnapshot {
  const contained: Record<string, EntitySnapshot[] | EntitySnapshot> = {}
  for (const [name, collection] of entity.collections) contained[name] = collection.entities.map(snapshotOf)
  for (const [name, single] of entity.singles) contained[name] = snapshotOf(single)
  return { row: structuredClone(entity.row), contained }
}

/** A deep copy of everything the tenant serves from. */
export function tenantSnapshot (tenant: Tenant): EntitySnapshot {
  return snapshotOf(tenant.root)
}

/** The rows of one root-level set. */
export function rowsOf (tenant: Tenant, set: string): readonly Readonly<Record<string, unknown>>[] {
  const collection = tenant.root.collections.get(set)
  if (collection === undefined) throw new Error(`the tenant has no set ${set}`)
  return collection.rows
}
