// Loading fixtures: a folder of `<entity set>.json` / `<entity set>.<part>.json` files, or records
// handed over in code. Either way every record is validated before a store is returned.

import { createReadStream } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { entitySetNames, entitySetOfFile, type EntitySetName } from './entity-sets.js'
import { FixtureError } from './fixture-error.js'
import { StoreBuilder, type FixtureStore } from './fixture-store.js'
import { ArrayShapeError, readArrayElements } from './json-array-reader.js'
import { findJsonSyntaxError } from './json-syntax.js'

const READ_CHUNK = 1 << 20

/**
 * Loads every `*.json` file of `dir` (other files are ignored). Files of one entity set are
 * concatenated in sorted name order (by UTF-16 code units, so `exchangeRestoreSessions.a.json` comes
 * before `exchangeRestoreSessions.json`). Throws a FixtureError on the first problem.
 */
export async function loadFixtures (dir: string): Promise<FixtureStore> {
  const builder = new StoreBuilder()
  for (const name of await listJsonFiles(dir)) {
    const file = join(dir, name)
    const set = entitySetOfFile(name)
    if (set === undefined) {
      throw new FixtureError({ source: file }, `not a fixture file name: name files <entity set>.json or <entity set>.<part>.json; the known entity sets are ${entitySetNames.join(', ')}`)
    }
    await loadFile(builder, set, file)
    builder.addFile(file)
  }
  return builder.build()
}

/** Builds a store from exchangeRestoreSession records given in code, validated like fixture files. */
export function storeFromRecords (records: readonly unknown[], sourceName = 'sessions'): FixtureStore {
  if (!Array.isArray(records)) {
    throw new FixtureError({ source: sourceName }, `the records must be an array of exchangeRestoreSessions records, found ${jsonKind(records)}`)
  }
  const builder = new StoreBuilder()
  builder.addRecords('exchangeRestoreSessions', records, sourceName)
  return builder.build()
}

async function listJsonFiles (dir: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (error) {
    throw new FixtureError({ source: dir }, `cannot read the fixtures folder (${systemMessage(error)})`, { cause: error })
  }
  return entries
    .filter((entry) => entry.name.endsWith('.json') && !entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * Streams the file's array element by element, so neither the whole text nor the whole parsed array
 * is ever held; only the stored rows stay. When the file turns out not to be a well-formed array, it
 * is read whole once more to report the exact problem (position of a syntax error, or what the top
 * level is instead).
 */
async function loadFile (builder: StoreBuilder, set: EntitySetName, file: string): Promise<void> {
  let index = 0
  try {
    for await (const record of readArrayElements(createReadStream(file, { encoding: 'utf8', highWaterMark: READ_CHUNK }))) {
      builder.addRecord(set, record, file, index++)
    }
  } catch (error) {
    if (error instanceof FixtureError) throw error
    if (!(error instanceof ArrayShapeError)) throw new FixtureError({ source: file }, `cannot read the file (${systemMessage(error)})`, { cause: error })
    // Records before the problem were valid; the whole-text parse names the problem itself.
    const records = parseTopLevelArray(file, await readText(file), set)
    for (; index < records.length; index++) builder.addRecord(set, records[index], file, index)
  }
}

async function readText (file: string): Promise<string> {
  try {
    const text = await readFile(file, 'utf8')
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  } catch (error) {
    throw new FixtureError({ source: file }, `cannot read the file (${systemMessage(error)})`, { cause: error })
  }
}

function parseTopLevelArray (file: string, text: string, set: string): unknown[] {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    const syntax = findJsonSyntaxError(text)
    const problem = syntax === undefined
      ? systemMessage(error)
      : `${syntax.reason} at line ${syntax.line}, column ${syntax.column} (offset ${syntax.offset})`
    throw new FixtureError({ source: file }, `not valid JSON: ${problem}`, { cause: error })
  }
  if (!Array.isArray(data)) {
    throw new FixtureError({ source: file }, `the top level must be an array of ${set} records, found ${jsonKind(data)}`)
  }
  return data
}

function jsonKind (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function systemMessage (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
