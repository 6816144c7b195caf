// The store: validated, deep-frozen rows per entity set, in load order, with an id index. Built from
// records by a collector that validates every record (and every id) before anything is returned.

import type { ExchangeRestoreSession } from '../../schemas/index.js'
import { entitySets, type EntitySetDefinition, type EntitySetName, type EntityTypes } from './entity-sets.js'
import { FixtureError } from './fixture-error.js'
import { describeValidationError } from './validate-record.js'

export interface EntitySet<T> {
  readonly name: EntitySetName
  /** Every row, in load order; the array and each row are frozen. */
  readonly rows: readonly T[]
  byId (id: string): T | undefined
}

export interface FixtureStore {
  /** The fixture files loaded, in load order (empty for `storeFromRecords`). */
  readonly files: readonly string[]
  readonly exchangeRestoreSessions: readonly ExchangeRestoreSession[]
  /** An exchangeRestoreSession by id. */
  byId (id: string): ExchangeRestoreSession | undefined
  entitySet<N extends EntitySetName> (name: N): EntitySet<EntityTypes[N]>
}

/** Accumulates one entity set's rows; remembers where each id came from to report duplicates. */
class SetCollector<T extends { id: string }> {
  readonly rows: T[] = []
  private readonly positions = new Map<string, number>()
  private readonly sources: string[] = []
  private readonly origins: Array<{ source: number, index: number }> = []

  constructor (readonly definition: EntitySetDefinition<T>) {}

  /** Validates and adds one record; throws a FixtureError naming the source, record and property. */
  add (record: unknown, source: string, index: number): void {
    const row = this.definition.shape(record)
    const id = idOf(row)
    if (!this.definition.validate(row)) {
      const first = this.definition.validate.errors?.[0]
      const problem = first === undefined ? { pointer: '', text: 'fails schema validation' } : describeValidationError(first)
      throw new FixtureError({ source, index, ...(id === undefined ? {} : { id }), pointer: problem.pointer }, problem.text)
    }
    const seen = this.positions.get(row.id)
    if (seen !== undefined) {
      const origin = this.origins[seen]
      const where = origin === undefined ? '' : ` as record ${origin.index} of ${this.sources[origin.source] ?? '?'}`
      throw new FixtureError({ source, index, id: row.id, pointer: '/id' }, `property /id must be unique, but the same id was already loaded${where}`)
    }
    if (this.sources[this.sources.length - 1] !== source) this.sources.push(source)
    this.positions.set(row.id, this.rows.length)
    this.origins.push({ source: this.sources.length - 1, index })
    this.rows.push(row)
  }

  finish (): EntitySet<T> {
    const rows: readonly T[] = Object.freeze(this.rows)
    const positions = this.positions
    return Object.freeze({
      name: this.definition.name,
      rows,
      byId: (id: string) => {
        const position = positions.get(id)
        return position === undefined ? undefined : rows[position]
      }
    })
  }
}

/** Collects records for every entity set; `build` returns the store once all of them passed. */
export class StoreBuilder {
  private readonly files: string[] = []
  private readonly collectors: { readonly [N in EntitySetName]: SetCollector<EntityTypes[N]> } = {
    exchangeRestoreSessions: new SetCollector(entitySets.exchangeRestoreSessions)
  }

  /** Validates and adds one record of a source (its index in that source's array). */
  addRecord (set: EntitySetName, record: unknown, source: string, index: number): void {
    this.collectors[set].add(record, source, index)
  }

  addRecords (set: EntitySetName, records: readonly unknown[], source: string): void {
    const collector = this.collectors[set]
    for (let index = 0; index < records.length; index++) collector.add(records[index], source, index)
  }

  addFile (file: string): void {
    this.files.push(file)
  }

  build (): FixtureStore {
    const sets: { readonly [N in EntitySetName]: EntitySet<EntityTypes[N]> } = {
      exchangeRestoreSessions: this.collectors.exchangeRestoreSessions.finish()
    }
    const sessions = sets.exchangeRestoreSessions
    return Object.freeze({
      files: Object.freeze([...this.files]),
      exchangeRestoreSessions: sessions.rows,
      byId: (id: string) => sessions.byId(id),
      entitySet: <N extends EntitySetName>(name: N): EntitySet<EntityTypes[N]> => sets[name]
    })
  }
}

function idOf (record: unknown): string | undefined {
  if (typeof record !== 'object' || record === null || !('id' in record)) return undefined
  return typeof record.id === 'string' ? record.id : undefined
}
