// What the model-driven routes serve beyond the one set the mock used to have: contained sets and
// references (with $expand), polymorphic sets with their casts and isof(), the root, `%24count` and
// GUID keys in any case. Whole bodies, on data built here.

import t from 'tap'
import { AUTH, build, CONTEXT, expectedError, LIST, ODATA_JSON, session } from '../helper.js'

const ROOT = '/beta/solutions/backupRestore'
const METADATA = 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore'
const SESSION = '5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31'
const POINT = '22222222-2222-4222-8222-222222222222'
const UNIT = '33333333-3333-4333-8333-333333333333'
const POLICY = '44444444-4444-4444-8444-444444444444'
const SHAREPOINT = '55555555-5555-4555-8555-555555555555'
const ARTIFACT = '66666666-6666-4666-8666-666666666666'

const sessionRecord = session(SESSION)

/** A small tenant: one Exchange policy, unit and restore point, a session restoring it, a SharePoint session. */
const data = {
  exchangeProtectionPolicies: [{ id: POLICY, displayName: 'Mail', status: 'active', mailboxProtectionUnits: [{ id: UNIT }] }],
  mailboxProtectionUnits: [{ id: UNIT, policyId: POLICY, status: 'protected', directoryObjectId: 'a3f1c2d4-0000-4000-8000-000000000001' }],
  restorePoints: [{ id: POINT, protectionDateTime: '2026-11-30T10:00:00Z', protectionUnit: { id: UNIT } }],
  exchangeRestoreSessions: [{ ...sessionRecord, mailboxRestoreArtifacts: [{ id: ARTIFACT, status: 'added', restorePoint: { id: POINT } }] }],
  sharePointRestoreSessions: [{ id: SHAREPOINT, status: 'completed' }]
}

const artifact = {
  '@odata.type': '#microsoft.graph.mailboxRestoreArtifact',
  id: ARTIFACT,
  completionDateTime: null,
  destinationType: null,
  error: null,
  startDateTime: null,
  status: 'added',
  restoredFolderId: null,
  restoredFolderName: null,
  restoredItemCount: null
}

const restorePoint = {
  '@odata.type': '#microsoft.graph.restorePoint',
  id: POINT,
  expirationDateTime: null,
  protectionDateTime: '2026-11-30T10:00:00Z',
  tags: null
}

const protectionUnit = {
  '@odata.type': '#microsoft.graph.mailboxProtectionUnit',
  id: UNIT,
  createdBy: null,
  createdDateTime: null,
  error: null,
  lastModifiedBy: null,
  lastModifiedDateTime: null,
  offboardRequestedDateTime: null,
  policyId: POLICY,
  protectionSources: null,
  status: 'protected',
  directoryObjectId: 'a3f1c2d4-0000-4000-8000-000000000001',
  displayName: null,
  email: null,
  mailboxType: null
}

const ARTIFACTS = `${LIST}/${SESSION}/mailboxRestoreArtifacts`

t.test('a contained collection, its items and a reference below them, formerly not served, are served', async (t) => {
  const app = await build(t, { data })
  const list = await app.inject({ method: 'GET', url: ARTIFACTS, headers: AUTH })
  t.equal(list.statusCode, 200)
  t.equal(list.headers['content-type'], ODATA_JSON)
  t.strictSame(list.json(), { '@odata.context': `${CONTEXT}('${SESSION}')/mailboxRestoreArtifacts`, value: [artifact] })

  const item = await app.inject({ method: 'GET', url: `${ARTIFACTS}/${ARTIFACT}`, headers: AUTH })
  t.equal(item.statusCode, 200)
  t.strictSame(item.json(), { '@odata.context': `${CONTEXT}('${SESSION}')/mailboxRestoreArtifacts/$entity`, ...artifact })

  const point = await app.inject({ method: 'GET', url: `${ARTIFACTS}/${ARTIFACT}/restorePoint`, headers: AUTH })
  t.equal(point.statusCode, 200)
  t.strictSame(point.json(), { '@odata.context': `${CONTEXT}('${SESSION}')/mailboxRestoreArtifacts('${ARTIFACT}')/restorePoint/$entity`, ...restorePoint })
})

t.test('the root singleton', async (t) => {
  const app = await build(t, { data })
  const response = await app.inject({ method: 'GET', url: ROOT, headers: AUTH })
  t.equal(response.statusCode, 200)
  t.strictSame(response.json(), {
    '@odata.context': `${METADATA}/$entity`,
    '@odata.type': '#microsoft.graph.backupRestoreRoot',
    id: 'backupRestore',
    serviceStatus: null
  })
})

t.test('%24count in a path is $count', async (t) => {
  const app = await build(t, { data })
  for (const [url, count] of [[`${LIST}/%24count`, '1'], [`${LIST}/%24count?$filter=status eq 'draft'`, '0'], [`${ARTIFACTS}/%24count`, '1'], [`${ROOT}/restoreSessions/%24count`, '2']] as const) {
    const response = await app.inject({ method: 'GET', url, headers: AUTH })
    t.equal(response.statusCode, 200, url)
    t.equal(response.headers['content-type'], 'text/plain;charset=utf-8', url)
    t.equal(response.body, count, url)
  }
})

t.test('GUID keys match whatever their case, and the body keeps the stored id', async (t) => {
  const app = await build(t, { data })
  const expected = { '@odata.context': `${CONTEXT}/$entity`, '@odata.type': '#microsoft.graph.exchangeRestoreSession', ...sessionRecord }
  for (const url of [`${LIST}/${SESSION.toUpperCase()}`, `${LIST}('${SESSION.toUpperCase()}')`, `${LIST}/5B8E1f2a-8D6C-4c1e-9F3A-2b7d6e5c4a31`]) {
    const response = await app.inject({ method: 'GET', url, headers: AUTH })
    t.equal(response.statusCode, 200, url)
    t.strictSame(response.json(), expected, url)
  }
  const nested = await app.inject({ method: 'GET', url: `${LIST}/${SESSION.toUpperCase()}/mailboxRestoreArtifacts/${ARTIFACT.toUpperCase()}?$select=id`, headers: AUTH })
  t.equal(nested.statusCode, 200)
  t.strictSame(nested.json(), {
    '@odata.context': `${CONTEXT}('${SESSION.toUpperCase()}')/mailboxRestoreArtifacts(id)/$entity`,
    '@odata.type': '#microsoft.graph.mailboxRestoreArtifact',
    id: ARTIFACT
  })
})

t.test('$expand: a contained collection, a reference with a nested $select, and a reference to a derived type', async (t) => {
  const app = await build(t, { data })
  const expanded = await app.inject({ method: 'GET', url: `${LIST}/${SESSION}?$select=id,status&$expand=mailboxRestoreArtifacts`, headers: AUTH })
  t.equal(expanded.statusCode, 200)
  t.strictSame(expanded.json(), {
    '@odata.context': `${CONTEXT}(id,status)/$entity`,
    '@odata.type': '#microsoft.graph.exchangeRestoreSession',
    id: SESSION,
    status: 'active',
    mailboxRestoreArtifacts: [artifact]
  })

  const listed = await app.inject({ method: 'GET', url: `${LIST}?$select=id&$expand=mailboxRestoreArtifacts($select=id,status)`, headers: AUTH })
  t.equal(listed.statusCode, 200)
  t.strictSame(listed.json(), {
    '@odata.context': `${CONTEXT}(id)`,
    value: [{
      '@odata.type': '#microsoft.graph.exchangeRestoreSession',
      id: SESSION,
      mailboxRestoreArtifacts: [{ '@odata.type': '#microsoft.graph.mailboxRestoreArtifact', id: ARTIFACT, status: 'added' }]
    }]
  })

  const points = await app.inject({ method: 'GET', url: `${ARTIFACTS}?$expand=restorePoint($select=id)`, headers: AUTH })
  t.equal(points.statusCode, 200)
  t.strictSame(points.json(), {
    '@odata.context': `${CONTEXT}('${SESSION}')/mailboxRestoreArtifacts`,
    value: [{ ...artifact, restorePoint: { '@odata.type': '#microsoft.graph.restorePoint', id: POINT } }]
  })

  const unit = await app.inject({ method: 'GET', url: `${ROOT}/restorePoints/${POINT}?$expand=protectionUnit`, headers: AUTH })
  t.equal(unit.statusCode, 200)
  t.strictSame(unit.json(), { '@odata.context': `${METADATA}/restorePoints/$entity`, ...restorePoint, protectionUnit })
})

t.test('$expand on the bundled tenant: every artifact\'s restorePoint is the one it refers to', async (t) => {
  const app = await build(t)
  const sessions = app.fixtureStore.root.collections.get('exchangeRestoreSessions')
  const withArtifacts = sessions?.entities.find((entity) => (entity.collections.get('mailboxRestoreArtifacts')?.size ?? 0) > 0)
  if (withArtifacts === undefined) throw new Error('the bundled tenant has a session with mailbox artifacts')
  const stored = withArtifacts.collections.get('mailboxRestoreArtifacts')?.entities ?? []
  const id = String(withArtifacts.row.id)
  const response = await app.inject({ method: 'GET', url: `${LIST}/${id}?$select=id&$expand=mailboxRestoreArtifacts($select=id)`, headers: AUTH })
  t.equal(response.statusCode, 200)
  t.strictSame(response.json(), {
    '@odata.context': `${CONTEXT}(id)/$entity`,
    '@odata.type': '#microsoft.graph.exchangeRestoreSession',
    id,
    mailboxRestoreArtifacts: stored.map((entity) => ({ '@odata.type': '#microsoft.graph.mailboxRestoreArtifact', id: entity.row.id }))
  })
  const points = await app.inject({ method: 'GET', url: `${LIST}/${id}/mailboxRestoreArtifacts?$select=id&$expand=restorePoint($select=id)&$top=999`, headers: AUTH })
  t.equal(points.statusCode, 200)
  t.strictSame(points.json<{ value: unknown[] }>().value, stored.map((entity) => ({
    '@odata.type': '#microsoft.graph.mailboxRestoreArtifact',
    id: entity.row.id,
    restorePoint: { '@odata.type': '#microsoft.graph.restorePoint', id: entity.refs.get('restorePoint') }
  })))
})

t.test('a polymorphic set serves every derived type, each with its own @odata.type', async (t) => {
  const app = await build(t, { data })
  const response = await app.inject({ method: 'GET', url: `${ROOT}/restoreSessions?$select=id,status`, headers: AUTH })
  t.equal(response.statusCode, 200)
  t.strictSame(response.json(), {
    '@odata.context': `${METADATA}/restoreSessions(id,status)`,
    value: [
      { '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: SESSION, status: 'active' },
      { '@odata.type': '#microsoft.graph.sharePointRestoreSession', id: SHAREPOINT, status: 'completed' }
    ]
  })
  const one = await app.inject({ method: 'GET', url: `${ROOT}/restoreSessions/${SHAREPOINT}?$select=id`, headers: AUTH })
  t.equal(one.statusCode, 200)
  t.strictSame(one.json(), { '@odata.context': `${METADATA}/restoreSessions(id)/$entity`, '@odata.type': '#microsoft.graph.sharePointRestoreSession', id: SHAREPOINT })
})

t.test('isof() in $filter narrows a polymorphic set', async (t) => {
  const app = await build(t, { data })
  const cases: Array<[string, unknown[]]> = [
    ["isof('microsoft.graph.sharePointRestoreSession')", [{ '@odata.type': '#microsoft.graph.sharePointRestoreSession', id: SHAREPOINT }]],
    ["isof('microsoft.graph.exchangeRestoreSession')", [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: SESSION }]],
    ["not isof('microsoft.graph.exchangeRestoreSession')", [{ '@odata.type': '#microsoft.graph.sharePointRestoreSession', id: SHAREPOINT }]],
    ["isof('microsoft.graph.restoreSessionBase')", [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: SESSION }, { '@odata.type': '#microsoft.graph.sharePointRestoreSession', id: SHAREPOINT }]],
    ["isof('microsoft.graph.oneDriveForBusinessRestoreSession')", []]
  ]
  for (const [filter, value] of cases) {
    const response = await app.inject({ method: 'GET', url: `${ROOT}/restoreSessions?$filter=${filter}&$select=id`, headers: AUTH })
    t.equal(response.statusCode, 200, filter)
    t.strictSame(response.json(), { '@odata.context': `${METADATA}/restoreSessions(id)`, value }, filter)
  }
  const counted = await app.inject({ method: 'GET', url: `${ROOT}/restoreSessions/$count?$filter=isof('microsoft.graph.sharePointRestoreSession')`, headers: AUTH })
  t.equal(counted.body, '1', '/$count with isof')

  const errors: Array<[string, string]> = [
    ["isof('microsoft.graph.nope')", "The type 'microsoft.graph.nope' is not defined in the model."],
    ['isof(status)', "No function signature for the function with name 'isof' matches the specified arguments. The function signatures considered are: isof(Edm.String)."]
  ]
  for (const [filter, message] of errors) {
    const response = await app.inject({ method: 'GET', url: `${ROOT}/restoreSessions?$filter=${filter}`, headers: AUTH })
    t.equal(response.statusCode, 400, filter)
    t.strictSame(response.json(), expectedError(response, 'BadRequest', message), filter)
  }
})

t.test('a type-cast segment narrows a polymorphic set and addresses one entity as its type', async (t) => {
  const app = await build(t, { data })
  const cast = `${ROOT}/restoreSessions/microsoft.graph.exchangeRestoreSession`
  const listed = await app.inject({ method: 'GET', url: `${cast}?$select=id,restoreJobType`, headers: AUTH })
  t.equal(listed.statusCode, 200)
  t.strictSame(listed.json(), {
    '@odata.context': `${METADATA}/restoreSessions/microsoft.graph.exchangeRestoreSession(id,restoreJobType)`,
    value: [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: SESSION, restoreJobType: 'standard' }]
  })
  const counted = await app.inject({ method: 'GET', url: `${cast}/$count`, headers: AUTH })
  t.equal(counted.statusCode, 200)
  t.equal(counted.body, '1')

  const entity = await app.inject({ method: 'GET', url: `${ROOT}/restoreSessions/${SHAREPOINT}/microsoft.graph.sharePointRestoreSession?$select=id`, headers: AUTH })
  t.equal(entity.statusCode, 200)
  t.strictSame(entity.json(), {
    '@odata.context': `${METADATA}/restoreSessions('${SHAREPOINT}')/microsoft.graph.sharePointRestoreSession(id)/$entity`,
    '@odata.type': '#microsoft.graph.sharePointRestoreSession',
    id: SHAREPOINT
  })
  const wrong = await app.inject({ method: 'GET', url: `${ROOT}/restoreSessions/${SHAREPOINT}/microsoft.graph.exchangeRestoreSession`, headers: AUTH })
  t.equal(wrong.statusCode, 404, 'an entity of another type')
  t.strictSame(wrong.json(), expectedError(wrong, 'RestoreSessionNotFound', 'Restore Session Not Found.'))
})

t.test('a nested $select is checked before any row is read: an empty page gets the same 400', async (t) => {
  const app = await build(t, { data })
  const message = "Parsing OData Select and Expand failed: Could not find a property named 'nope' on type 'microsoft.graph.mailboxRestoreArtifact'."
  const urls = [
    `${LIST}?$expand=mailboxRestoreArtifacts($select=nope)`,
    `${LIST}?$top=0&$expand=mailboxRestoreArtifacts($select=nope)`,
    `${LIST}?$filter=status eq 'draft'&$expand=mailboxRestoreArtifacts($select=nope)`,
    `${LIST}/${SESSION}?$expand=mailboxRestoreArtifacts($select=nope)`
  ]
  for (const url of urls) {
    const response = await app.inject({ method: 'GET', url, headers: AUTH })
    t.equal(response.statusCode, 400, url)
    t.strictSame(response.json(), expectedError(response, 'BadRequest', message), url)
  }
})
