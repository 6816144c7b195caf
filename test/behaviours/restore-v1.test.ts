// The restore workflow under /v1.0 (the same tenant, v1.0's contract: no granular site or drive
// artifacts, no bulk requests there), and PATCH of one artifact on the navigation.

import t from 'tap'
import { AUTH, errorOf, JSON_HEADERS, POINTS, restoreApp, STEP } from './restore-tenant.js'

const V1 = '/v1.0/solutions/backupRestore'

t.test('v1.0: create, PATCH, activate and poll a OneDrive session; beta-only navigations are not there', async (t) => {
  const app = await restoreApp(t)
  const send = async (method: 'POST' | 'PATCH' | 'GET', path: string, payload?: unknown) =>
    await app.inject({ method, url: `${V1}/${path}`, headers: payload === undefined ? AUTH : JSON_HEADERS, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) })
  const created = await send('POST', 'oneDriveForBusinessRestoreSessions', { driveRestoreArtifacts: [{ restorePoint: { id: POINTS.D1new }, destinationType: 'new' }] })
  t.equal(created.statusCode, 201, created.body)
  const id = created.json<{ id: string }>().id
  t.match(created.json(), { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/oneDriveForBusinessRestoreSessions/$entity', status: 'draft', restoreSessionArtifactCount: { total: 1 } })
  const patched = await send('PATCH', `oneDriveForBusinessRestoreSessions/${id}`, { 'driveRestoreArtifacts@delta': [{ restorePoint: { id: POINTS.D2new }, destinationType: 'new' }] })
  t.equal(patched.statusCode, 200, patched.body)
  t.equal(patched.json<{ '@odata.context': string }>()['@odata.context'], 'https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/oneDriveForBusinessRestoreSessions/$entity')
  t.strictSame(errorOf(await send('POST', `oneDriveForBusinessRestoreSessions/${id}/granularDriveRestoreArtifacts`, { browseSessionId: 'x' })), { status: 400, code: 'BadRequest', message: 'Resource not found for the segment \'granularDriveRestoreArtifacts\'.' })
  t.equal((await send('POST', `restoreSessions/${id}/activate`)).statusCode, 200)
  app.clock.advance(3 * STEP)
  t.match((await send('GET', `oneDriveForBusinessRestoreSessions/${id}`)).json(), { status: 'completed', restoreSessionArtifactCount: { total: 2, completed: 2, inProgress: 0, failed: 0 } })
})

t.test('PATCH of one artifact: its destination type, in draft only, one type per session', async (t) => {
  const app = await restoreApp(t)
  const beta = '/beta/solutions/backupRestore'
  const created = await app.inject({ method: 'POST', url: `${beta}/exchangeRestoreSessions`, headers: JSON_HEADERS, payload: JSON.stringify({ mailboxRestoreArtifacts: [{ restorePoint: { id: POINTS.M1new }, destinationType: 'new' }] }) })
  const id = created.json<{ id: string }>().id
  const list = await app.inject({ url: `${beta}/exchangeRestoreSessions/${id}/mailboxRestoreArtifacts`, headers: AUTH })
  const artifactId = list.json<{ value: Array<{ id: string }> }>().value[0]?.id ?? ''
  const url = `${beta}/exchangeRestoreSessions/${id}/mailboxRestoreArtifacts/${artifactId}`
  const changed = await app.inject({ method: 'PATCH', url, headers: JSON_HEADERS, payload: '{"destinationType":"inPlace"}' })
  t.equal(changed.statusCode, 204, changed.body)
  t.match((await app.inject({ url, headers: AUTH })).json(), { destinationType: 'inPlace', status: 'added' })
  t.strictSame(errorOf(await app.inject({ method: 'PATCH', url, headers: JSON_HEADERS, payload: '{"status":"succeeded"}' })), { status: 400, code: 'BadRequest', message: 'The property \'status\' is read-only and cannot be set.' })
  await app.inject({ method: 'POST', url: `${beta}/exchangeRestoreSessions/${id}/mailboxRestoreArtifacts`, headers: JSON_HEADERS, payload: JSON.stringify({ restorePoint: { id: POINTS.M2new }, destinationType: 'inPlace' }) })
  t.strictSame(errorOf(await app.inject({ method: 'PATCH', url, headers: JSON_HEADERS, payload: '{"destinationType":"new"}' })), { status: 400, code: 'DifferentRestoreDestinationType', message: 'Different restore destination type.' }, 'the other artifact restores in place')
  await app.inject({ method: 'POST', url: `${beta}/restoreSessions/${id}/activate`, headers: AUTH })
  t.strictSame(errorOf(await app.inject({ method: 'PATCH', url, headers: JSON_HEADERS, payload: '{"destinationType":"inPlace"}' })), { status: 403, code: 'RestoreSessionActionNotAllowed', message: 'Restore session can only be patched in Draft state.' })
})
