// `__proto__`, `constructor` and `prototype` are names like any other: unknown properties (400) in
// $select, $filter paths, $orderby and $expand, unknown segments in paths, ignored custom options.
// No request changes the fixtures or any built-in prototype.

import t from 'tap'
import type { FixtureStore } from '../../src/store/index.js'
import { AUTH, build, expectedError, LIST } from '../helper.js'
import { rowsOf, tenantSnapshot } from './tenant-snapshot.js'

const T = "'microsoft.graph.exchangeRestoreSession'"
const IDENTITY_SET = "'microsoft.graph.identitySet'"
const SELECT = 'Parsing OData Select and Expand failed: '
const names = ['__proto__', 'constructor', 'prototype'] as const

function rowsOfArtifacts (store: FixtureStore, id: string): number {
  return store.root.collections.get('exchangeRestoreSessions')?.byId(id)?.collections.get('mailboxRestoreArtifacts')?.size ?? 0
}

function snapshotPrototypes (): Record<string, string[]> {
  const of = (value: object): string[] => Reflect.ownKeys(value).map(String).sort()
  return {
    object: of(Object.prototype),
    array: of(Array.prototype),
    function: of(Function.prototype),
    string: of(String.prototype),
    map: of(Map.prototype)
  }
}

t.test('the names are unknown properties in every query option, with Graph\'s whole body', async (t) => {
  const app = await build(t)
  const fixturesBefore = tenantSnapshot(app.fixtureStore)
  const prototypesBefore = snapshotPrototypes()
  for (const name of names) {
    const cases: Array<[string, string]> = [
      [`$select=${name}`, `${SELECT}Could not find a property named '${name}' on type ${T}.`],
      [`$select=id,${name}`, `${SELECT}Could not find a property named '${name}' on type ${T}.`],
      [`$select=createdBy/${name}`, `${SELECT}Could not find a property named '${name}' on type ${IDENTITY_SET}.`],
      [`$filter=${name} eq null`, `Could not find a property named '${name}' on type ${T}.`],
      [`$filter=${name}/polluted eq 'yes'`, `Could not find a property named '${name}' on type ${T}.`],
      [`$filter=createdBy/${name}/polluted eq 'yes'`, `Could not find a property named '${name}' on type ${IDENTITY_SET}.`],
      [`$filter=${name} in ('a')`, `Could not find a property named '${name}' on type ${T}.`],
      [`$orderby=${name}`, `Could not find a property named '${name}' on type ${T}.`],
      [`$orderby=id,${name} desc`, `Could not find a property named '${name}' on type ${T}.`],
      [`$orderby=createdBy/${name}`, `Could not find a property named '${name}' on type ${IDENTITY_SET}.`],
      [`$expand=${name}`, `${SELECT}Could not find a property named '${name}' on type ${T}.`],
      [`$expand=mailboxRestoreArtifacts($select=${name})`, `${SELECT}Could not find a property named '${name}' on type 'microsoft.graph.mailboxRestoreArtifact'.`],
      [`$filter=isof('${name}')`, `The type '${name}' is not defined in the model.`]
    ]
    for (const [query, message] of cases) {
      const response = await app.inject({ method: 'GET', url: `${LIST}?${query}`, headers: AUTH })
      t.equal(response.statusCode, 400, query)
      t.strictSame(response.json(), expectedError(response, 'BadRequest', message), query)
    }
  }
  t.strictSame(tenantSnapshot(app.fixtureStore), fixturesBefore, 'the fixtures are unchanged')
  t.strictSame(snapshotPrototypes(), prototypesBefore, 'no built-in prototype gained or lost a key')
})

t.test('in paths, option names and headers they are plain text', async (t) => {
  const app = await build(t)
  const fixturesBefore = tenantSnapshot(app.fixtureStore)
  const prototypesBefore = snapshotPrototypes()
  for (const name of names) {
    const segment = await app.inject({ method: 'GET', url: `/beta/solutions/${name}`, headers: AUTH })
    t.equal(segment.statusCode, 400, `/beta/solutions/${name}`)
    t.strictSame(segment.json(), expectedError(segment, 'BadRequest', `Resource not found for the segment '${name}'.`))

    for (const url of [`${LIST}/${name}`, `${LIST}('${name}')`]) {
      const key = await app.inject({ method: 'GET', url, headers: AUTH })
      t.equal(key.statusCode, 400, url)
      t.strictSame(key.json(), expectedError(key, 'InvalidRestoreSessionId', 'Restore session ID invalid, null, or empty.'), url)
    }

    const version = await app.inject({ method: 'GET', url: `/${name}` })
    t.strictSame(version.json(), expectedError(version, 'BadRequest', `Invalid version: ${name}`), `/${name}`)

    const dollar = await app.inject({ method: 'GET', url: `${LIST}?$${name}=1`, headers: AUTH })
    t.equal(dollar.statusCode, 400, `$${name}=1`)
    t.strictSame(dollar.json(), expectedError(dollar, 'BadRequest', `The query specified in the URI is not valid. Query option '$${name}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`))

    // A custom option is ignored (as on Graph), and a header of that name changes nothing.
    const plain = await app.inject({ method: 'GET', url: `${LIST}?$top=1&${name}=1&${name}[polluted]=1`, headers: { ...AUTH, [name]: 'x', prefer: `${name}=1, ${name}` } })
    t.equal(plain.statusCode, 200, `?${name}=1 and a ${name} header`)
    t.equal(plain.json<{ value: unknown[] }>().value.length, 1)
  }
  const polluted: unknown = Reflect.get({}, 'polluted')
  t.equal(polluted, undefined, 'no "polluted" key reachable from a fresh object')
  t.strictSame(tenantSnapshot(app.fixtureStore), fixturesBefore, 'the fixtures are unchanged')
  t.strictSame(snapshotPrototypes(), prototypesBefore, 'no built-in prototype gained or lost a key')
})

t.test('serving pages (projected, ordered, counted) leaves the frozen fixtures unchanged', async (t) => {
  const app = await build(t)
  const before = tenantSnapshot(app.fixtureStore)
  const rows = rowsOf(app.fixtureStore, 'exchangeRestoreSessions')
  t.ok(rows.length > 0 && Object.isFrozen(rows), 'the rows array is frozen')
  t.ok(rows.every((row) => Object.isFrozen(row)), 'and each row')
  const queries = ['$top=5', '$top=5&$select=id,createdBy/user', '$top=5&$orderby=createdDateTime desc', '$top=5&$count=true', '$top=5&$expand=mailboxRestoreArtifacts($select=id,status)']
  for (const query of queries) {
    const response = await app.inject({ method: 'GET', url: `${LIST}?${query}`, headers: AUTH })
    t.equal(response.statusCode, 200, query)
  }
  const withArtifacts = rows.find((row) => rowsOfArtifacts(app.fixtureStore, String(row.id)) > 0)
  t.ok(withArtifacts !== undefined, 'a session with artifacts')
  const nested = `${LIST}/${String(withArtifacts?.id)}/mailboxRestoreArtifacts?$top=2&$orderby=id desc&$expand=restorePoint($select=id)`
  t.equal((await app.inject({ method: 'GET', url: nested, headers: AUTH })).statusCode, 200, nested)
  const polymorphic = "/beta/solutions/backupRestore/restoreSessions?$filter=isof('microsoft.graph.exchangeRestoreSession')&$top=3&$select=id"
  t.equal((await app.inject({ method: 'GET', url: polymorphic, headers: AUTH })).statusCode, 200, polymorphic)
  t.strictSame(tenantSnapshot(app.fixtureStore), before, 'the fixtures are unchanged')
})
