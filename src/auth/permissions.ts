// The permissions table: for every operation of the two contract documents (version, HTTP method,
// path template exactly as the contract writes it), the delegated and application permissions Graph
// documents, least privileged and higher. The data is src/auth/permissions.json; this module checks
// its shape once, at import, and looks rows up. Pure: no HTTP framework.

import data from './permissions.json' with { type: 'json' }

export const permissionKinds = ['delegated', 'application'] as const
export type PermissionKind = (typeof permissionKinds)[number]

export interface PermissionSet {
  /** The least privileged permissions: any one of them is enough. */
  readonly least: readonly string[]
  /** Higher privileged permissions that are accepted too. */
  readonly higher: readonly string[]
}

export interface PermissionTable {
  /** Where the table comes from: an include file of docs-contrib, the rendered docs page, or a rule. */
  readonly source: 'docs-contrib' | 'learn.microsoft.com' | 'rule'
  /** The include file in microsoftgraph/microsoft-graph-docs-contrib. */
  readonly file?: string
  /** The commit the include file was read at (null when the rendered page was read instead). */
  readonly commit?: string | null
  readonly url?: string
  readonly note?: string
  /** For a rule: what it says, and the documented tables it follows. */
  readonly rule?: string
  readonly basedOn?: readonly string[]
  readonly delegated: PermissionSet
  readonly application: PermissionSet
}

export interface OperationRow {
  /** The key of its table in `tables`. */
  readonly table: string
  /** The docs page of the operation, when one is known. */
  readonly documentedAt?: string
  /** Why `table` applies, when it is not the operation's own documented table. */
  readonly rule?: string
}

export interface PermissionData {
  readonly repository: string
  readonly tables: Readonly<Record<string, PermissionTable>>
  /** version → method → path template → row. */
  readonly operations: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, OperationRow>>>>>>
}

export interface Operation {
  readonly version: string
  readonly method: string
  readonly path: string
  readonly row: OperationRow
  readonly table: PermissionTable
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isStringList (value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string' && item !== '')
}

function checkSet (value: unknown, where: string): void {
  if (!isRecord(value) || !isStringList(value['least']) || !isStringList(value['higher'])) {
    throw new Error(`permissions.json: ${where} needs string lists "least" and "higher"`)
  }
}

/** Throws, naming the row, when the data is not the shape the check relies on. */
export function checkPermissionData (value: unknown): PermissionData {
  if (!isRecord(value) || !isRecord(value['tables']) || !isRecord(value['operations']) || typeof value['repository'] !== 'string') {
    throw new Error('permissions.json: needs "repository", "tables" and "operations"')
  }
  const tables = value['tables']
  for (const [key, table] of Object.entries(tables)) {
    if (!isRecord(table) || !['docs-contrib', 'learn.microsoft.com', 'rule'].includes(String(table['source']))) {
      throw new Error(`permissions.json: table ${key} has no known "source"`)
    }
    for (const kind of permissionKinds) checkSet(table[kind], `table ${key}, ${kind}`)
  }
  for (const [version, methods] of Object.entries(value['operations'])) {
    if (!isRecord(methods)) throw new Error(`permissions.json: operations.${version} is not an object`)
    for (const [method, paths] of Object.entries(methods)) {
      if (!isRecord(paths)) throw new Error(`permissions.json: operations.${version}.${method} is not an object`)
      for (const [path, row] of Object.entries(paths)) {
        if (!isRecord(row) || typeof row['table'] !== 'string' || !(row['table'] in tables)) {
          throw new Error(`permissions.json: ${version} ${method} ${path} names no known table`)
        }
      }
    }
  }
  return value as unknown as PermissionData
}

export const permissionData: PermissionData = checkPermissionData(data)

function rowOf (source: PermissionData, version: string, verb: string, path: string): OperationRow | undefined {
  const paths = Object.hasOwn(source.operations, version) ? source.operations[version]?.[verb] : undefined
  return paths !== undefined && Object.hasOwn(paths, path) ? paths[path] : undefined
}

/** An OData type-cast segment (`microsoft.graph.exchangeRestoreSession`), as opposed to an action's. */
const CAST_SEGMENT = /\/microsoft\.graph\.[a-z][A-Za-z0-9]*(?=\/|$)/g

/**
 * The operation's row and table, or undefined when the contract has no such operation. A read through
 * a type cast (`…/restoreSessions/microsoft.graph.exchangeRestoreSession`, which the contract
 * documents do not list) is the read of the same path without the cast: the same set or entity, seen
 * as a derived type.
 */
export function operationOf (version: string, method: string, path: string, source: PermissionData = permissionData): Operation | undefined {
  // Fastify answers HEAD from the GET route: the same operation.
  const verb = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase()
  let found = path
  let row = rowOf(source, version, verb, path)
  if (row === undefined && verb === 'GET') {
    found = path.replace(CAST_SEGMENT, '')
    if (found !== path) row = rowOf(source, version, verb, found)
  }
  if (row === undefined) return undefined
  const table = source.tables[row.table]
  if (table === undefined) return undefined
  return { version, method: verb, path: found, row, table }
}

/** Every operation, in the data's order (version, method, path). */
export function allOperations (source: PermissionData = permissionData): Operation[] {
  const found: Operation[] = []
  for (const [version, methods] of Object.entries(source.operations)) {
    for (const [method, paths] of Object.entries(methods)) {
      for (const path of Object.keys(paths)) {
        const operation = operationOf(version, method, path, source)
        if (operation !== undefined) found.push(operation)
      }
    }
  }
  return found
}

/** Every permission a token of `kind` may hold for the operation (least first). */
export function acceptedPermissions (table: PermissionTable, kind: PermissionKind): string[] {
  return [...table[kind].least, ...table[kind].higher]
}
