// A session created empty takes several artifacts in one PATCH @delta: every one is kept.

import t from 'tap'
import { buildApp } from '../../src/app.js'

const SESSIONS = '/beta/solutions/backupRestore/exchangeRestoreSessions'
const headers = { authorization: 'Bearer x', 'content-type': 'application/json' }

t.test('three artifacts added by one PATCH to an empty draft are all stored and counted', async (t) => {
  const app = await buildApp({ logLevel: 'silent', clockMode: 'manual' })
  t.teardown(async () => { await app.close() })
  const points = (await app.inject({ url: '/beta/solutions/backupRestore/restorePoints?$expand=protectionUnit&$top=100', headers })).json<{ value: Array<{ id: string, protectionUnit: { id: string, '@odata.type': string } | null }> }>().value
    .filter((point) => point.protectionUnit?.['@odata.type'] === '#microsoft.graph.mailboxProtectionUnit')
    // One restore point per mailbox: two of the same mailbox would be a duplicate artifact.
    .filter((point, index, all) => all.findIndex((other) => other.protectionUnit?.id === point.protectionUnit?.id) === index)
    .slice(0, 3)
  t.equal(points.length, 3)
  const created = await app.inject({ method: 'POST', url: SESSIONS, headers, payload: {} })
  t.equal(created.statusCode, 201)
  const id = created.json<{ id: string }>().id
  const patched = await app.inject({
    method: 'PATCH',
    url: `${SESSIONS}/${id}`,
    headers,
    payload: { 'mailboxRestoreArtifacts@delta': points.map((point) => ({ restorePoint: { id: point.id }, destinationType: 'new' })) }
  })
  t.equal(patched.statusCode, 200)
  t.equal(patched.json<{ 'mailboxRestoreArtifacts@delta': unknown[] }>()['mailboxRestoreArtifacts@delta'].length, 3)
  const artifacts = await app.inject({ url: `${SESSIONS}/${id}/mailboxRestoreArtifacts?$expand=restorePoint($select=id)`, headers })
  t.strictSame(artifacts.json<{ value: Array<{ restorePoint: { id: string } }> }>().value.map((artifact) => artifact.restorePoint.id), points.map((point) => point.id))
  const session = await app.inject({ url: `${SESSIONS}/${id}?$select=restoreSessionArtifactCount`, headers })
  t.strictSame(session.json<{ restoreSessionArtifactCount: unknown }>().restoreSessionArtifactCount, { completed: 0, failed: 0, inProgress: 0, total: 3 })
})
