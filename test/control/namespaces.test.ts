// Namespaces as a suite uses them: the URL prefix /_ns/{name} or the X-Graph-Mock-Namespace header,
// each a copy-on-write fork of the seed with its own data, ids and clock. Writes in one namespace,
// to root sets and to the contained collections of seed entities, are seen there (list, $count,
// $filter, by id, the restoreSessions view, $expand) and nowhere else; links keep the prefix; $batch
// runs in the batch's namespace; the limit, a delete and a reset. Whole bodies throughout.

import t, { type Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { expectedError } from '../helper.js'
import { data, POINTS } from '../behaviours/restore-tenant.js'
import { buildApp, type AppOptions } from '../../src/app.js'

const START = '2026-12-01T09:00:00.000Z'
const ROOT = '/beta/solutions/backupRestore'
const SESSIONS = `${ROOT}/exchangeRestoreSessions`
const ORIGIN = 'http://localhost:80'
const BETA = 'https://graph.microsoft.com/beta/$metadata#'
const AUTH = { authorization: 'Bearer test-token' }
const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' }
const ADMIN_JSON = 'application/json; charset=utf-8'
const NS_HEADER = 'x-graph-mock-namespace'

const DRAFT = 'aaaaaaaa-0000-4000-8000-000000000001'
const DONE = 'aaaaaaaa-0000-4000-8000-000000000002'
const A1 = 'bbbbbbbb-0000-4000-8000-000000000001'
const A2 = 'bbbbbbbb-0000-4000-8000-000000000002'
/** The ids a fresh namespace's writes get, in order (SEED 1): the same in every namespace. */
const ID1 = 'c0662f19-1ddb-47b3-92cb-398e4d07565b'
const ID2 = '7a63f40b-0261-48f4-8ba0-ee82b43a6db1'

const OWNER = { application: null, device: null, user: { displayName: 'Megan Bowen', id: '0f6c5b1a-2d3e-4f50-8a9b-1c2d3e4f5a6b' } }
const MOCK_USER = { application: null, device: null, user: { displayName: 'Graph Mock User', id: 'a1b2c3d4-0000-4000-8000-000000000001' } }
const LOADED = '2026-11-30T08:00:00.0000000Z'

function seedArtifact (id: string, point: string): Record<string, unknown> {
  return { id, destinationType: 'new', status: 'added', restorePoint: { id: POINTS[point] }, completionDateTime: null, startDateTime: null, error: null, restoredFolderId: null, restoredFolderName: null, restoredItemCount: null }
}

const TENANT = {
  ...data,
  exchangeRestoreSessions: [
    {
      id: DRAFT,
      status: 'draft',
      restoreJobType: 'standard',
      restoreSessionArtifactCount: { total: 2, completed: 0, inProgress: 0, failed: 0 },
      createdDateTime: LOADED,
      createdBy: OWNER,
      completedDateTime: null,
      lastModifiedDateTime: LOADED,
      lastModifiedBy: OWNER,
      error: null,
      mailboxRestoreArtifacts: [seedArtifact(A1, 'M1old'), seedArtifact(A2, 'M2old')]
    },
    {
      id: DONE,
      status: 'completed',
      restoreJobType: 'standard',
      restoreSessionArtifactCount: { total: 0, completed: 0, inProgress: 0, failed: 0 },
      createdDateTime: LOADED,
      createdBy: OWNER,
      completedDateTime: LOADED,
      lastModifiedDateTime: LOADED,
      lastModifiedBy: OWNER,
      error: null
    }
  ]
}

// buildApp, not the contract-checking build of test/helper.ts: the restore writes answer bodies the
// published contract does not describe (the @delta body, activate's 200).
async function mock (t: Test, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp({ data: TENANT, clockMode: 'manual', clockStart: START, restoreStep: 1000, ...options })
  t.teardown(async () => { await app.close() })
  return app
}

async function get (app: FastifyInstance, url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'GET', url, headers: { ...AUTH, ...headers } })
}

async function send (app: FastifyInstance, method: 'POST' | 'PATCH' | 'DELETE' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return await app.inject({ method, url, headers: { ...(payload === undefined ? AUTH : JSON_AUTH), ...headers }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) })
}

/** A Graph time as the mock writes it, `seconds` after START. */
function at (seconds: number): string {
  return new Date(Date.parse(START) + seconds * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z')
}

/** An Exchange session row as served (no @odata.context). */
function sessionRow (id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.exchangeRestoreSession',
    id,
    status: 'draft',
    restoreJobType: 'standard',
    restoreSessionArtifactCount: { total: 0, completed: 0, inProgress: 0, failed: 0 },
    createdDateTime: at(0),
    createdBy: MOCK_USER,
    completedDateTime: null,
    lastModifiedDateTime: at(0),
    lastModifiedBy: MOCK_USER,
    error: null,
    ...fields
  }
}

const SEED_DRAFT = sessionRow(DRAFT, { restoreSessionArtifactCount: { total: 2, completed: 0, inProgress: 0, failed: 0 }, createdDateTime: LOADED, createdBy: OWNER, lastModifiedDateTime: LOADED, lastModifiedBy: OWNER })
const SEED_DONE = sessionRow(DONE, { status: 'completed', createdDateTime: LOADED, createdBy: OWNER, completedDateTime: LOADED, lastModifiedDateTime: LOADED, lastModifiedBy: OWNER })

function artifactRow (id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.mailboxRestoreArtifact',
    id,
    completionDateTime: null,
    destinationType: 'new',
    error: null,
    startDateTime: null,
    status: 'added',
    restoredFolderId: null,
    restoredFolderName: null,
    restoredItemCount: null,
    ...fields
  }
}

function list (context: string, value: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { '@odata.context': `${BETA}${context}`, ...extra, value }
}

function entity (row: Record<string, unknown>, context = 'solutions/backupRestore/exchangeRestoreSessions/$entity'): Record<string, unknown> {
  return { '@odata.context': `${BETA}${context}`, ...row }
}

const ids = (response: LightMyRequestResponse): unknown[] => response.json<{ value: Array<{ id: unknown }> }>().value.map((row) => row.id)

function notFound (response: LightMyRequestResponse): unknown {
  return expectedError(response, 'RestoreSessionNotFound', 'Restore Session Not Found.')
}

t.test('a create, an update and deletes in one namespace are seen there, in every view, and nowhere else', async (t) => {
  const app = await mock(t)
  const created = await send(app, 'POST', `/_ns/a${SESSIONS}`, {})
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.headers.location, `${ORIGIN}/_ns/a${SESSIONS}('${ID1}')`, 'Location keeps the prefix')
  t.strictSame(created.json(), entity(sessionRow(ID1)))

  const patched = await send(app, 'PATCH', `/_ns/a${SESSIONS}/${ID1}`, { 'mailboxRestoreArtifacts@delta': [{ restorePoint: { id: POINTS.M3old }, destinationType: 'new' }] })
  t.equal(patched.statusCode, 200, patched.body)
  t.strictSame(patched.json(), {
    '@odata.context': `${BETA}solutions/backupRestore/exchangeRestoreSessions/$entity`,
    'mailboxRestoreArtifacts@delta': [{ id: ID2, restorePoint: { id: POINTS.M3old }, destinationType: 'new', status: 'added', createdDateTime: at(0) }]
  })
  const mine = sessionRow(ID1, { restoreSessionArtifactCount: { total: 1, completed: 0, inProgress: 0, failed: 0 } })

  // A seed entity deleted in a.
  const deleted = await send(app, 'DELETE', `/_ns/a${SESSIONS}/${DRAFT}`)
  t.equal(deleted.statusCode, 204, deleted.body)
  t.equal(deleted.body, '')

  t.strictSame((await get(app, `/_ns/a${SESSIONS}`)).json(), list('solutions/backupRestore/exchangeRestoreSessions', [SEED_DONE, mine]), 'a: the list')
  const count = await get(app, `/_ns/a${SESSIONS}/$count`)
  t.equal(count.statusCode, 200)
  t.equal(count.body, '2', 'a: $count')
  t.strictSame((await get(app, `/_ns/a${SESSIONS}?$filter=status eq 'draft'&$count=true`)).json(),
    list('solutions/backupRestore/exchangeRestoreSessions', [mine], { '@odata.count': 1 }), 'a: $filter')
  t.strictSame((await get(app, `/_ns/a${SESSIONS}/${ID1}?$expand=mailboxRestoreArtifacts`)).json(),
    entity({ ...mine, mailboxRestoreArtifacts: [artifactRow(ID2)] }), 'a: by id, expanded')
  t.strictSame((await get(app, `/_ns/a${ROOT}/restoreSessions/${ID1}`)).json(), entity(mine, 'solutions/backupRestore/restoreSessions/$entity'), 'a: through the restoreSessions view')
  t.strictSame(ids(await get(app, `/_ns/a${ROOT}/restoreSessions?$select=id`)), [DONE, ID1], 'a: the restoreSessions view lists it, not the deleted one')
  const gone = await get(app, `/_ns/a${SESSIONS}/${DRAFT}`)
  t.equal(gone.statusCode, 404)
  t.strictSame(gone.json(), notFound(gone), 'a: the deleted seed session is gone')

  for (const [label, prefix, headers] of [['default', '', {}], ['b', '/_ns/b', {}], ['b by header', '', { [NS_HEADER]: 'b' }]] as const) {
    t.strictSame((await get(app, `${prefix}${SESSIONS}`, headers)).json(), list('solutions/backupRestore/exchangeRestoreSessions', [SEED_DRAFT, SEED_DONE]), `${label}: the seed list`)
    t.equal((await get(app, `${prefix}${SESSIONS}/$count`, headers)).body, '2', `${label}: $count`)
    t.strictSame(ids(await get(app, `${prefix}${SESSIONS}?$filter=status eq 'draft'`, headers)), [DRAFT], `${label}: $filter`)
    const missing = await get(app, `${prefix}${SESSIONS}/${ID1}`, headers)
    t.equal(missing.statusCode, 404, `${label}: a's session is not there`)
    t.strictSame(missing.json(), notFound(missing))
    t.strictSame(ids(await get(app, `${prefix}${ROOT}/restoreSessions?$select=id`, headers)), [DRAFT, DONE], `${label}: the restoreSessions view`)
    t.strictSame((await get(app, `${prefix}${SESSIONS}/${DRAFT}?$expand=mailboxRestoreArtifacts`, headers)).json(),
      entity({ ...SEED_DRAFT, mailboxRestoreArtifacts: [artifactRow(A1), artifactRow(A2)] }), `${label}: the seed session deleted in a is still here`)
  }

  const deletedAgain = await send(app, 'DELETE', `/_ns/a${SESSIONS}/${ID1}`)
  t.equal(deletedAgain.statusCode, 204)
  t.strictSame((await get(app, `/_ns/a${SESSIONS}`)).json(), list('solutions/backupRestore/exchangeRestoreSessions', [SEED_DONE]), 'a: its own session deleted too')
})

t.test("writes to a seed session's artifacts, and its whole restore, stay in the namespace", async (t) => {
  const app = await mock(t)
  const seedView = entity({ ...SEED_DRAFT, mailboxRestoreArtifacts: [artifactRow(A1), artifactRow(A2)] })
  const expanded = `${SESSIONS}/${DRAFT}?$expand=mailboxRestoreArtifacts`
  t.strictSame((await get(app, expanded)).json(), seedView, 'the seed as loaded')

  // PATCH @delta: add one mailbox, remove a seed artifact.
  const patched = await send(app, 'PATCH', `/_ns/a${SESSIONS}/${DRAFT}`, {
    'mailboxRestoreArtifacts@delta': [{ restorePoint: { id: POINTS.M3old }, destinationType: 'new' }, { '@removed': { reason: 'changed' }, id: A1 }]
  })
  t.equal(patched.statusCode, 200, patched.body)
  t.strictSame(patched.json(), {
    '@odata.context': `${BETA}solutions/backupRestore/exchangeRestoreSessions/$entity`,
    'mailboxRestoreArtifacts@delta': [{ id: ID1, restorePoint: { id: POINTS.M3old }, destinationType: 'new', status: 'added', createdDateTime: at(0) }]
  })
  // POST on the navigation: the mailbox of the removed artifact again, from its newer restore point.
  const posted = await send(app, 'POST', `/_ns/a${SESSIONS}/${DRAFT}/mailboxRestoreArtifacts`, { restorePoint: { id: POINTS.M1new }, destinationType: 'new' })
  t.equal(posted.statusCode, 201, posted.body)
  t.equal(posted.headers.location, `${ORIGIN}/_ns/a${SESSIONS}('${DRAFT}')/mailboxRestoreArtifacts('${ID2}')`)
  t.strictSame(posted.json(), entity(artifactRow(ID2), `solutions/backupRestore/exchangeRestoreSessions('${DRAFT}')/mailboxRestoreArtifacts/$entity`))
  // DELETE of the other seed artifact.
  const removed = await send(app, 'DELETE', `/_ns/a${SESSIONS}/${DRAFT}/mailboxRestoreArtifacts/${A2}`)
  t.equal(removed.statusCode, 204, removed.body)

  const changed = { ...SEED_DRAFT, restoreSessionArtifactCount: { total: 2, completed: 0, inProgress: 0, failed: 0 }, lastModifiedDateTime: at(0), lastModifiedBy: MOCK_USER }
  t.strictSame((await get(app, `/_ns/a${expanded}`)).json(), entity({ ...changed, mailboxRestoreArtifacts: [artifactRow(ID1), artifactRow(ID2)] }), 'a: the session with its new artifacts')
  t.strictSame((await get(app, `/_ns/a${SESSIONS}/${DRAFT}/mailboxRestoreArtifacts`)).json(),
    list(`solutions/backupRestore/exchangeRestoreSessions('${DRAFT}')/mailboxRestoreArtifacts`, [artifactRow(ID1), artifactRow(ID2)]), 'a: the navigation')
  t.equal((await get(app, `/_ns/a${SESSIONS}/${DRAFT}/mailboxRestoreArtifacts/$count`)).body, '2')
  const deletedHere = await get(app, `/_ns/a${SESSIONS}/${DRAFT}/mailboxRestoreArtifacts/${A2}`)
  t.equal(deletedHere.statusCode, 404, 'a: the deleted seed artifact is gone')
  t.strictSame((await get(app, expanded)).json(), seedView, 'default: the seed session unchanged, $expand included')
  t.strictSame((await get(app, `${SESSIONS}/${DRAFT}/mailboxRestoreArtifacts`)).json(),
    list(`solutions/backupRestore/exchangeRestoreSessions('${DRAFT}')/mailboxRestoreArtifacts`, [artifactRow(A1), artifactRow(A2)]), 'default: the navigation unchanged')
  t.strictSame((await get(app, `/_ns/b${expanded}`)).json(), seedView, 'b: unchanged')

  // Activate in a and run the restore to its end on a's clock.
  const activated = await send(app, 'POST', `/_ns/a${ROOT}/restoreSessions/${DRAFT}/activate`)
  t.equal(activated.statusCode, 200, activated.body)
  t.strictSame(activated.json(), entity({ ...changed, status: 'activating', restoreSessionArtifactCount: { total: 2, completed: 0, inProgress: 2, failed: 0 } }, 'solutions/backupRestore/restoreSessions/$entity'))
  const advanced = await send(app, 'POST', '/_ns/a/__admin/clock/advance', { by: 'PT3S' })
  t.equal(advanced.statusCode, 200)
  t.strictSame(advanced.json(), { mode: 'manual', speed: 1, now: '2026-12-01T09:00:03.000Z', pending: 1 })
  const done = (await get(app, `/_ns/a${expanded}`)).json<{ mailboxRestoreArtifacts: Array<{ restoredFolderId: unknown }> }>()
  const folders = done.mailboxRestoreArtifacts.map((artifact) => artifact.restoredFolderId)
  for (const folder of folders) t.match(folder, /^AAMk[A-Za-z0-9]{40}AAA=$/)
  const finished = { status: 'succeeded', startDateTime: at(2), completionDateTime: at(3), restoredFolderName: 'Restore 2026-12-01' }
  t.strictSame(done, entity({
    ...changed,
    status: 'completed',
    restoreSessionArtifactCount: { total: 2, completed: 2, inProgress: 0, failed: 0 },
    completedDateTime: at(3),
    lastModifiedDateTime: at(3),
    mailboxRestoreArtifacts: [artifactRow(ID1, { ...finished, restoredFolderId: folders[0] }), artifactRow(ID2, { ...finished, restoredFolderId: folders[1] })]
  }), 'a: completed, every artifact succeeded')
  t.strictSame((await get(app, expanded)).json(), seedView, 'default: still the seed')
  t.strictSame((await get(app, `/_ns/b${expanded}`)).json(), seedView, 'b: still the seed')
  t.strictSame((await app.inject({ url: '/__admin/clock' })).json(), { mode: 'manual', speed: 1, now: START, pending: 1 }, "default's clock did not move")

  // b activates the untouched seed draft and runs it: its own copy, from the seed's artifacts.
  const inB = await send(app, 'POST', `${ROOT}/restoreSessions/${DRAFT}/activate`, undefined, { [NS_HEADER]: 'b' })
  t.equal(inB.statusCode, 200, inB.body)
  t.strictSame(inB.json(), entity({ ...SEED_DRAFT, status: 'activating', restoreSessionArtifactCount: { total: 2, completed: 0, inProgress: 2, failed: 0 }, lastModifiedDateTime: at(0), lastModifiedBy: MOCK_USER }, 'solutions/backupRestore/restoreSessions/$entity'))
  t.strictSame((await get(app, `/_ns/b${SESSIONS}/${DRAFT}/mailboxRestoreArtifacts?$select=id,status`)).json<{ value: unknown[] }>().value,
    [{ '@odata.type': '#microsoft.graph.mailboxRestoreArtifact', id: A1, status: 'scheduling' }, { '@odata.type': '#microsoft.graph.mailboxRestoreArtifact', id: A2, status: 'scheduling' }], 'b: the seed artifacts picked up')
  t.equal((await send(app, 'POST', '/_ns/b/__admin/clock/advance', { by: 3000 })).statusCode, 200)
  const inBDone = (await get(app, `/_ns/b${expanded}`)).json<{ mailboxRestoreArtifacts: Array<{ restoredFolderId: unknown }> }>()
  const bFolders = inBDone.mailboxRestoreArtifacts.map((artifact) => artifact.restoredFolderId)
  t.strictSame(inBDone, entity({
    ...SEED_DRAFT,
    status: 'completed',
    restoreSessionArtifactCount: { total: 2, completed: 2, inProgress: 0, failed: 0 },
    completedDateTime: at(3),
    lastModifiedDateTime: at(3),
    lastModifiedBy: MOCK_USER,
    mailboxRestoreArtifacts: [artifactRow(A1, { ...finished, restoredFolderId: bFolders[0] }), artifactRow(A2, { ...finished, restoredFolderId: bFolders[1] })]
  }), 'b: completed from the seed artifacts')
  t.strictSame((await get(app, expanded)).json(), seedView, 'default: still the seed after both restores')
  t.strictSame((await get(app, `/_ns/c${expanded}`)).json(), seedView, 'a namespace made now starts from the seed')
})

t.test('ids are deterministic per namespace: the same requests in two fresh namespaces give the same ids', async (t) => {
  const app = await mock(t)
  const run = async (prefix: string): Promise<unknown[]> => {
    const created = await send(app, 'POST', `${prefix}${SESSIONS}`, { mailboxRestoreArtifacts: [{ restorePoint: { id: POINTS.M1old }, destinationType: 'new' }] })
    const id = created.json<{ id: string }>().id
    const patched = await send(app, 'PATCH', `${prefix}${SESSIONS}/${id}`, { 'mailboxRestoreArtifacts@delta': [{ restorePoint: { id: POINTS.M2old }, destinationType: 'new' }] })
    const posted = await send(app, 'POST', `${prefix}${SESSIONS}/${DRAFT}/mailboxRestoreArtifacts`, { restorePoint: { id: POINTS.M3old }, destinationType: 'new' })
    return [created.statusCode, id, ...ids(await get(app, `${prefix}${SESSIONS}/${id}/mailboxRestoreArtifacts`)), patched.statusCode, posted.statusCode, posted.json<{ id: string }>().id]
  }
  const x = await run('/_ns/x')
  t.equal(x[1], ID1)
  const y = await run('/_ns/y')
  t.strictSame(y, x, 'y got the ids x got')
  t.strictSame(x.slice(0, 1).concat(x.slice(4, 6)), [201, 200, 201])
  t.strictSame(ids(await get(app, `/_ns/x${SESSIONS}?$select=id`)), [DRAFT, DONE, ID1])
  t.strictSame(ids(await get(app, `/_ns/y${SESSIONS}?$select=id`)), [DRAFT, DONE, ID1])
  t.equal((await send(app, 'DELETE', '/__admin/namespaces/x')).statusCode, 204)
  t.strictSame(await run('/_ns/x'), x, 'a namespace made again after a delete starts its ids again')
})

t.test('nextLinks keep the prefix, and following one pages through the namespace', async (t) => {
  const app = await mock(t)
  t.equal((await send(app, 'POST', `/_ns/a${SESSIONS}`, {})).statusCode, 201)
  const first = await get(app, `/_ns/a${ROOT}/restoreSessions?$select=id&$top=2`)
  const body = first.json<{ '@odata.nextLink': string }>()
  const next = body['@odata.nextLink']
  t.match(next, /^http:\/\/localhost:80\/_ns\/a\/beta\/solutions\/backupRestore\/restoreSessions\?\$select=id&\$top=2&\$skiptoken=[^&]+$/)
  t.strictSame(body, list('solutions/backupRestore/restoreSessions(id)', [
    { '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: DRAFT },
    { '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: DONE }
  ], { '@odata.nextLink': next }))
  const second = await get(app, next.slice(ORIGIN.length))
  t.equal(second.statusCode, 200)
  t.strictSame(second.json(), list('solutions/backupRestore/restoreSessions(id)', [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: ID1 }]), "the second page holds a's own session")
  const byHeader = await get(app, `${SESSIONS}?$select=id&$top=1`, { [NS_HEADER]: 'a' })
  t.match(byHeader.json<{ '@odata.nextLink': string }>()['@odata.nextLink'], /^http:\/\/localhost:80\/beta\/solutions\/backupRestore\/exchangeRestoreSessions\?/, 'a namespace named by header: links as sent, without a prefix')
})

t.test('the header selects a namespace; a prefix and a header must agree; names are checked', async (t) => {
  const app = await mock(t)
  t.equal((await send(app, 'POST', SESSIONS, {}, { [NS_HEADER]: 'a' })).statusCode, 201)
  t.strictSame(ids(await get(app, `/_ns/a${SESSIONS}?$select=id`)), [DRAFT, DONE, ID1], 'written by header, read by prefix')
  t.strictSame(ids(await get(app, `/_ns/a${SESSIONS}?$select=id`, { [NS_HEADER]: 'a' })), [DRAFT, DONE, ID1], 'both, naming the same one')
  t.strictSame(ids(await get(app, `${SESSIONS}?$select=id`, { [NS_HEADER]: 'default' })), [DRAFT, DONE], 'the default namespace by its name')

  const conflict = await get(app, `/_ns/a${SESSIONS}`, { [NS_HEADER]: 'b' })
  t.equal(conflict.statusCode, 400)
  t.equal(conflict.headers['content-type'], ADMIN_JSON)
  t.strictSame(conflict.json(), { error: { code: 'namespaceConflict', message: "the URL names namespace 'a' and the x-graph-mock-namespace header names 'b'; name one" } })

  const cases: Array<[string, Record<string, string>, string]> = [
    ['/_ns/-a', {}, "the URL prefix /_ns/ '-a' is not a namespace name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"],
    ['/_ns/', {}, "the URL prefix /_ns/ '' is not a namespace name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"],
    [`/_ns/${'n'.repeat(65)}`, {}, `the URL prefix /_ns/ '${'n'.repeat(65)}' is not a namespace name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`],
    ['/_ns/a%20b', {}, "the URL prefix /_ns/ 'a b' is not a namespace name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"],
    ['', { [NS_HEADER]: 'team/1' }, "the x-graph-mock-namespace header 'team/1' is not a namespace name: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"]
  ]
  for (const [prefix, headers, message] of cases) {
    const response = await get(app, `${prefix}${SESSIONS}`, headers)
    t.equal(response.statusCode, 400, `${prefix} ${JSON.stringify(headers)}`)
    t.equal(response.headers['content-type'], ADMIN_JSON)
    t.strictSame(response.json(), { error: { code: 'invalidRequest', message } })
  }
  t.strictSame((await app.inject({ url: '/__admin/namespaces' })).json<{ namespaces: Array<{ name: string }> }>().namespaces.map((n) => n.name), ['default', 'a'], 'no namespace made by the refused requests')
  t.strictSame((await app.inject({ url: '/__admin/requests?method=GET' })).json<{ requests: Array<{ url: string }> }>().requests.map((entry) => entry.url),
    [`${SESSIONS}?$select=id`], "the refused requests are in no journal, not even the default namespace's")
  t.strictSame(ids(await get(app, `/_ns/a.b_c-1${SESSIONS}?$select=id`)), [DRAFT, DONE], "a name with '.', '_' and '-'")
})

t.test('MAX_NAMESPACES: past it a new name is 409; a deleted one makes room, and comes back fresh', async (t) => {
  const app = await mock(t, { maxNamespaces: 3 })
  t.equal((await send(app, 'POST', `/_ns/a${SESSIONS}`, {})).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: '/_ns/a/__admin/clock/advance', payload: { by: 'PT1H' } })).statusCode, 200)
  t.equal((await get(app, `/_ns/b${SESSIONS}`)).statusCode, 200)
  const limitBody = { error: { code: 'namespaceLimitReached', message: 'the mock already holds 3 namespaces, its limit (MAX_NAMESPACES); delete some with DELETE /__admin/namespaces/{name} (a reset keeps them)' } }
  for (const [url, headers] of [[`/_ns/c${SESSIONS}`, {}], [SESSIONS, { [NS_HEADER]: 'c' }], ['/_ns/c/__admin/clock', {}]] as const) {
    const refused = await get(app, url, headers)
    t.equal(refused.statusCode, 409, url)
    t.equal(refused.headers['content-type'], ADMIN_JSON)
    t.strictSame(refused.json(), limitBody)
  }
  t.equal((await get(app, SESSIONS)).statusCode, 200, 'the default namespace still answers')
  t.equal((await get(app, `/_ns/a${SESSIONS}`)).statusCode, 200, 'and so do the ones there are')

  const listed = await app.inject({ url: '/__admin/namespaces' })
  t.equal(listed.statusCode, 200)
  t.strictSame(listed.json(), {
    namespaces: [
      { name: 'default', clock: { mode: 'manual', speed: 1, now: START, pending: 1 }, requests: 1, dropped: 0, faults: 0 },
      { name: 'a', clock: { mode: 'manual', speed: 1, now: '2026-12-01T10:00:00.000Z', pending: 1 }, requests: 2, dropped: 0, faults: 0 },
      { name: 'b', clock: { mode: 'manual', speed: 1, now: START, pending: 1 }, requests: 1, dropped: 0, faults: 0 }
    ],
    limit: 3
  })

  const deleted = await app.inject({ method: 'DELETE', url: '/__admin/namespaces/a' })
  t.equal(deleted.statusCode, 204)
  t.equal(deleted.body, '')
  const missing = await app.inject({ url: '/__admin/namespaces/a' })
  t.equal(missing.statusCode, 404)
  t.strictSame(missing.json(), { error: { code: 'namespaceNotFound', message: "there is no namespace 'a'; a namespace is made by its first request" } })
  const again = await app.inject({ method: 'DELETE', url: '/__admin/namespaces/a' })
  t.equal(again.statusCode, 404)
  t.strictSame(again.json(), missing.json())

  t.strictSame(ids(await get(app, `/_ns/a${SESSIONS}?$select=id`)), [DRAFT, DONE], 'a made again: the seed, not what it wrote')
  t.strictSame((await app.inject({ url: '/__admin/namespaces/a' })).json(), { name: 'a', clock: { mode: 'manual', speed: 1, now: START, pending: 1 }, requests: 1, dropped: 0, faults: 0 }, 'its clock and journal from the start')
  t.equal((await get(app, `/_ns/c${SESSIONS}`)).statusCode, 409, 'still full')
  const defaultDeleted = await app.inject({ method: 'DELETE', url: '/__admin/namespaces/default' })
  t.equal(defaultDeleted.statusCode, 204, 'the default namespace is reset instead')
  t.strictSame((await app.inject({ url: '/__admin/namespaces/default' })).json(), { name: 'default', clock: { mode: 'manual', speed: 1, now: START, pending: 1 }, requests: 0, dropped: 0, faults: 0 })
})

t.test('$batch runs its items in the namespace it was posted to', async (t) => {
  const app = await mock(t)
  const batch = {
    requests: [
      { id: '1', method: 'POST', url: '/solutions/backupRestore/exchangeRestoreSessions', headers: { 'content-type': 'application/json' }, body: {} },
      { id: '2', method: 'DELETE', url: `/solutions/backupRestore/exchangeRestoreSessions/${DRAFT}`, dependsOn: ['1'] }
    ]
  }
  const byPrefix = await send(app, 'POST', '/_ns/a/beta/$batch', batch)
  t.equal(byPrefix.statusCode, 200, byPrefix.body)
  const answers = byPrefix.json<{ responses: Array<{ id: string, status: number, headers: Record<string, string>, body?: unknown }> }>().responses
  t.strictSame(answers.map((answer) => [answer.id, answer.status]), [['1', 201], ['2', 204]])
  t.equal(answers[0]?.headers.Location, `${ORIGIN}/_ns/a${SESSIONS}('${ID1}')`, "the item's Location keeps the prefix")
  t.strictSame(answers[0]?.body, entity(sessionRow(ID1)))
  t.strictSame(ids(await get(app, `/_ns/a${SESSIONS}?$select=id`)), [DONE, ID1], 'a: created and deleted')
  t.strictSame(ids(await get(app, `${SESSIONS}?$select=id`)), [DRAFT, DONE], 'default: untouched')

  const byHeader = await send(app, 'POST', '/beta/$batch', { requests: [{ id: '1', method: 'DELETE', url: `/solutions/backupRestore/exchangeRestoreSessions/${DRAFT}` }] }, { [NS_HEADER]: 'b' })
  t.equal(byHeader.statusCode, 200, byHeader.body)
  t.strictSame(byHeader.json<{ responses: Array<{ status: number }> }>().responses.map((answer) => answer.status), [204])
  t.strictSame(ids(await get(app, `/_ns/b${SESSIONS}?$select=id`)), [DONE], 'b: deleted there')
  t.strictSame(ids(await get(app, `/_ns/a${SESSIONS}?$select=id`)), [DONE, ID1], 'a: untouched by b')
  t.strictSame(ids(await get(app, `${SESSIONS}?$select=id`)), [DRAFT, DONE], 'default: untouched by b')
  const journal = (await app.inject({ url: '/_ns/a/__admin/requests?method=POST' })).json<{ requests: Array<{ url: string, namespace: string }> }>().requests
  t.strictSame(journal.map((entry) => [entry.namespace, entry.url]), [['a', `/_ns/a${SESSIONS}`], ['a', '/_ns/a/beta/$batch']], "a's journal: the POST item, then the batch (in the order they were answered)")
})

t.test("each namespace's clock is its own", async (t) => {
  const app = await mock(t)
  const advanced = await app.inject({ method: 'POST', url: '/_ns/a/__admin/clock/advance', payload: { by: 'PT2H' } })
  t.strictSame(advanced.json(), { mode: 'manual', speed: 1, now: '2026-12-01T11:00:00.000Z', pending: 1 })
  const byHeader = await app.inject({ url: '/__admin/clock', headers: { [NS_HEADER]: 'a' } })
  t.strictSame(byHeader.json(), advanced.json(), "a's clock, by header")
  t.strictSame((await app.inject({ url: '/_ns/b/__admin/clock' })).json(), { mode: 'manual', speed: 1, now: START, pending: 1 }, 'b unchanged')
  t.strictSame((await app.inject({ url: '/__admin/clock' })).json(), { mode: 'manual', speed: 1, now: START, pending: 1 }, 'default unchanged')
  // Two hours on a's clock also gave its protected units new restore points (ids of its sequence).
  const inA = await send(app, 'POST', `/_ns/a${SESSIONS}`, {})
  const idInA = inA.json<{ id: string }>().id
  t.strictSame(inA.json(), entity(sessionRow(idInA, { createdDateTime: at(7200), lastModifiedDateTime: at(7200) })), "a write in a is stamped with a's time")
  const inB = await send(app, 'POST', `/_ns/b${SESSIONS}`, {})
  t.strictSame(inB.json(), entity(sessionRow(ID1)), "b's with b's")
  const set = await app.inject({ method: 'PUT', url: '/_ns/b/__admin/clock', payload: { now: '2026-12-24T00:00:00Z' } })
  t.strictSame(set.json(), { mode: 'manual', speed: 1, now: '2026-12-24T00:00:00.000Z', pending: 1 })
  t.strictSame((await app.inject({ url: '/_ns/a/__admin/clock' })).json(), advanced.json(), 'a unchanged by b')
})

t.test('a reset of one namespace leaves the others; a reset naming none resets all, and keeps them', async (t) => {
  const app = await mock(t)
  for (const prefix of ['', '/_ns/a', '/_ns/b']) {
    t.equal((await send(app, 'DELETE', `${prefix}${SESSIONS}/${DRAFT}`)).statusCode, 204)
    t.equal((await app.inject({ method: 'POST', url: `${prefix}/__admin/clock/advance`, payload: { by: 'PT1M' } })).statusCode, 200)
    t.equal((await app.inject({ method: 'POST', url: `${prefix}/__admin/faults`, payload: { match: { method: 'PATCH' }, respond: { status: 503 } } })).statusCode, 201)
  }
  const one = await app.inject({ method: 'POST', url: '/_ns/a/__admin/reset' })
  t.equal(one.statusCode, 200)
  t.equal(one.headers['content-type'], ADMIN_JSON)
  t.strictSame(one.json(), { reset: ['a'] })
  t.strictSame(ids(await get(app, `/_ns/a${SESSIONS}?$select=id`)), [DRAFT, DONE], 'a: the seed again')
  t.strictSame((await app.inject({ url: '/__admin/namespaces/a' })).json(), { name: 'a', clock: { mode: 'manual', speed: 1, now: START, pending: 1 }, requests: 1, dropped: 0, faults: 0 }, 'a: clock, journal and faults from the start')
  t.strictSame(ids(await get(app, `/_ns/b${SESSIONS}?$select=id`)), [DONE], 'b: still its delete')
  t.strictSame(ids(await get(app, `${SESSIONS}?$select=id`)), [DONE], 'default: still its delete')
  const byHeader = await app.inject({ method: 'POST', url: '/__admin/reset', headers: { [NS_HEADER]: 'b' } })
  t.strictSame(byHeader.json(), { reset: ['b'] }, 'named by header')
  t.strictSame(ids(await get(app, `/_ns/b${SESSIONS}?$select=id`)), [DRAFT, DONE], 'b: the seed again')
  t.strictSame(ids(await get(app, `${SESSIONS}?$select=id`)), [DONE], 'default: still its delete')

  const all = await app.inject({ method: 'POST', url: '/__admin/reset' })
  t.equal(all.statusCode, 200)
  t.strictSame(all.json(), { reset: ['default', 'a', 'b'] })
  for (const prefix of ['', '/_ns/a', '/_ns/b']) t.strictSame(ids(await get(app, `${prefix}${SESSIONS}?$select=id`)), [DRAFT, DONE], `${prefix || 'default'}: the seed`)
  t.strictSame((await app.inject({ url: '/__admin/namespaces' })).json(), {
    namespaces: ['default', 'a', 'b'].map((name) => ({ name, clock: { mode: 'manual', speed: 1, now: START, pending: 1 }, requests: 1, dropped: 0, faults: 0 })),
    limit: 10000
  }, 'every namespace kept, each from the start')
})
