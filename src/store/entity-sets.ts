// The registry of entity sets the fixtures can hold: a set's name is both its fixture file stem
// (`<name>.json`, `<name>.<part>.json`) and its key in the store. Adding an entity set means one line
// in EntityTypes and one entry in `entitySets`.

import type { ValidateFunction } from 'ajv'
import { exchangeRestoreSessionSchema, type ExchangeRestoreSession } from '../../schemas/index.js'
import { compileShaper, type Shaper } from './row-shape.js'
import { compileValidator } from './validate-record.js'

/** Entity set name → the type of its rows. */
export interface EntityTypes {
  exchangeRestoreSessions: ExchangeRestoreSession
}

export type EntitySetName = keyof EntityTypes

export interface EntitySetDefinition<T> {
  readonly name: EntitySetName
  /** The JSON Schema of one record, from /schemas. */
  readonly schema: object
  /** Schema validation, compiled once. */
  readonly validate: ValidateFunction<T>
  /** Record → stored row: defaults filled, properties ordered, deep-frozen (see row-shape.ts). */
  readonly shape: Shaper
}

function defineEntitySet<N extends EntitySetName> (name: N, schema: object): EntitySetDefinition<EntityTypes[N]> {
  return { name, schema, validate: compileValidator<EntityTypes[N]>(schema), shape: compileShaper(schema) }
}

export const entitySets: { readonly [N in EntitySetName]: EntitySetDefinition<EntityTypes[N]> } = {
  exchangeRestoreSessions: defineEntitySet('exchangeRestoreSessions', exchangeRestoreSessionSchema)
}

export const entitySetNames: readonly EntitySetName[] = Object.freeze(['exchangeRestoreSessions'])

export function isEntitySetName (name: string): name is EntitySetName {
  return Object.hasOwn(entitySets, name)
}

const FIXTURE_FILE = /^([^.]+)(?:\..+)?\.json$/

/**
 * The entity set a fixture file belongs to (`exchangeRestoreSessions.json`,
 * `exchangeRestoreSessions.part-2.json`), or undefined for any other `.json` name.
 */
export function entitySetOfFile (fileName: string): EntitySetName | undefined {
  const stem = FIXTURE_FILE.exec(fileName)?.[1]
  return stem !== undefined && isEntitySetName(stem) ? stem : undefined
}
