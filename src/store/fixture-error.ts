// The one error the store throws: a fixture that cannot be loaded. Its message names the source (a
// file path, or the name given to storeFromRecords), the record (index and id when known) and the
// property (a JSON pointer), so a fixture author can fix the data without a debugger.

/** Where in the fixtures a problem is: the source, and optionally the record and the property. */
export interface FixtureLocation {
  /** A file path, or the source name given to `storeFromRecords`. */
  readonly source: string
  /** The record's index in its source's top-level array (0-based, as in a JSON pointer). */
  readonly index?: number
  /** The record's id, when it has a string id. */
  readonly id?: string
  /** A JSON pointer into the record, e.g. `/createdBy/user/id`; `''` is the record itself. */
  readonly pointer?: string
}

export class FixtureError extends Error {
  readonly source: string
  readonly index: number | undefined
  readonly id: string | undefined
  readonly pointer: string | undefined

  constructor (location: FixtureLocation, problem: string, options?: ErrorOptions) {
    super(`${describeLocation(location)}: ${problem}`, options)
    this.name = 'FixtureError'
    this.source = location.source
    this.index = location.index
    this.id = location.id
    this.pointer = location.pointer
  }
}

export function isFixtureError (value: unknown): value is FixtureError {
  return value instanceof FixtureError
}

/** `file: record 12 (id 6f1c…)`, or just `file` when no record is concerned. */
export function describeLocation (location: FixtureLocation): string {
  if (location.index === undefined) return location.source
  const id = location.id === undefined ? '' : ` (id ${location.id})`
  return `${location.source}: record ${location.index}${id}`
}
