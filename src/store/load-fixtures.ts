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

const CONTAINED_FILE = /^([^.]+)\.([^.]+)(?:\..+)?\.json$/

/** A contained collection's navigation name under a root-level set's types, if `name` is one. */
function containedNavigation (setName: string, name: string): string | undefined {
  const set = storageModel.rootSets.get(setName)
  if (set?.collection !== true) return undefined
  for (const type of storageModel.concreteTypes(set.type)) {
    const nav = storageModel.navigation(type, name)
    if (nav?.contained === true && nav.collection) return nav.name
  }
  return undefined
}

/**
 * The set or singleton a fixture file belongs to, or undefined for another name. A file
 * `<set>.<navigation>[.<part>].json`, where the navigation is a contained collection of the set's
 * type, holds contained records in files of their own (see loadContainedFile).
 */
export function fixtureTargetOf (fileName: string): { name: string, collection: boolean, contained?: string } | undefined {
  const stem = FIXTURE_FILE.exec(fileName)?.[1]
  if (stem === undefined) return undefined
  if (stem === 'backupRestore') return { name: stem, collection: false }
  const set = storageModel.rootSets.get(stem)
  if (set === undefined) return undefined
  const second = CONTAINED_FILE.exec(fileName)?.[2]
  const contained = second === undefined ? undefined : containedNavigation(stem, second)
  return contained === undefined ? { name: stem, collection: set.collection } : { name: stem, collection: true, contained }
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
  const containedFiles: Array<{ file: string, set: string, navigation: string }> = []
  for (const name of await listJsonFiles(dir)) {
    const file = join(dir, name)
    const target = fixtureTargetOf(name)
    if (target === undefined) {
      throw new FixtureError({ source: file }, `not a fixture file name: name files <set>.json, <set>.<part>.json or <set>.<contained collection>.json, where <set> is one of ${knownFileNames()}`)
    }
    // Contained records go under parents that may be in any file: they are loaded last.
    if (target.contained !== undefined) containedFiles.push({ file, set: target.name, navigation: target.contained })
    else if (target.collection) await loadSetFile(builder, target.name, file)
    else builder.setSingleton(target.name, parseJson(file, await readText(file)), file)
    builder.addFile(file)
  }
  for (const { file, set, navigation } of containedFiles) loadContainedFile(builder, set, navigation, file, parseJson(file, await readText(file)))
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

/**
 * A file of contained records: a captured Graph response of the collection, whose `@odata.context`
 * names the parent (`…/exchangeRestoreSessions('<id>')/mailboxRestoreArtifacts`), or an object of
 * parent ids to arrays of records (`{"<session id>": [ … ], …}`).
 */
function loadContainedFile (builder: TenantBuilder, set: string, navigation: string, file: string, data: unknown): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new FixtureError({ source: file }, `a file of ${navigation} records must be a Graph response with "@odata.context" naming the parent, or an object of parent ids to arrays of records; found ${jsonKind(data)}`)
  }
  const record = data as Record<string, unknown>
  if (Array.isArray(record.value)) {
    const context = typeof record['@odata.context'] === 'string' ? record['@odata.context'] : ''
    const parent = new RegExp(`/${set}\\('((?:[^']|'')*)'\\)/${navigation}$`, 'i').exec(context)?.[1]
    if (parent === undefined) throw new FixtureError({ source: file }, `"@odata.context" must end in ${set}('<id>')/${navigation}, to name the parent; found '${context}'`)
    builder.addContained(set, parent.replaceAll("''", "'"), navigation, record.value, file)
    return
  }
  for (const [parentId, records] of Object.entries(record)) {
    if (!Array.isArray(records)) throw new FixtureError({ source: file }, `the records under parent '${parentId}' must be an array, found ${jsonKind(records)}`)
    builder.addContained(set, parentId, navigation, records, file)
  }
}

/** An array of records, or the `value` of a captured Graph collection response. */
function recordsOf (value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value as readonly unknown[]
  if (typeof value === 'object' && value !== null && 'value' in value && Array.isArray(value.value)) return value.value as readonly unknown[]
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
