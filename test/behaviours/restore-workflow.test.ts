// The restore workflow of each workload on a manual clock, step by step: create with artifacts
// (draft, counted), add one more by PATCH, activate (activating, every artifact scheduling), then one
// RESTORE_STEP at a time scheduled (session active), inProgress (startDateTime), and the end
// (succeeded or failed, completionDateTime, where it was restored to; the session completed,
// completedWithError or failed, completedDateTime). Whole bodies at every step.

import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { artifact, at, get, INCLUDE_UNKNOWN, MOCK_USER, patch, post, restoreApp, SITE, STEP } from './restore-tenant.js'

const BETA = 'https://graph.microsoft.com/beta/$metadata#'

interface Workload {
  set: string
  type: string
  navigation: string
  artifactType: string
  /** Artifact properties every row of the type has, empty. */
  empty: Record<string, unknown>
}

const exchange: Workload = {
  set: 'exchangeRestoreSessions',
  type: 'microsoft.graph.exchangeRestoreSession',
  navigation: 'mailboxRestoreArtifacts',
  artifactType: 'microsoft.graph.mailboxRestoreArtifact',
  empty: { restoredFolderId: null, restoredFolderName: null, restoredItemCount: null }
}
const sharePoint: Workload = {
  set: 'sharePointRestoreSessions',
  type: 'microsoft.graph.sharePointRestoreSession',
  navigation: 'siteRestoreArtifacts',
  artifactType: 'microsoft.graph.siteRestoreArtifact',
  empty: { restoredSiteId: null, restoredSiteName: null, restoredSiteWebUrl: null }
}
const oneDrive: Workload = {
  set: 'oneDriveForBusinessRestoreSessions',
  type: 'microsoft.graph.oneDriveForBusinessRestoreSession',
  navigation: 'driveRestoreArtifacts',
  artifactType: 'microsoft.graph.driveRestoreArtifact',
  empty: { restoredSiteId: null, restoredSiteName: null, restoredSiteWebUrl: null }
}

function session (w: Workload, id: string, fields: { status: string, count: [number, number, number, number], modified: string, completed?: string | null, context?: string }): Record<string, unknown> {
  const [total, completed, inProgress, failed] = fields.count
  return {
    '@odata.context': `${BETA}${fields.context ?? `solutions/backupRestore/${w.set}/$entity`}`,
    '@odata.type': `#${w.type}`,
    id,
    status: fields.status,
    restoreJobType: 'standard',
    restoreSessionArtifactCount: { total, completed, inProgress, failed },
    createdDateTime: at(0),
    createdBy: MOCK_USER,
    completedDateTime: fields.completed ?? null,
    lastModifiedDateTime: fields.modified,
    lastModifiedBy: MOCK_USER,
    error: null
  }
}

function artifactRow (w: Workload, id: unknown, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    '@odata.type': `#${w.artifactType}`,
    id,
    completionDateTime: null,
    destinationType: 'new',
    error: null,
    startDateTime: null,
    status: 'added',
    ...w.empty,
    ...fields
  }
}

async function artifactsOf (app: FastifyInstance, w: Workload, id: string): Promise<Array<Record<string, unknown>>> {
  const response = await get(app, `${w.set}/${id}/${w.navigation}`)
  const body = response.json<{ '@odata.context': string, value: Array<Record<string, unknown>> }>()
  if (body['@odata.context'] !== `${BETA}solutions/backupRestore/${w.set}('${id}')/${w.navigation}`) throw new Error(`context ${body['@odata.context']}`)
  return body.value
}

/** Creates a session with two artifacts, PATCHes a third in, activates it; returns the ids. */
async function prepare (t: Test, app: FastifyInstance, w: Workload, points: [string, string, string], destinationType: string): Promise<{ id: string, artifacts: string[] }> {
  const created = await post(app, w.set, { [w.navigation]: [artifact(points[0], destinationType), artifact(points[1], destinationType)] })
  t.equal(created.statusCode, 201, created.body)
  const id = created.json<{ id: string }>().id
  t.strictSame(created.json(), session(w, id, { status: 'draft', count: [2, 0, 0, 0], modified: at(0) }), 'created: draft, two artifacts counted')
  t.equal(created.headers.location, `http://localhost:80/beta/solutions/backupRestore/${w.set}('${id}')`)
  const first = await artifactsOf(app, w, id)
  t.strictSame(first.map((a) => a.status), ['added', 'added'])

  app.clock.advance(STEP / 2)
  const patched = await patch(app, `${w.set}/${id}`, { [`${w.navigation}@delta`]: [artifact(points[2], destinationType)] })
  t.equal(patched.statusCode, 200, patched.body)
  const added = patched.json<Record<string, Array<{ id: string }>>>()[`${w.navigation}@delta`]?.[0]?.id ?? ''
  t.strictSame(patched.json(), {
    '@odata.context': `${BETA}solutions/backupRestore/${w.set}/$entity`,
    [`${w.navigation}@delta`]: [{ id: added, restorePoint: { id: (artifact(points[2]).restorePoint as { id: string }).id }, destinationType, status: 'added', createdDateTime: at(0.5) }]
  }, 'the documented delta body')
  t.strictSame((await get(app, `${w.set}/${id}`)).json(), session(w, id, { status: 'draft', count: [3, 0, 0, 0], modified: at(0.5) }), 'three artifacts, modified by the PATCH')

  app.clock.advance(STEP / 2)
  const activated = await post(app, `restoreSessions/${id}/activate`)
  t.equal(activated.statusCode, 200, activated.body)
  t.strictSame(activated.json(), session(w, id, { status: 'activating', count: [3, 0, 3, 0], modified: at(1), context: 'solutions/backupRestore/restoreSessions/$entity' }), 'activate: 200, activating, every artifact in progress')
  const ids = [...first.map((a) => String(a.id)), added]
  t.strictSame((await artifactsOf(app, w, id)).map((a) => a.status), ['scheduling', 'scheduling', 'scheduling'])
  return { id, artifacts: ids }
}

t.test('Exchange: one artifact restored to a new folder, one failing on purpose (completedWithError)', async (t) => {
  const app = await restoreApp(t)
  const { id, artifacts } = await prepare(t, app, exchange, ['M1new', 'MFAIL', 'M2old'], 'new')
  app.clock.advance(STEP - 1)
  t.strictSame((await get(app, `exchangeRestoreSessions/${id}`)).json(), session(exchange, id, { status: 'activating', count: [3, 0, 3, 0], modified: at(1) }), 'nothing moves before the step is due')
  app.clock.advance(1)
  t.strictSame((await get(app, `exchangeRestoreSessions/${id}`)).json(), session(exchange, id, { status: 'active', count: [3, 0, 3, 0], modified: at(2) }), 'scheduled: active')
  t.strictSame(await artifactsOf(app, exchange, id), artifacts.map((a) => artifactRow(exchange, a, { status: 'scheduled' })))
  app.clock.advance(STEP)
  t.strictSame((await get(app, `exchangeRestoreSessions/${id}`)).json(), session(exchange, id, { status: 'active', count: [3, 0, 3, 0], modified: at(3) }), 'in progress: still active')
  t.strictSame(await artifactsOf(app, exchange, id), artifacts.map((a) => artifactRow(exchange, a, { status: 'inProgress', startDateTime: at(3) })))
  app.clock.advance(STEP)
  t.strictSame((await get(app, `exchangeRestoreSessions/${id}`)).json(), session(exchange, id, { status: 'completedWithError', count: [3, 2, 0, 1], modified: at(4), completed: at(4) }), 'two restored, one failed')
  const done = await artifactsOf(app, exchange, id)
  const folders = done.map((a) => a.restoredFolderId)
  t.match(folders[0], /^AAMk[A-Za-z0-9]{40}AAA=$/)
  t.match(folders[2], /^AAMk[A-Za-z0-9]{40}AAA=$/)
  t.not(folders[0], folders[2], 'a folder per artifact')
  const finished = { status: 'succeeded', startDateTime: at(3), completionDateTime: at(4), restoredFolderName: 'Restore 2026-12-01' }
  t.strictSame(done, [
    artifactRow(exchange, artifacts[0], { ...finished, restoredFolderId: folders[0] }),
    artifactRow(exchange, artifacts[1], {
      status: 'failed',
      startDateTime: at(3),
      completionDateTime: at(4),
      error: { code: 'ArtifactCannotBeRestored', message: 'The restore artifact is in an unexpected state such as preservation lock or TenantDivestiture which is blocking the restore.', target: null, details: [], innerError: null }
    }),
    artifactRow(exchange, artifacts[2], { ...finished, restoredFolderId: folders[2] })
  ])
  app.clock.advance(STEP * 10)
  t.strictSame((await get(app, `exchangeRestoreSessions/${id}`)).json(), session(exchange, id, { status: 'completedWithError', count: [3, 2, 0, 1], modified: at(4), completed: at(4) }), 'terminal: nothing more happens')
})

t.test('SharePoint in place: every site restored over itself (completed)', async (t) => {
  const app = await restoreApp(t)
  const { id, artifacts } = await prepare(t, app, sharePoint, ['S1new', 'S2old', 'S3new'], 'inPlace')
  app.clock.advance(STEP)
  t.strictSame((await get(app, `${sharePoint.set}/${id}`)).json(), session(sharePoint, id, { status: 'active', count: [3, 0, 3, 0], modified: at(2) }))
  t.strictSame(await artifactsOf(app, sharePoint, id), artifacts.map((a) => artifactRow(sharePoint, a, { destinationType: 'inPlace', status: 'scheduled' })))
  app.clock.advance(STEP)
  t.strictSame(await artifactsOf(app, sharePoint, id), artifacts.map((a) => artifactRow(sharePoint, a, { destinationType: 'inPlace', status: 'inProgress', startDateTime: at(3) })))
  app.clock.advance(STEP)
  t.strictSame((await get(app, `${sharePoint.set}/${id}`)).json(), session(sharePoint, id, { status: 'completed', count: [3, 3, 0, 0], modified: at(4), completed: at(4) }))
  const restored = (site: keyof typeof SITE) => ({ restoredSiteId: SITE[site].siteId, restoredSiteName: SITE[site].siteName, restoredSiteWebUrl: SITE[site].siteWebUrl })
  const done = { destinationType: 'inPlace', status: 'succeeded', startDateTime: at(3), completionDateTime: at(4) }
  t.strictSame(await artifactsOf(app, sharePoint, id), [
    artifactRow(sharePoint, artifacts[0], { ...done, ...restored('S1') }),
    artifactRow(sharePoint, artifacts[1], { ...done, ...restored('S2') }),
    artifactRow(sharePoint, artifacts[2], { ...done, ...restored('S3') })
  ])
  const polymorphic = await get(app, `restoreSessions/${id}`)
  t.strictSame(polymorphic.json(), session(sharePoint, id, { status: 'completed', count: [3, 3, 0, 0], modified: at(4), completed: at(4), context: 'solutions/backupRestore/restoreSessions/$entity' }), 'the same session through restoreSessions')
})

t.test('OneDrive with FAILURE_RATE=1: every artifact fails (failed, shown as unknownFutureValue unless asked for)', async (t) => {
  const app = await restoreApp(t, { failureRate: 1 })
  const created = await post(app, oneDrive.set, { [oneDrive.navigation]: [artifact('D1old'), artifact('D2new')] })
  const id = created.json<{ id: string }>().id
  t.equal((await post(app, `restoreSessions/${id}/activate`)).statusCode, 200)
  app.clock.advance(STEP)
  t.strictSame((await get(app, `${oneDrive.set}/${id}`)).json(), session(oneDrive, id, { status: 'active', count: [2, 0, 2, 0], modified: at(1) }))
  app.clock.advance(STEP)
  app.clock.advance(STEP)
  t.strictSame((await get(app, `${oneDrive.set}/${id}`)).json(), session(oneDrive, id, { status: 'unknownFutureValue', count: [2, 0, 0, 2], modified: at(3), completed: at(3) }), 'failed is evolvable: hidden by default')
  const shown = await get(app, `${oneDrive.set}/${id}`, INCLUDE_UNKNOWN)
  t.equal(shown.headers['preference-applied'], 'include-unknown-enum-members')
  t.strictSame(shown.json(), session(oneDrive, id, { status: 'failed', count: [2, 0, 0, 2], modified: at(3), completed: at(3) }))
  const error = { code: 'UnknownError', message: 'Unknown error occurred. Please try again. If the issue persists, contact support.', target: null, details: [], innerError: null }
  const ids = (await artifactsOf(app, oneDrive, id)).map((a) => a.id)
  t.strictSame(await artifactsOf(app, oneDrive, id), ids.map((a) => artifactRow(oneDrive, a, { status: 'failed', startDateTime: at(2), completionDateTime: at(3), error })))
})
