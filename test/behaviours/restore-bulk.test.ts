// Restore-artifact bulk addition requests: created `active` with the protection units their
// resources name; checked as the error page says; finished when the session is activated, each unit
// with the restore point the time period, preference and tags pick; deleted only once finished.

import t from 'tap'
import { at, del, DIRECTORY_IDS, EMAIL, errorOf, get, MOCK_USER, POINTS, post, restoreApp, SITE, STEP, UNITS } from './restore-tenant.js'

const BETA = 'https://graph.microsoft.com/beta/$metadata#'

t.test('Exchange: mailboxes and directory object ids resolved, restore points picked at activation, requests finished', async (t) => {
  const app = await restoreApp(t)
  const id = (await post(app, 'exchangeRestoreSessions', {})).json<{ id: string }>().id
  const path = `exchangeRestoreSessions/${id}/mailboxRestoreArtifactsBulkAdditionRequests`
  const first = await post(app, path, {
    displayName: 'Oldest before mid-November',
    mailboxes: [EMAIL.M1.toUpperCase(), 'nobody@contoso.com'],
    directoryObjectIds: [DIRECTORY_IDS.M2],
    protectionTimePeriod: { startDateTime: '2026-10-01T00:00:00Z', endDateTime: '2026-11-15T00:00:00Z' },
    restorePointPreference: 'oldest',
    destinationType: 'new'
  })
  t.equal(first.statusCode, 201, first.body)
  const firstId = first.json<{ id: string }>().id
  const request = (fields: Record<string, unknown>) => ({
    '@odata.type': '#microsoft.graph.mailboxRestoreArtifactsBulkAdditionRequest',
    id: firstId,
    createdBy: MOCK_USER,
    createdDateTime: at(0),
    destinationType: 'new',
    displayName: 'Oldest before mid-November',
    error: null,
    lastModifiedBy: MOCK_USER,
    lastModifiedDateTime: at(0),
    protectionTimePeriod: { endDateTime: '2026-11-15T00:00:00Z', startDateTime: '2026-10-01T00:00:00Z' },
    protectionUnitIds: [UNITS.M1, UNITS.M2],
    restorePointPreference: 'oldest',
    status: 'active',
    tags: null,
    directoryObjectIds: [DIRECTORY_IDS.M2],
    mailboxes: [EMAIL.M1.toUpperCase(), 'nobody@contoso.com'],
    ...fields
  })
  t.strictSame(first.json(), { '@odata.context': `${BETA}solutions/backupRestore/exchangeRestoreSessions('${id}')/mailboxRestoreArtifactsBulkAdditionRequests/$entity`, ...request({}) }, 'active, its units resolved (case-insensitively)')
  t.strictSame(errorOf(await del(app, `${path}/${firstId}`)), { status: 403, code: 'InvalidStateForBulkRequestDeletion', message: 'A bulk request can only be deleted when its status is `completed` or `completedWithErrors`.' })
  const second = await post(app, path, { mailboxes: [EMAIL.M3], tags: 'fastRestore', destinationType: 'new' })
  t.equal(second.statusCode, 201, second.body)
  t.match((await get(app, `exchangeRestoreSessions/${id}`)).json(), { status: 'draft', restoreSessionArtifactCount: { total: 0 } }, 'nothing is added before activation')

  app.clock.advance(STEP)
  const activated = await post(app, `restoreSessions/${id}/activate`)
  t.equal(activated.statusCode, 200, activated.body)
  t.match(activated.json(), { status: 'activating', restoreSessionArtifactCount: { total: 3, inProgress: 3, completed: 0, failed: 0 } })
  const artifacts = (await get(app, `exchangeRestoreSessions/${id}/mailboxRestoreArtifacts`)).json<{ value: Array<{ id: string, status: string, destinationType: string }> }>().value
  t.strictSame(artifacts.map((a) => [a.status, a.destinationType]), [['scheduling', 'new'], ['scheduling', 'new'], ['scheduling', 'new']])
  const points = await Promise.all(artifacts.map(async (a) => (await get(app, `exchangeRestoreSessions/${id}/mailboxRestoreArtifacts/${a.id}/restorePoint`)).json<{ id: string }>().id))
  t.strictSame(points, [POINTS.M1old, POINTS.M2old, POINTS.M3new], 'the oldest in the period for the first request, the latest fast-restore point for the second')
  const finished = (await get(app, `${path}/${firstId}`)).json<unknown>()
  t.strictSame(finished, {
    '@odata.context': `${BETA}solutions/backupRestore/exchangeRestoreSessions('${id}')/mailboxRestoreArtifactsBulkAdditionRequests/$entity`,
    ...request({
      status: 'completedWithErrors',
      lastModifiedDateTime: at(1),
      error: { code: 'ArtifactNotFound', message: 'The requested restore artifact wasn\'t found for restore.', target: null, details: [], innerError: null }
    })
  }, 'a mailbox that named no unit: completedWithErrors')
  t.match((await get(app, `${path}/${second.json<{ id: string }>().id}`)).json(), { status: 'completed', error: null })
  t.equal((await del(app, `${path}/${firstId}`)).statusCode, 204, 'a finished request is deleted')
  app.clock.advance(3 * STEP)
  t.match((await get(app, `exchangeRestoreSessions/${id}`)).json(), { status: 'completed', restoreSessionArtifactCount: { total: 3, completed: 3 } })
})

t.test('the error page\'s checks of a bulk request, and the session\'s rules', async (t) => {
  const app = await restoreApp(t)
  const id = (await post(app, 'exchangeRestoreSessions', {})).json<{ id: string }>().id
  const path = `exchangeRestoreSessions/${id}/mailboxRestoreArtifactsBulkAdditionRequests`
  t.strictSame(errorOf(await post(app, path, { destinationType: 'new' })), { status: 400, code: 'BulkRestoreInvalidCreateRequest', message: 'The create request is null or invalid.' })
  t.strictSame(errorOf(await post(app, path, { mailboxes: ['not an email'], destinationType: 'new' })), { status: 400, code: 'BulkRestoreInvalidCreateRequestUserEmail', message: 'Email is null, empty, or in an incorrect format.' })
  t.strictSame(errorOf(await post(app, path, { mailboxes: Array.from({ length: 1001 }, (_, i) => `u${i}@contoso.com`), destinationType: 'new' })), { status: 400, code: 'BulkRestoreRestorationResourcesCountExceedsLimit', message: 'Input size is too large.' })
  t.strictSame(errorOf(await post(app, path, { mailboxes: [EMAIL.M1] })), { status: 400, code: 'InvalidPathType', message: 'Restore path type isn\'t present.' })
  t.strictSame(errorOf(await post(app, path, { mailboxes: [EMAIL.M1], destinationType: 'new', status: 'completed' })), { status: 400, code: 'BadRequest', message: 'The property \'status\' is read-only and cannot be set.' })
  t.strictSame(errorOf(await post(app, path, { mailboxes: [EMAIL.M1], destinationType: 'new', protectionUnitIds: [UNITS.M1] })), { status: 400, code: 'BadRequest', message: 'The property \'protectionUnitIds\' is read-only and cannot be set.' })
  t.equal((await post(app, path, { mailboxes: [EMAIL.M1], destinationType: 'new' })).statusCode, 201)
  t.strictSame(errorOf(await post(app, path, { mailboxes: [EMAIL.M2], destinationType: 'inPlace' })), { status: 400, code: 'DifferentRestoreDestinationType', message: 'Different restore destination type.' })
  t.equal((await post(app, `restoreSessions/${id}/activate`)).statusCode, 200)
  t.strictSame(errorOf(await post(app, path, { mailboxes: [EMAIL.M2], destinationType: 'new' })), { status: 403, code: 'RestoreSessionActionNotAllowed', message: 'Restore session can only be patched in Draft state.' })
  t.strictSame(errorOf(await get(app, `${path}/00000000-0000-4000-8000-0000000000aa`)), { status: 404, code: 'BulkRestoreArtifactsNotFound', message: 'No restoreArtifactBulkAdditionRequest associated with the provided bulkRestoreArtifactId in the URI.' })
})

t.test('SharePoint by site URL and site id, OneDrive by drive owner: resolved and restored', async (t) => {
  const app = await restoreApp(t)
  const site = (await post(app, 'sharePointRestoreSessions', {})).json<{ id: string }>().id
  const sitePath = `sharePointRestoreSessions/${site}/siteRestoreArtifactsBulkAdditionRequests`
  t.strictSame(errorOf(await post(app, sitePath, { siteWebUrls: ['contoso/sites/hr'], destinationType: 'inPlace' })), { status: 400, code: 'BulkRestoreInvalidCreateRequestSiteUrl', message: 'Site URL is null, empty, or in an incorrect format.' })
  const sites = await post(app, sitePath, { siteWebUrls: [SITE.S1.siteWebUrl], siteIds: [SITE.S2.siteId], destinationType: 'inPlace', protectionTimePeriod: { endDateTime: '2026-11-05T00:00:00Z' } })
  t.equal(sites.statusCode, 201, sites.body)
  t.match(sites.json(), { status: 'active', protectionUnitIds: [UNITS.S1, UNITS.S2] })
  await post(app, `restoreSessions/${site}/activate`)
  app.clock.advance(3 * STEP)
  t.match((await get(app, `sharePointRestoreSessions/${site}`)).json(), { status: 'completed', restoreSessionArtifactCount: { total: 2, completed: 2 } }, 'the points before 5 November (the old ones)')
  t.match((await get(app, `${sitePath}/${sites.json<{ id: string }>().id}`)).json(), { status: 'completed' })

  const drive = (await post(app, 'oneDriveForBusinessRestoreSessions', {})).json<{ id: string }>().id
  const drivePath = `oneDriveForBusinessRestoreSessions/${drive}/driveRestoreArtifactsBulkAdditionRequests`
  const drives = await post(app, drivePath, { drives: [EMAIL.D1], directoryObjectIds: [DIRECTORY_IDS.D1], destinationType: 'new', protectionTimePeriod: { startDateTime: '2026-11-25T00:00:00Z' } })
  t.match(drives.json(), { status: 'active', protectionUnitIds: [UNITS.D1] }, 'one unit, named twice')
  t.strictSame(errorOf(await post(app, `restoreSessions/${drive}/activate`)), { status: 400, code: 'InvalidArtifactRequest', message: 'There should be at least one restore artifact.' }, 'no restore point after 25 November: nothing to restore')
  t.match((await get(app, `${drivePath}/${drives.json<{ id: string }>().id}`)).json(), { status: 'active' }, 'the refused activation changed nothing')
})
