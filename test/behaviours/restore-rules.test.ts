// The documented rules of restore sessions, each with Graph's code and message (errors.md): the
// artifacts a request may add (destination type, restore point, one destination type, duplicates,
// at most 50), the draft-only changes, the activating limit; and that a refused request changes
// nothing. Artifacts on the navigation (POST, DELETE) and the counts they keep.

import t from 'tap'
import { artifact, at, AUTH, del, errorOf, get, JSON_HEADERS, patch, POINTS, post, restoreApp, ROOT, STEP, BROWSE } from './restore-tenant.js'

const SESSIONS = 'exchangeRestoreSessions'

async function tenantState (app: Awaited<ReturnType<typeof restoreApp>>): Promise<string> {
  const parts = await Promise.all(['exchangeRestoreSessions?$expand=mailboxRestoreArtifacts', 'sharePointRestoreSessions?$expand=siteRestoreArtifacts', 'oneDriveForBusinessRestoreSessions'].map(async (path) => (await get(app, path)).body))
  return parts.join('\n')
}

t.test('create: each bad artifact is Graph\'s 400 (413 above 50), and nothing is stored', async (t) => {
  const app = await restoreApp(t)
  const before = await tenantState(app)
  const create = async (artifacts: unknown[]) => errorOf(await post(app, SESSIONS, { mailboxRestoreArtifacts: artifacts }))
  t.strictSame(await create([{ restorePoint: { id: POINTS.M1new } }]), { status: 400, code: 'InvalidPathType', message: 'Restore path type isn\'t present.' }, 'no destination type')
  t.strictSame(await create([{ restorePoint: { id: POINTS.M1new }, destinationType: 'unknownFutureValue' }]), { status: 400, code: 'InvalidPathType', message: 'Restore path type isn\'t present.' })
  const invalidPoint = { status: 400, code: 'InvalidRestorePoint', message: 'Restore Point ID is invalid or empty.' }
  t.strictSame(await create([{ destinationType: 'new' }]), invalidPoint, 'no restore point')
  t.strictSame(await create([{ restorePoint: { id: '00000000-0000-4000-8000-0000000000aa' }, destinationType: 'new' }]), invalidPoint, 'an unknown restore point')
  t.strictSame(await create([artifact('S1new')]), invalidPoint, 'a site\'s restore point in an Exchange session')
  t.strictSame(await create([artifact('M1new', 'new'), artifact('M2new', 'inPlace')]), { status: 400, code: 'DifferentRestoreDestinationType', message: 'Different restore destination type.' })
  t.strictSame(await create([artifact('M1new'), artifact('M1old')]), { status: 400, code: 'DuplicateArtifactInList', message: 'The restore artifact requested is already present.' }, 'two restore points of one mailbox')
  t.strictSame(await create([artifact('M1new'), artifact('M1new')]), { status: 400, code: 'DuplicateArtifactInList', message: 'The restore artifact requested is already present.' })
  const many = Array.from({ length: 51 }, () => artifact('M1new'))
  t.strictSame(await create(many), { status: 413, code: 'RestoreArtifactsLimitBreached', message: 'Restore Artifacts limit is breached.' }, '51 artifacts: the documented 413 of a create')
  t.strictSame(errorOf(await post(app, SESSIONS, { mailboxRestoreArtifacts: [{ ...artifact('M1new'), status: 'succeeded' }] })), { status: 400, code: 'BadRequest', message: 'The property \'status\' is read-only and cannot be set.' })
  t.strictSame(errorOf(await post(app, SESSIONS, { status: 'active' })), { status: 400, code: 'BadRequest', message: 'The property \'status\' is read-only and cannot be set.' })
  t.strictSame(errorOf(await post(app, SESSIONS, { siteRestoreArtifacts: [] })), { status: 400, code: 'BadRequest', message: 'The property \'siteRestoreArtifacts\' does not exist on type \'microsoft.graph.exchangeRestoreSession\'. Make sure to only use property names that are defined by the type or mark the type as open type.' })
  t.equal(await tenantState(app), before, 'no refused create stored anything')
  const empty = await post(app, SESSIONS, {})
  t.equal(empty.statusCode, 201, 'an empty session is a draft to add to')
  t.match(empty.json(), { status: 'draft', restoreJobType: 'standard', restoreSessionArtifactCount: { total: 0, completed: 0, inProgress: 0, failed: 0 } })
})

t.test('PATCH: the same rules with the update\'s wording (400 above 50), removes, and nothing changes on a refusal', async (t) => {
  const app = await restoreApp(t)
  const id = (await post(app, SESSIONS, { mailboxRestoreArtifacts: [artifact('M1new')] })).json<{ id: string }>().id
  const before = await tenantState(app)
  const change = async (items: unknown[]) => errorOf(await patch(app, `${SESSIONS}/${id}`, { 'mailboxRestoreArtifacts@delta': items }))
  t.strictSame(await change([{ restorePoint: { id: '00000000-0000-4000-8000-0000000000aa' }, destinationType: 'new' }]), { status: 400, code: 'InvalidRestorePoint', message: 'Restore Point is invalid.' })
  t.strictSame(await change([artifact('M2new', 'inPlace')]), { status: 400, code: 'DifferentRestoreDestinationType', message: 'Different restore destination type.' }, 'the session restores to a new location already')
  t.strictSame(await change([artifact('M1old')]), { status: 400, code: 'DuplicateArtifactInList', message: 'The restore artifact requested is already present.' }, 'the mailbox is in the session already')
  t.strictSame(await change(Array.from({ length: 51 }, () => artifact('M2new'))), { status: 400, code: 'RestoreArtifactsLimitBreached', message: 'Restore Artifacts limit is breached.' }, '51 changes: the documented 400 of a PATCH')
  t.strictSame(await change([]), { status: 400, code: 'InvalidArtifactRequest', message: 'Restore Artifacts are null.' })
  t.strictSame(errorOf(await patch(app, `${SESSIONS}/${id}`, {})), { status: 400, code: 'InvalidArtifactRequest', message: 'Restore Artifacts are null.' })
  t.strictSame(await change([artifact('M2new'), { destinationType: 'new', restorePoint: { id: POINTS.M3new }, nope: 1 }]), {
    status: 400, code: 'BadRequest', message: 'The property \'nope\' does not exist on type \'microsoft.graph.mailboxRestoreArtifact\'. Make sure to only use property names that are defined by the type or mark the type as open type.'
  }, 'a bad second item: the first is not added either')
  t.equal(await tenantState(app), before, 'no refused PATCH changed anything')

  const [existing] = (await get(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts`)).json<{ value: Array<{ id: string }> }>().value
  const removed = await patch(app, `${SESSIONS}/${id}`, { 'mailboxRestoreArtifacts@delta': [{ '@removed': { reason: 'changed' }, id: existing?.id }, artifact('M1old', 'inPlace')] })
  t.equal(removed.statusCode, 200, 'removing the mailbox\'s artifact makes room for another restore point of it, in place')
  const body = removed.json<{ 'mailboxRestoreArtifacts@delta': Array<{ id: string }> }>()
  t.equal(body['mailboxRestoreArtifacts@delta'].length, 1, 'a successful remove is not echoed, as in the documented example')
  t.match((await get(app, `${SESSIONS}/${id}`)).json(), { restoreSessionArtifactCount: { total: 1 } })
})

t.test('artifacts on the navigation: POST adds (201, counted), DELETE removes (204, counted), the rules hold', async (t) => {
  const app = await restoreApp(t)
  const id = (await post(app, SESSIONS, {})).json<{ id: string }>().id
  const added = await post(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts`, artifact('M1new'))
  t.equal(added.statusCode, 201, added.body)
  const artifactId = added.json<{ id: string }>().id
  t.strictSame(added.json(), {
    '@odata.context': `https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions('${id}')/mailboxRestoreArtifacts/$entity`,
    '@odata.type': '#microsoft.graph.mailboxRestoreArtifact',
    id: artifactId,
    completionDateTime: null,
    destinationType: 'new',
    error: null,
    startDateTime: null,
    status: 'added',
    restoredFolderId: null,
    restoredFolderName: null,
    restoredItemCount: null
  })
  t.match((await get(app, `${SESSIONS}/${id}`)).json(), { restoreSessionArtifactCount: { total: 1, completed: 0, inProgress: 0, failed: 0 } })
  t.strictSame((await get(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts/${artifactId}/restorePoint`)).json<{ id: string }>().id, POINTS.M1new, 'the artifact refers to its restore point')
  t.strictSame(errorOf(await post(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts`, { restorePoint: { id: '00000000-0000-4000-8000-0000000000aa' }, destinationType: 'new' })), { status: 400, code: 'InvalidRestorePoint', message: 'Restore Point ID is invalid or empty.' })
  t.strictSame(errorOf(await post(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts`, artifact('M1old'))), { status: 400, code: 'DuplicateArtifactInList', message: 'The restore artifact requested is already present.' })
  t.strictSame(errorOf(await post(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts`, artifact('M2new', 'inPlace'))), { status: 400, code: 'DifferentRestoreDestinationType', message: 'Different restore destination type.' })
  const second = (await post(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts`, artifact('M2new'))).json<{ id: string }>().id
  t.match((await get(app, `${SESSIONS}/${id}`)).json(), { restoreSessionArtifactCount: { total: 2 } })
  t.equal((await del(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts/${artifactId}`)).statusCode, 204)
  t.match((await get(app, `${SESSIONS}/${id}`)).json(), { restoreSessionArtifactCount: { total: 1 } })
  t.strictSame((await get(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts`)).json<{ value: Array<{ id: string }> }>().value.map((a) => a.id), [second])

  t.equal((await post(app, `restoreSessions/${id}/activate`)).statusCode, 200)
  const notDraft = { status: 403, code: 'RestoreSessionActionNotAllowed', message: 'Restore session can only be patched in Draft state.' }
  t.strictSame(errorOf(await post(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts`, artifact('M3new'))), notDraft, 'no POST once activated')
  t.strictSame(errorOf(await del(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts/${second}`)), notDraft, 'no DELETE once activated')
})

t.test('granular artifacts: a mailbox search\'s items, a browse session\'s items; the job type says granular', async (t) => {
  const app = await restoreApp(t)
  const created = await post(app, SESSIONS, { granularMailboxRestoreArtifacts: [{ ...artifact('M1new'), searchResponseId: 'search-1' }] })
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json(), { restoreJobType: 'unknownFutureValue', restoreSessionArtifactCount: { total: 1 } }, 'granular is evolvable: hidden by default')
  const id = created.json<{ id: string }>().id
  t.match((await get(app, `${SESSIONS}/${id}`, { ...AUTH, prefer: 'include-unknown-enum-members' })).json(), { restoreJobType: 'granular' })
  t.strictSame(errorOf(await post(app, SESSIONS, { granularMailboxRestoreArtifacts: [artifact('M1new')] })), { status: 400, code: 'BadRequest', message: 'The property \'searchResponseId\' of a granularMailboxRestoreArtifact is required: the id of the restore point search the items come from.' })
  const site = await post(app, 'sharePointRestoreSessions', { granularSiteRestoreArtifacts: [{ browseSessionId: BROWSE.site, webUrl: 'https://contoso.sharepoint.com/sites/hr/a.docx' }] })
  t.equal(site.statusCode, 201, site.body)
  t.strictSame(errorOf(await post(app, 'sharePointRestoreSessions', { granularSiteRestoreArtifacts: [{ browseSessionId: BROWSE.drive }] })), { status: 400, code: 'InvalidRestorePoint', message: 'Restore Point ID is invalid or empty.' }, 'a OneDrive browse session in a SharePoint session')
  const siteId = site.json<{ id: string }>().id
  t.equal((await post(app, `restoreSessions/${siteId}/activate`)).statusCode, 200)
  app.clock.advance(3 * STEP)
  const [item] = (await get(app, `sharePointRestoreSessions/${siteId}/granularSiteRestoreArtifacts`)).json<{ value: Array<Record<string, unknown>> }>().value
  t.match(item, { status: 'succeeded', browseSessionId: BROWSE.site, restoredItemWebUrl: 'https://contoso.sharepoint.com/sites/hr/a.docx', startDateTime: at(2), completionDateTime: at(3) })
})

t.test('PATCH, DELETE and activate only in draft: 403 RestoreSessionActionNotAllowed with each message', async (t) => {
  const app = await restoreApp(t)
  const id = (await post(app, SESSIONS, { mailboxRestoreArtifacts: [artifact('M1new')] })).json<{ id: string }>().id
  t.equal((await post(app, `restoreSessions/${id}/activate`)).statusCode, 200)
  t.strictSame(errorOf(await patch(app, `${SESSIONS}/${id}`, { 'mailboxRestoreArtifacts@delta': [artifact('M2new')] })), { status: 403, code: 'RestoreSessionActionNotAllowed', message: 'Restore session can only be patched in Draft state.' })
  t.strictSame(errorOf(await del(app, `${SESSIONS}/${id}`)), { status: 403, code: 'RestoreSessionActionNotAllowed', message: 'Restore session can only be deleted in Draft state.' })
  t.strictSame(errorOf(await del(app, `restoreSessions/${id}`)), { status: 403, code: 'RestoreSessionActionNotAllowed', message: 'Restore session can only be deleted in Draft state.' })
  t.strictSame(errorOf(await post(app, `restoreSessions/${id}/activate`)), { status: 403, code: 'RestoreSessionActionNotAllowed', message: 'Restore session can only be activated in Draft state.' })
  app.clock.advance(3 * STEP)
  t.strictSame(errorOf(await post(app, `restoreSessions/${id}/activate`)), { status: 403, code: 'RestoreSessionActionNotAllowed', message: 'Restore session can only be activated in Draft state.' }, 'nor once completed')
  const draft = (await post(app, SESSIONS, {})).json<{ id: string }>().id
  t.strictSame(errorOf(await post(app, `restoreSessions/${draft}/activate`)), { status: 400, code: 'InvalidArtifactRequest', message: 'There should be at least one restore artifact.' }, 'nothing to restore')
  t.equal((await del(app, `restoreSessions/${draft}`)).statusCode, 204, 'a draft is deleted')
  t.strictSame(errorOf(await get(app, `restoreSessions/${draft}`)), { status: 404, code: 'RestoreSessionNotFound', message: 'Restore Session Not Found.' })
  t.strictSame(errorOf(await post(app, `restoreSessions/${draft}/activate`)), { status: 404, code: 'RestoreSessionNotFound', message: 'Restore Session Not Found.' })
})

t.test('at most 25 sessions activating at once: the 26th is Graph\'s documented 500, and goes once the first move on', async (t) => {
  const app = await restoreApp(t)
  const ids: string[] = []
  for (let i = 0; i < 26; i++) {
    const response = await post(app, SESSIONS, { mailboxRestoreArtifacts: [artifact('M1new')] })
    ids.push(response.json<{ id: string }>().id)
  }
  for (const id of ids.slice(0, 25)) t.equal((await post(app, `restoreSessions/${id}/activate`)).statusCode, 200)
  const refused = await post(app, `restoreSessions/${ids[25]}/activate`)
  t.strictSame(errorOf(refused), { status: 500, code: 'TooManyActiveRestoreSessions', message: 'Temporary error: Too many active restore sessions.' })
  t.match((await get(app, `${SESSIONS}/${ids[25]}`)).json(), { status: 'draft', restoreSessionArtifactCount: { inProgress: 0 } }, 'the refused session is still a draft')
  app.clock.advance(STEP)
  t.match((await get(app, `${SESSIONS}/${ids[0]}`)).json(), { status: 'active' })
  t.equal((await post(app, `restoreSessions/${ids[25]}/activate`)).statusCode, 200, 'once the others are active, it may activate')
})

t.test('the failure rate is seeded: the same seed and requests fail the same artifacts', async (t) => {
  const outcomes = async (seed: number): Promise<string[]> => {
    const app = await restoreApp(t, { failureRate: 0.5, seed })
    const id = (await post(app, SESSIONS, { mailboxRestoreArtifacts: [artifact('M1new'), artifact('M2new'), artifact('M3new')] })).json<{ id: string }>().id
    const more = (await post(app, 'sharePointRestoreSessions', { siteRestoreArtifacts: [artifact('S1new'), artifact('S2new'), artifact('S3new')] })).json<{ id: string }>().id
    await post(app, `restoreSessions/${id}/activate`)
    await post(app, `restoreSessions/${more}/activate`)
    app.clock.advance(3 * STEP)
    const mail = (await get(app, `${SESSIONS}/${id}/mailboxRestoreArtifacts`)).json<{ value: Array<{ status: string }> }>().value
    const sites = (await get(app, `sharePointRestoreSessions/${more}/siteRestoreArtifacts`)).json<{ value: Array<{ status: string }> }>().value
    return [...mail, ...sites].map((a) => a.status)
  }
  const first = await outcomes(7)
  t.strictSame(await outcomes(7), first, 'same seed, same outcomes')
  t.ok(first.includes('failed') && first.includes('succeeded'), `a mix at 0.5: ${first.join()}`)
  const others = await Promise.all([1, 2, 3, 4, 5].map(outcomes))
  t.ok(others.some((o) => o.join() !== first.join()), 'another seed fails others')
})

t.test('a fixture restore point annotated "failed" fails with UnknownError; a wrong Content-Type is 415', async (t) => {
  const app = await restoreApp(t, { failureRate: 1 })
  const id = (await post(app, 'sharePointRestoreSessions', { siteRestoreArtifacts: [artifact('SFAIL')] })).json<{ id: string }>().id
  await post(app, `restoreSessions/${id}/activate`)
  app.clock.advance(3 * STEP)
  const [only] = (await get(app, `sharePointRestoreSessions/${id}/siteRestoreArtifacts`)).json<{ value: Array<Record<string, unknown>> }>().value
  t.match(only, { status: 'failed', error: { code: 'UnknownError' } }, '"failed" fails with UnknownError')
  t.strictSame(errorOf(await app.inject({ method: 'POST', url: `${ROOT}/${SESSIONS}`, headers: { ...JSON_HEADERS, 'content-type': 'text/plain' }, payload: '{}' })).status, 415)
})
