// authorize() against every row of src/auth/permissions.json, and the data against the contract: every
// operation of both contract documents has a row, every row a table, every table its source.

import t from 'tap'
import { authorize, tokenPermissions } from '../../src/auth/authorize.js'
import { CONTRACT_VERSIONS, wholeContract } from '../contract/documents.js'
import { graphVersions, models } from '../../src/model/index.js'
import { acceptedPermissions, allOperations, checkPermissionData, operationOf, permissionData, permissionKinds, type PermissionKind } from '../../src/auth/permissions.js'

const ALL_PERMISSIONS = [
  'BackupRestore-Configuration.Read.All', 'BackupRestore-Configuration.ReadWrite.All',
  'BackupRestore-Control.Read.All', 'BackupRestore-Control.ReadWrite.All',
  'BackupRestore-Monitor.Read.All', 'BackupRestore-Restore.Read.All',
  'BackupRestore-Restore.ReadWrite.All', 'BackupRestore-Search.Read.All',
  'User.Read', 'Directory.ReadWrite.All'
]

const DENIED = { statusCode: 403, code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' }

function claimsOf (kind: PermissionKind, permissions: readonly string[]): Record<string, unknown> {
  return kind === 'delegated' ? { scp: permissions.join(' ') } : { roles: [...permissions] }
}

function contractOperations (): string[] {
  const found: string[] = []
  for (const version of CONTRACT_VERSIONS) {
    for (const [path, item] of Object.entries(wholeContract(version).paths)) {
      for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
        if (item[method] !== undefined) found.push(`${version} ${method.toUpperCase()} ${path}`)
      }
    }
  }
  return found.sort()
}

/** The operations the docs publish that the documents lack, which the model adds (src/model/generate.ts). */
function documentedOperations (): string[] {
  return graphVersions.flatMap((version) => models[version].paths.flatMap((path) =>
    path.operations.filter((operation) => operation.documentedOnly !== undefined).map((operation) => `${version} ${operation.method} ${path.path}`)))
}

t.test('the data covers exactly the operations of both contract documents and the documented ones the model adds', async (t) => {
  const recorded = allOperations().map((op) => `${op.version} ${op.method} ${op.path}`).sort()
  const contract = contractOperations()
  t.equal(contract.length, 472, 'beta 262 + v1.0 210 operations')
  t.equal(documentedOperations().length, 30, 'run and deleteAndUnprotect on 6 paths, the bulk job POST on 3, per version')
  t.strictSame(recorded, [...contract, ...documentedOperations()].sort())
})

t.test('every table says where it comes from', async (t) => {
  for (const [key, table] of Object.entries(permissionData.tables)) {
    switch (table.source) {
      case 'docs-contrib':
        t.match(table.file, /^api-reference\/(beta|v1\.0)\/includes\/permissions\/[a-z0-9-]+-permissions\.md$/, `${key}: file`)
        t.match(table.commit, /^[0-9a-f]{40}$/, `${key}: commit`)
        break
      case 'learn.microsoft.com':
        t.match(table.url, /^https:\/\/learn\.microsoft\.com\/graph\/api\//, `${key}: url`)
        t.type(table.note, 'string', `${key}: says why the include file was not used`)
        break
      case 'rule':
        t.type(table.rule, 'string', `${key}: the rule`)
        t.ok((table.basedOn ?? []).length > 0, `${key}: the documented tables it follows`)
        for (const base of table.basedOn ?? []) t.not(permissionData.tables[base]?.source ?? 'rule', 'rule', `${key}: ${base} is documented`)
        break
    }
  }
  for (const op of allOperations()) {
    if (op.table.source === 'rule' || op.row.rule !== undefined) t.type(op.row.rule, 'string', `${op.version} ${op.method} ${op.path}: why its table applies`)
  }
})

t.test('every operation: each accepted permission of each kind passes; nothing else does', async (t) => {
  let checked = 0
  for (const op of allOperations()) {
    const name = `${op.version} ${op.method} ${op.path}`
    for (const kind of permissionKinds) {
      const accepted = acceptedPermissions(op.table, kind)
      for (const permission of accepted) {
        t.strictSame(authorize({ version: op.version, method: op.method, path: op.path, claims: claimsOf(kind, [permission]) }), { allowed: true, kind, permission }, `${name}: ${kind} ${permission}`)
        checked++
      }
      const others = ALL_PERMISSIONS.filter((permission) => !accepted.includes(permission))
      const result = authorize({ version: op.version, method: op.method, path: op.path, claims: claimsOf(kind, others) })
      t.match(result, { allowed: false, error: DENIED }, `${name}: ${kind} with every other permission → 403`)
      if (!result.allowed) t.notMatch(result.error.message, /BackupRestore|scp|roles/, `${name}: the 403 names no permission`)
      checked++
    }
  }
  t.ok(checked > 472 * 2, `${checked} checks`)
})

t.test('the kinds do not mix: delegated permissions are read from scp only, application ones from roles only', async (t) => {
  t.strictSame(tokenPermissions({ scp: 'A  B\tC ', roles: ['D'] }), { kind: 'delegated', held: ['A', 'B', 'C'] }, 'scp wins: a token with scp is delegated')
  t.strictSame(tokenPermissions({ roles: ['D', '', 7] }), { kind: 'application', held: ['D'] })
  t.equal(tokenPermissions({ scp: '  ', roles: [] }), undefined)
  const path = '/solutions/backupRestore/restoreSessions'
  t.match(authorize({ version: 'v1.0', method: 'GET', path, claims: { scp: 'x', roles: ['BackupRestore-Restore.Read.All'] } }), { allowed: false, error: DENIED }, 'roles are ignored on a delegated token')
  t.match(authorize({ version: 'v1.0', method: 'GET', path, claims: { roles: ['x'], scp: undefined } }), { allowed: false, error: DENIED })
})

t.test('a token with neither scp nor roles → 403 accessDenied', async (t) => {
  for (const claims of [{}, { scp: '' }, { roles: [] }, { scp: 42 }, { roles: 'BackupRestore-Restore.Read.All' }]) {
    t.match(authorize({ version: 'beta', method: 'GET', path: '/solutions/backupRestore/restoreSessions', claims }), {
      allowed: false,
      error: { statusCode: 403, code: 'accessDenied', message: 'Either scp or roles claim need to be present in the token.' }
    }, JSON.stringify(claims))
  }
})

t.test('HEAD is the GET operation; method case and permission case do not matter', async (t) => {
  const path = '/solutions/backupRestore/restoreSessions/{restoreSessionBase-id}'
  t.match(authorize({ version: 'v1.0', method: 'HEAD', path, claims: { scp: 'BackupRestore-Restore.Read.All' } }), { allowed: true })
  t.match(authorize({ version: 'v1.0', method: 'get', path, claims: { scp: 'backuprestore-restore.read.all' } }), { allowed: true, permission: 'BackupRestore-Restore.Read.All' })
})

t.test('documented rows the brief names', async (t) => {
  const activate = operationOf('beta', 'POST', '/solutions/backupRestore/restoreSessions/{restoreSessionBase-id}/microsoft.graph.activate')
  t.ok(activate, 'the activate action has a row')
  t.equal(activate?.row.documentedAt, 'api-reference/beta/api/restoresessionbase-activate.md')
  const emailUpdate = operationOf('beta', 'PATCH', '/solutions/backupRestore/emailNotificationsSetting')
  t.strictSame(emailUpdate?.table.application, { least: [], higher: [] }, 'documented: application tokens are not supported')
  t.match(authorize({ version: 'beta', method: 'PATCH', path: '/solutions/backupRestore/emailNotificationsSetting', claims: { roles: ['BackupRestore-Control.ReadWrite.All'] } }), { allowed: false, error: DENIED })
  t.match(authorize({ version: 'beta', method: 'PATCH', path: '/solutions/backupRestore/emailNotificationsSetting', claims: { scp: 'BackupRestore-Control.ReadWrite.All' } }), { allowed: true })
})

t.test('an operation the contract does not have is a programming error', async (t) => {
  t.throws(() => authorize({ version: 'v1.0', method: 'GET', path: '/solutions/backupRestore/nothing', claims: { scp: 'x' } }), { name: 'TypeError' })
  t.throws(() => authorize({ version: 'v2', method: 'GET', path: '/solutions/backupRestore', claims: { scp: 'x' } }), { name: 'TypeError' })
  t.throws(() => authorize({ version: 'beta', method: 'GET', path: 'constructor', claims: { scp: 'x' } }), { name: 'TypeError' }, 'no prototype lookups')
})

t.test('checkPermissionData refuses rows that name no table', async (t) => {
  t.throws(() => checkPermissionData({ repository: 'r', tables: {}, operations: { beta: { GET: { '/x': { table: 'missing' } } } } }), /beta GET \/x names no known table/)
  t.throws(() => checkPermissionData({ repository: 'r', tables: { a: { source: 'rule', delegated: { least: [] }, application: { least: [], higher: [] } } }, operations: {} }), /table a, delegated/)
  t.throws(() => checkPermissionData([]), /needs "repository"/)
})

t.test('a read through a type cast is the read of the path without it', async (t) => {
  const cast = operationOf('v1.0', 'GET', '/solutions/backupRestore/restoreSessions/microsoft.graph.exchangeRestoreSession/$count')
  t.equal(cast?.path, '/solutions/backupRestore/restoreSessions/$count')
  t.equal(operationOf('beta', 'GET', '/solutions/backupRestore/restoreSessions/{restoreSessionBase-id}/microsoft.graph.sharePointRestoreSession')?.path, '/solutions/backupRestore/restoreSessions/{restoreSessionBase-id}')
  t.match(authorize({ version: 'v1.0', method: 'GET', path: '/solutions/backupRestore/protectionPolicies/microsoft.graph.exchangeProtectionPolicy', claims: { roles: ['BackupRestore-Restore.Read.All'] } }), { allowed: false, error: DENIED })
  t.equal(operationOf('v1.0', 'DELETE', '/solutions/backupRestore/restoreSessions/{restoreSessionBase-id}/microsoft.graph.exchangeRestoreSession'), undefined, 'only reads are casts')
  t.equal(operationOf('v1.0', 'GET', '/solutions/backupRestore/microsoft.graph.nothing/restoreSessions/more'), undefined, 'no row without the cast either')
})
