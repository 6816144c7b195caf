// Restore sessions under load and abuse: parallel PATCHes lose no artifact, reads during writes and
// steps see whole states (the counts always match the artifacts), bad bodies (`__proto__` and
// `constructor` keys, deep nesting, huge arrays) are 400 or 413 and never 5xx; and the polymorphic
// set: create through /restoreSessions with @odata.type, activate through either action name.

import t from 'tap'
import { artifact, AUTH, errorOf, get, JSON_HEADERS, patch, POINTS, post, restoreApp, ROOT, STEP } from './restore-tenant.js'

const MAILBOX_POINTS = ['M1new', 'M2new', 'M3new']

t.test('parallel PATCHes each adding artifacts: none is lost, every read in between is whole', async (t) => {
  const app = await restoreApp(t)
  const ids = await Promise.all(Array.from({ length: 20 }, async () => (await post(app, 'exchangeRestoreSessions', {})).json<{ id: string }>().id))
  const reads: Array<Promise<{ total: number, listed: number }>> = []
  const writes = ids.flatMap((id) => MAILBOX_POINTS.map(async (point) => {
    reads.push((async () => {
      const response = await get(app, `exchangeRestoreSessions/${id}?$expand=mailboxRestoreArtifacts`)
      const body = response.json<{ restoreSessionArtifactCount: { total: number }, mailboxRestoreArtifacts: unknown[] }>()
      return { total: body.restoreSessionArtifactCount.total, listed: body.mailboxRestoreArtifacts.length }
    })())
    return await patch(app, `exchangeRestoreSessions/${id}`, { 'mailboxRestoreArtifacts@delta': [artifact(point)] })
  }))
  const answers = await Promise.all(writes)
  t.strictSame([...new Set(answers.map((a) => a.statusCode))], [200], 'every PATCH answered 200')
  for (const read of await Promise.all(reads)) {
    if (read.total !== read.listed) t.fail(`a read saw ${read.total} counted and ${read.listed} listed`)
  }
  for (const id of ids) {
    const body = (await get(app, `exchangeRestoreSessions/${id}?$expand=mailboxRestoreArtifacts`)).json<{ restoreSessionArtifactCount: { total: number }, mailboxRestoreArtifacts: unknown[] }>()
    if (body.restoreSessionArtifactCount.total !== 3 || body.mailboxRestoreArtifacts.length !== 3) t.fail(`session ${id}: ${JSON.stringify(body.restoreSessionArtifactCount)}`)
  }
  t.pass('all 60 artifacts are there, three per session')
  // The same mailbox added to one session by parallel PATCHes: exactly one wins.
  const one = (await post(app, 'exchangeRestoreSessions', {})).json<{ id: string }>().id
  const racing = await Promise.all(Array.from({ length: 10 }, async () => await patch(app, `exchangeRestoreSessions/${one}`, { 'mailboxRestoreArtifacts@delta': [artifact('M1new')] })))
  t.strictSame(racing.map((r) => r.statusCode).sort(), [200, 400, 400, 400, 400, 400, 400, 400, 400, 400])
})

t.test('polls while the clock moves see counts that always add up', async (t) => {
  const app = await restoreApp(t, { failureRate: 0.5 })
  const id = (await post(app, 'exchangeRestoreSessions', { mailboxRestoreArtifacts: MAILBOX_POINTS.map((point) => artifact(point)) })).json<{ id: string }>().id
  await post(app, `restoreSessions/${id}/activate`)
  const seen: string[] = []
  for (let i = 0; i < 8; i++) {
    app.clock.advance(STEP / 2)
    const [session, list] = await Promise.all([get(app, `exchangeRestoreSessions/${id}`), get(app, `exchangeRestoreSessions/${id}/mailboxRestoreArtifacts`)])
    const count = session.json<{ status: string, restoreSessionArtifactCount: { total: number, completed: number, inProgress: number, failed: number } }>()
    const statuses = list.json<{ value: Array<{ status: string }> }>().value.map((a) => a.status)
    const c = count.restoreSessionArtifactCount
    t.equal(c.total, 3)
    t.equal(c.completed, statuses.filter((s) => s === 'succeeded').length, 'completed = succeeded artifacts')
    t.equal(c.failed, statuses.filter((s) => s === 'failed').length, 'failed = failed artifacts')
    t.equal(c.inProgress, statuses.filter((s) => ['scheduling', 'scheduled', 'inProgress'].includes(s)).length, 'in progress = picked up and not finished')
    seen.push(count.status)
  }
  t.strictSame([...new Set(seen)].slice(0, 2), ['activating', 'active'], 'the session goes through activating and active, in order')
})

t.test('bad bodies: __proto__ and constructor keys, deep nesting, huge arrays: 400 or 413, never 5xx, nothing stored', async (t) => {
  const app = await restoreApp(t)
  const before = (await get(app, 'restoreSessions')).body
  const raw = async (path: string, payload: string, method: 'POST' | 'PATCH' = 'POST') => await app.inject({ method, url: `${ROOT}/${path}`, headers: JSON_HEADERS, payload })
  // The body parser refuses such keys before any write reads them, with Graph's unreadable-body 400.
  const unreadable = { status: 400, code: 'BadRequest', message: 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.' }
  t.strictSame(errorOf(await raw('exchangeRestoreSessions', `{"__proto__":{"status":"completed"},"mailboxRestoreArtifacts":[${JSON.stringify(artifact('M1new'))}]}`)), unreadable)
  t.strictSame(errorOf(await raw('exchangeRestoreSessions', `{"mailboxRestoreArtifacts":[{"__proto__":{"status":"succeeded"},"restorePoint":{"id":"${POINTS.M1new}"},"destinationType":"new"}]}`)), unreadable)
  t.strictSame(errorOf(await raw('exchangeRestoreSessions', '{"constructor":{"prototype":{"status":"completed"}}}')), unreadable)
  t.equal(({} as Record<string, unknown>).status, undefined, 'no prototype was polluted')
  let deep = '{"id":"x"}'
  for (let i = 0; i < 2000; i++) deep = `{"restorePoint":${deep}}`
  const nested = await raw('exchangeRestoreSessions', `{"mailboxRestoreArtifacts":[${deep}]}`)
  t.ok(nested.statusCode === 400, `deep nesting: ${nested.statusCode}`)
  const huge = await raw('exchangeRestoreSessions', JSON.stringify({ mailboxRestoreArtifacts: Array.from({ length: 10000 }, () => artifact('M1new')) }))
  t.ok(huge.statusCode === 413, `10,000 artifacts: ${huge.statusCode} ${huge.body.slice(0, 120)}`)
  const session = (await post(app, 'exchangeRestoreSessions', {})).json<{ id: string }>().id
  const after = (await get(app, 'restoreSessions')).body
  const hugePatch = await raw(`exchangeRestoreSessions/${session}`, JSON.stringify({ 'mailboxRestoreArtifacts@delta': Array.from({ length: 5000 }, () => artifact('M1new')) }), 'PATCH')
  t.strictSame(errorOf(hugePatch), { status: 400, code: 'RestoreArtifactsLimitBreached', message: 'Restore Artifacts limit is breached.' })
  const notArray = await raw(`exchangeRestoreSessions/${session}`, '{"mailboxRestoreArtifacts@delta":{"restorePoint":{"id":"x"}}}', 'PATCH')
  t.strictSame(errorOf(notArray), { status: 400, code: 'BadRequest', message: 'The value of \'mailboxRestoreArtifacts@delta\' must be an array of changes.' })
  const weird = ['null', '[]', '"text"', '{"mailboxRestoreArtifacts":null}', '{"mailboxRestoreArtifacts":[null]}', '{"mailboxRestoreArtifacts":[{"restorePoint":"M1"}]}', '{"mailboxRestoreArtifacts":[{"restorePoint":{"id":5},"destinationType":"new"}]}']
  for (const payload of weird) {
    const response = await raw('exchangeRestoreSessions', payload)
    t.ok(response.statusCode >= 400 && response.statusCode < 500, `${payload}: ${response.statusCode}`)
  }
  t.not(after, before, 'the one good create was stored')
  t.equal((await get(app, 'restoreSessions')).body, after, 'no refused request stored anything')
})

t.test('the polymorphic set: create with @odata.type through /restoreSessions, activate by either action name', async (t) => {
  const app = await restoreApp(t)
  const created = await post(app, 'restoreSessions', { '@odata.type': '#microsoft.graph.sharePointRestoreSession', siteRestoreArtifacts: [artifact('S1new')] })
  t.equal(created.statusCode, 201, created.body)
  const id = created.json<{ id: string }>().id
  t.match(created.json(), { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/restoreSessions/$entity', '@odata.type': '#microsoft.graph.sharePointRestoreSession', status: 'draft', restoreSessionArtifactCount: { total: 1 } })
  t.equal((await get(app, `sharePointRestoreSessions/${id}`)).statusCode, 200, 'stored in its workload\'s set')
  t.strictSame(errorOf(await post(app, 'restoreSessions', { siteRestoreArtifacts: [] })), { status: 400, code: 'BadRequest', message: 'A microsoft.graph.restoreSessionBase cannot be created in restoreSessions.' }, 'without @odata.type: no workload')
  const patched = await patch(app, `restoreSessions/${id}`, { 'siteRestoreArtifacts@delta': [artifact('S2new')] })
  t.equal(patched.statusCode, 200, patched.body)
  const activated = await app.inject({ method: 'POST', url: `${ROOT}/restoreSessions/${id}/microsoft.graph.activate`, headers: AUTH })
  t.equal(activated.statusCode, 200, activated.body)
  t.match(activated.json(), { status: 'activating', restoreSessionArtifactCount: { total: 2, inProgress: 2 } })
  const other = (await post(app, 'restoreSessions', { '@odata.type': '#microsoft.graph.exchangeRestoreSession', mailboxRestoreArtifacts: [artifact('M1new')] })).json<{ id: string }>().id
  const short = await post(app, `restoreSessions/${other}/activate`)
  t.equal(short.statusCode, 200, 'the unqualified name, as Graph\'s docs call it')
  t.match(short.json(), { '@odata.type': '#microsoft.graph.exchangeRestoreSession', status: 'activating' })
  const v1 = await app.inject({ method: 'POST', url: `/v1.0/solutions/backupRestore/restoreSessions/${other}/activate`, headers: AUTH })
  t.strictSame(errorOf(v1), { status: 403, code: 'RestoreSessionActionNotAllowed', message: 'Restore session can only be activated in Draft state.' }, 'v1.0 serves the same action on the same tenant')
  app.clock.advance(3 * STEP)
  const list = (await get(app, 'restoreSessions?$filter=status eq \'completed\'&$select=id')).json<{ value: Array<{ id: string }> }>().value.map((s) => s.id).sort()
  t.strictSame(list, [id, other].sort(), 'both completed, as $filter sees at once')
})
