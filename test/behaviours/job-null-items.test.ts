// A bulk addition job's lists may hold null items (the contract's items are nullable strings): a null
// names no resource, so the job adds what the other items name and is not failed for it.
import t from 'tap'
import { BETA, MAILBOX_A, STEP, createExchangePolicy, get, mockApp, post, unitsOf } from './protection-helpers.js'

t.test('null items of mailboxes and directoryObjectIds are skipped', async (t) => {
  const app = await mockApp(t)
  const policy = await createExchangePolicy(app, [])
  const job = await post(app, `${BETA}/mailboxProtectionUnitsBulkAdditionJobs`, { displayName: 'Nulls', mailboxes: [null], directoryObjectIds: [null, MAILBOX_A, null] })
  t.equal(job.statusCode, 201, 'created', { body: job.body })
  const created = job.json<{ id: string, status: string, mailboxes: unknown[], directoryObjectIds: unknown[] }>()
  t.strictSame([created.status, created.mailboxes, created.directoryObjectIds], ['active', [null], [null, MAILBOX_A, null]], 'stored as sent')
  const units = await unitsOf(app, String(policy.id))
  t.strictSame(units.map((unit) => [unit.directoryObjectId, unit.status]), [[MAILBOX_A, 'protectRequested']], 'the one named mailbox is added')
  app.clock.advance(STEP)
  const done = await get(app, `${BETA}/mailboxProtectionUnitsBulkAdditionJobs/${created.id}`)
  t.match(done.json(), { status: 'completed', error: null })
})

t.test('a job of nothing but nulls completes with nothing added', async (t) => {
  const app = await mockApp(t)
  const policy = await createExchangePolicy(app, [])
  const job = await post(app, `${BETA}/mailboxProtectionUnitsBulkAdditionJobs`, { mailboxes: [null, null] })
  t.equal(job.statusCode, 201, 'created', { body: job.body })
  t.strictSame(await unitsOf(app, String(policy.id)), [])
  app.clock.advance(STEP)
  t.match((await get(app, `${BETA}/mailboxProtectionUnitsBulkAdditionJobs/${job.json<{ id: string }>().id}`)).json(), { status: 'completed', error: null })
})
