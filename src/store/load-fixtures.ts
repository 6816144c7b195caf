// Loading fixtures: a folder with one file per root-level set (`restorePoints.json`,
// `exchangeRestoreSessions.json`, `exchangeRestoreSessions.<part>.json`) or singleton
// (`backupRestore.json` for the root, `emailNotificationsSetting.json`, …), or data handed over in
// code. A set's file is an array of records, or a captured Graph response (`{"value": […]}` with its
// `@odata.*` annotations). Contained sets are inline under their parent record. Every record, and
// every reference between records, is validated before a store is returned.

import { createReadStream } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { storageModel } from '../model/index.js'
import { FixtureError } from './fixture-error.js'
import { ArrayShapeError, readArrayElements } from './json-array-reader.js'
import { findJsonSyntaxError } from './json-syntax.js'
import { TenantBuilder, type Tenant } from './tenant.js'

const READ_CHUNK = 1 << 20

export type FixtureStore = Tenant

const FIXTURE_FILE = /^([^.]+)(?:\..+)?\.json$/

/** The set or singleton a fixture file belongs to, or undefined for another name. */
export function fixtureTargetOf (fileName: string): { name: string, collection: boolean } | undefined {
  const stem = FIXTURE_FILE.exec(fileName)?.[1]
  if (stem === undefined) return undefined
  if (stem === 'backupRestore') return { name: stem, collection: false }
  const set = storageModel.rootSets.get(stem)
  return set === undefined ? undefined : { name: stem, collection: set.collection }
}

function knownFileNames (): string {
  return new TenantBuilder(storageModel).knownNames().join(', ')
}

/**
 * Loads every `*.json` file of `dir` (other files are ignored), in sorted name order (by UTF-16 code
 * units, so `exchangeRestoreSessions.a.json` comes before `exchangeRestoreSessions.json`). Throws a
 * FixtureError on the first problem.
 */
export async function loadFixtures (dir: string): Promise<FixtureStore> {
  const builder = new TenantBuilder(storageModel)
  for (const name of await listJsonFiles(dir)) {
    const file = join(dir, name)
    const target = fixtureTargetOf(name)
    if (target === undefined) {
      throw new FixtureError({ source: file }, `not a fixture file name: name files <set>.json or <set>.<part>.json, where <set> is one of ${knownFileNames()}`)
    }
    if (target.collection) await loadSetFile(builder, target.name, file)
    else builder.setSingleton(target.name, parseJson(file, await readText(file)), file)
    builder.addFile(file)
  }
  return builder.build()
}

/** Data given in code: set or singleton name → records (an array) or the singleton's object. */
export type FixtureData = Readonly<Record<string, unknown>>

/** Builds a store from data given in code, validated like fixture files. */
export function storeFromData (data: FixtureData, sourceName = 'data'): FixtureStore {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new FixtureError({ source: sourceName }, `the data must be an object of set names to records, found ${jsonKind(data)}`)
  }
  const builder = new TenantBuilder(storageModel)
  for (const [name, value] of Object.entries(data)) {
    const source = `${sourceName}.${name}`
    const target = name === 'backupRestore' ? { collection: false } : storageModel.rootSets.get(name)
    if (target === undefined) throw new FixtureError({ source }, `not a set or singleton; the names are ${knownFileNames()}`)
    if (!target.collection) {
      builder.setSingleton(name, value, source)
      continue
    }
    const records = recordsOf(value)
    if (records === undefined) throw new FixtureError({ source }, `must be an array of ${name} records, found ${jsonKind(value)}`)
    builder.addRecords(name, records, source)
  }
  return builder.build()
}

/** Builds a store from exchangeRestoreSession records given in code, validated like fixture files. */
export function storeFromRecords (records: readonly unknown[], sourceName = 'sessions'): FixtureStore {
  if (!Array.isArray(records)) {
    throw new FixtureError({ source: sourceName }, `the records must be an array of exchangeRestoreSessions records, found ${jsonKind(records)}`)
  }
  const builder = new TenantBuilder(storageModel)
  builder.addRecords('exchangeRestoreSessions', records, sourceName)
  return builder.build()
}

/** An array of records, or the `value` of a captured Graph collection response. */
function recordsOf (value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value
  if (typeof value === 'object' && value !== null && 'value' in value && Array.isArray(value.value)) return value.value as unknown[]
  return undefined
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
 * is read whole once more: a captured Graph response (`{"value": […]}`) is loaded from there, and
 * anything else is reported exactly (position of a syntax error, or what the top level is instead).
 */
async function loadSetFile (builder: TenantBuilder, set: string, file: string): Promise<void> {
  let index = 0
  try {
    for await (const record of readArrayElements(createReadStream(file, { encoding: 'utf8', highWaterMark: READ_CHUNK }))) {
      builder.addRecord(set, record, file, index++)
    }
  } catch (error) {
    if (error instanceof FixtureError) throw error
    if (!(error instanceof ArrayShapeError)) throw new FixtureError({ source: file }, `cannot read the file (${systemMessage(error)})`, { cause: error })
    // Records before the problem were valid; the whole-text parse names the problem itself.
    const data = parseJson(file, await readText(file))
    const records = recordsOf(data)
    if (records === undefined) {
      throw new FixtureError({ source: file }, `the top level must be an array of ${set} records (or a Graph response with a "value" array), found ${jsonKind(data)}`)
    }
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

function parseJson (file: string, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    const syntax = findJsonSyntaxError(text)
    const problem = syntax === undefined
      ? systemMessage(error)
      : `${syntax.reason} at line ${syntax.line}, column ${syntax.column} (offset ${syntax.offset})`
    throw new FixtureError({ source: file }, `not valid JSON: ${problem}`, { cause: error })
  }
}

function jsonKind (value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function systemMessage (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
