// The tenant store: records of every set, contained records inline or in files of their own,
// references between them, polymorphic views, and one clear error per broken fixture.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { loadFixtures, storeFromData, type FixtureStore } from '../../src/store/index.js'

const SESSION = '11111111-1111-4111-8111-111111111111'
const POINT = '22222222-2222-4222-8222-222222222222'
const UNIT = '33333333-3333-4333-8333-333333333333'
const POLICY = '44444444-4444-4444-8444-444444444444'
const SHAREPOINT = '55555555-5555-4555-8555-555555555555'

function tenant (): Record<string, unknown> {
  return {
    exchangeProtectionPolicies: [{ id: POLICY, displayName: 'Mail', status: 'active', mailboxProtectionUnits: [{ id: UNIT }] }],
    mailboxProtectionUnits: [{ id: UNIT, policyId: POLICY, status: 'protected', directoryObjectId: 'u1' }],
    restorePoints: [{ id: POINT, protectionDateTime: '2026-11-30T10:00:00Z', protectionUnit: { id: UNIT } }],
    exchangeRestoreSessions: [{ id: SESSION, status: 'draft', mailboxRestoreArtifacts: [{ id: 'a1', status: 'added', restorePoint: { id: POINT } }] }],
    sharePointRestoreSessions: [{ id: SHAREPOINT, status: 'completed' }]
  }
}

function problem (data: Record<string, unknown>): string {
  try {
    storeFromData(data)
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
  return 'no error'
}

t.test('a coherent tenant loads: stored sets, views over them, contained records and references', async (t) => {
  const store: FixtureStore = storeFromData(tenant())
  const sets = store.root.collections
  t.equal(sets.get('exchangeRestoreSessions')?.size, 1)
  t.strictSame(sets.get('restoreSessions')?.entities.map((e) => [e.type, e.row.id]), [
    ['microsoft.graph.exchangeRestoreSession', SESSION],
    ['microsoft.graph.sharePointRestoreSession', SHAREPOINT]
  ], 'restoreSessions is the union of the workload sets, each row with its own type')
  t.equal(sets.get('protectionUnits')?.byId(UNIT.toUpperCase())?.type, 'microsoft.graph.mailboxProtectionUnit', 'ids match case-insensitively')
  const artifact = sets.get('exchangeRestoreSessions')?.byId(SESSION)?.collections.get('mailboxRestoreArtifacts')?.byId('a1')
  t.equal(artifact?.refs.get('restorePoint'), POINT)
  t.notOk(Object.hasOwn(artifact?.row ?? {}, 'restorePoint'), 'a navigation is not a structural property of the row')
  t.equal(store.root.row.id, 'backupRestore', 'a tenant without a root file gets a root')
})

t.test('every broken reference stops loading, naming the source, the record and the property', async (t) => {
  const data = tenant()
  data.restorePoints = [{ id: POINT, protectionUnit: { id: 'nope' } }]
  t.equal(problem(data), "data.restorePoints: record 0 (id 22222222-2222-4222-8222-222222222222): property /protectionUnit/id refers to protectionUnitBase 'nope', which is not in protectionUnits")
  const artifactless = tenant()
  artifactless.restorePoints = []
  t.equal(problem(artifactless), "data.exchangeRestoreSessions: record 0 (id 11111111-1111-4111-8111-111111111111): property /mailboxRestoreArtifacts/0/restorePoint/id refers to restorePoint '22222222-2222-4222-8222-222222222222', which is not in restorePoints")
  const orphan = tenant()
  orphan.exchangeProtectionPolicies = []
  t.equal(problem(orphan), "data.mailboxProtectionUnits: record 0 (id 33333333-3333-4333-8333-333333333333): property /policyId refers to '44444444-4444-4444-8444-444444444444', which is not in protectionPolicies")
})

t.test('ids are unique across a polymorphic set, and within a contained collection', async (t) => {
  const data = tenant()
  data.oneDriveForBusinessRestoreSessions = [{ id: SESSION.toUpperCase() }]
  t.equal(problem(data), 'data.oneDriveForBusinessRestoreSessions: record 0 (id 11111111-1111-4111-8111-111111111111): property /id must be unique, but the same id was already loaded as record 0 of data.exchangeRestoreSessions')
  const twice = tenant()
  twice.exchangeRestoreSessions = [{ id: SESSION, mailboxRestoreArtifacts: [{ id: 'a1', restorePoint: { id: POINT } }, { id: 'A1' }] }]
  t.equal(problem(twice), 'data.exchangeRestoreSessions: record 0 (id 11111111-1111-4111-8111-111111111111): property /mailboxRestoreArtifacts/1/id must be unique in mailboxRestoreArtifacts, but record 0 has the same id')
})

t.test('@odata.type: a view needs it, and it must name the set\'s type or a derived one', async (t) => {
  const store = storeFromData({ restoreSessions: [{ '@odata.type': '#microsoft.graph.oneDriveForBusinessRestoreSession', id: SESSION }] })
  t.equal(store.root.collections.get('oneDriveForBusinessRestoreSessions')?.size, 1, 'a record of a view goes to the set of its type')
  t.equal(problem({ restoreSessions: [{ id: SESSION }] }), 'data.restoreSessions: record 0 (id 11111111-1111-4111-8111-111111111111): property /@odata.type is required: the set holds exchangeRestoreSession, oneDriveForBusinessRestoreSession, sharePointRestoreSession records')
  t.equal(problem({ exchangeRestoreSessions: [{ '@odata.type': '#microsoft.graph.restorePoint', id: SESSION }] }),
    "data.exchangeRestoreSessions: record 0 (id 11111111-1111-4111-8111-111111111111): property /@odata.type must name exchangeRestoreSession or a type derived from it (#microsoft.graph.exchangeRestoreSession), found '#microsoft.graph.restorePoint'")
})

t.test('records are validated against their own type, at any depth', async (t) => {
  t.equal(problem({ exchangeRestoreSessions: [{ id: SESSION, status: 'sleeping' }] }),
    'data.exchangeRestoreSessions: record 0 (id 11111111-1111-4111-8111-111111111111): property /status must be one of "draft", "activating", "active", "completedWithError", "completed", "unknownFutureValue", "failed", null')
  t.equal(problem({ exchangeRestoreSessions: [{ id: SESSION, mailboxRestoreArtifacts: [{ id: 'a', restoredFolderName: 7 }] }] }),
    'data.exchangeRestoreSessions: record 0 (id 11111111-1111-4111-8111-111111111111): property /mailboxRestoreArtifacts/0/restoredFolderName must be a string or null')
  t.match(problem({ nope: [] }), /^data\.nope: not a set or singleton; the names are backupRestore, (\w+, )+emailNotificationsSetting, (\w+, )+restorePoints, /)
  t.equal(problem({ restorePoints: [{ id: POINT, protectionUnit: 'x' }] }), 'data.restorePoints: record 0 (id 22222222-2222-4222-8222-222222222222): property /protectionUnit must be a reference {"id": "…"}, found a string')
})

t.test('a fixture folder: captured Graph responses, singletons and contained files', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'graph-mock-tenant-'))
  t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
  await writeFile(join(dir, 'backupRestore.json'), JSON.stringify({ id: 'root', serviceStatus: { status: 'enabled' } }))
  await writeFile(join(dir, 'restorePoints.json'), JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/restorePoints', value: [{ '@odata.type': '#microsoft.graph.restorePoint', id: POINT }] }))
  await writeFile(join(dir, 'exchangeRestoreSessions.json'), JSON.stringify([{ id: SESSION }]))
  await writeFile(join(dir, 'exchangeRestoreSessions.mailboxRestoreArtifacts.json'), JSON.stringify({
    '@odata.context': `https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions('${SESSION}')/mailboxRestoreArtifacts`,
    value: [{ id: 'a1', restorePoint: { id: POINT } }]
  }))
  await writeFile(join(dir, 'exchangeRestoreSessions.granularMailboxRestoreArtifacts.json'), JSON.stringify({ [SESSION]: [{ id: 'g1', searchResponseId: 'r' }] }))
  const store = await loadFixtures(dir)
  const session = store.root.collections.get('exchangeRestoreSessions')?.byId(SESSION)
  t.equal(session?.collections.get('mailboxRestoreArtifacts')?.size, 1)
  t.equal(session?.collections.get('granularMailboxRestoreArtifacts')?.size, 1)
  t.strictSame(store.root.row, { id: 'root', serviceStatus: { backupServiceConsumer: null, disableReason: null, gracePeriodDateTime: null, lastModifiedBy: null, lastModifiedDateTime: null, restoreAllowedTillDateTime: null, status: 'enabled' } })
  await writeFile(join(dir, 'exchangeRestoreSessions.mailboxRestoreArtifacts.json'), JSON.stringify({ '@odata.context': 'x', value: [] }))
  await t.rejects(loadFixtures(dir), { message: `${join(dir, 'exchangeRestoreSessions.mailboxRestoreArtifacts.json')}: "@odata.context" must end in exchangeRestoreSessions('<id>')/mailboxRestoreArtifacts, to name the parent; found 'x'` })
  await writeFile(join(dir, 'exchangeRestoreSessions.mailboxRestoreArtifacts.json'), JSON.stringify({ nope: [] }))
  await t.rejects(loadFixtures(dir), { message: `${join(dir, 'exchangeRestoreSessions.mailboxRestoreArtifacts.json')}: the parent exchangeRestoreSessions('nope') of these mailboxRestoreArtifacts records is not loaded` })
})
