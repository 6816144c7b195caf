// The whole protection workflow on a manual clock, step by step: enable the service, create a
// policy with units, activate it, the units are protected one PROTECTION_STEP later, restore points
// come every RESTORE_POINT_INTERVAL, and restorePoints/search finds them.
import t from 'tap'
import { BETA, INTERVAL, MAILBOX_A, MAILBOX_B, ME, STEP, V1, at, get, mockApp, post, unitsOf } from './protection-helpers.js'

const RETENTION = [{ interval: 'R/PT10M', period: 'P2W' }, { interval: 'R/P1W', period: 'P1Y' }]
const FOURTEEN_DAYS = 14 * 24 * INTERVAL

t.test('enable → policy with units → activate → protected → restore points → search', async (t) => {
  const app = await mockApp(t)

  // 1. Enable the service: 200 with the serviceStatus, which GET of the root shows from then on.
  const enabled = await post(app, `${V1}/microsoft.graph.enable`, { appOwnerTenantId: '23014d8c-71fe-4d00-a01a-31850bc5b42a' })
  t.equal(enabled.statusCode, 200)
  const serviceStatus = {
    backupServiceConsumer: 'firstparty',
    disableReason: 'none',
    gracePeriodDateTime: null,
    lastModifiedBy: ME,
    lastModifiedDateTime: at(0),
    restoreAllowedTillDateTime: null,
    status: 'enabled'
  }
  t.strictSame(enabled.json(), { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.serviceStatus', '@odata.type': '#microsoft.graph.serviceStatus', ...serviceStatus })
  const root = await get(app, V1)
  t.strictSame(root.json(), { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/$entity', '@odata.type': '#microsoft.graph.backupRestoreRoot', id: 'backupRestore', serviceStatus })

  // 2. Create a policy with two mailboxes inline: inactive, the example's retention, units in the root set.
  const created = await post(app, `${BETA}/exchangeProtectionPolicies`, { displayName: 'Exchange Protection Policy', mailboxProtectionUnits: [{ directoryObjectId: MAILBOX_A }, { directoryObjectId: MAILBOX_B }] })
  t.equal(created.statusCode, 201)
  const policy = created.json<Record<string, unknown>>()
  const id = String(policy.id)
  t.strictSame(policy, {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeProtectionPolicies/$entity',
    '@odata.type': '#microsoft.graph.exchangeProtectionPolicy',
    id,
    billingPolicyId: null,
    createdBy: ME,
    createdDateTime: at(0),
    displayName: 'Exchange Protection Policy',
    isEnabled: false,
    lastModifiedBy: ME,
    lastModifiedDateTime: at(0),
    protectionMode: null,
    protectionPolicyArtifactCount: { completed: 2, failed: 0, inProgress: 0, total: 2 },
    retentionSettings: RETENTION,
    status: 'inactive'
  })
  let units = await unitsOf(app, id)
  t.strictSame(units.map((unit) => [unit.directoryObjectId, unit.policyId, unit.status, unit.protectionSources]), [[MAILBOX_B, id, 'unprotected', 'manual'], [MAILBOX_A, id, 'unprotected', 'manual']])
  const all = (await get(app, `${BETA}/mailboxProtectionUnits`)).json<{ value: Array<Record<string, unknown>> }>()
  t.strictSame(all.value.map((unit) => unit.id).sort(), units.map((unit) => unit.id).sort(), 'the units live in the root-level set')

  // 3. Activate: 202, updating, Content-Location; the units are protectRequested.
  const activated = await post(app, `${V1}/protectionPolicies/${id}/activate`)
  t.equal(activated.statusCode, 202)
  t.equal(activated.headers['content-location'], `http://localhost:80/v1.0/solutions/backupRestore/protectionPolicies('${id}')`)
  t.strictSame(activated.json(), {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/protectionPolicies/$entity',
    '@odata.type': '#microsoft.graph.exchangeProtectionPolicy',
    id,
    createdBy: ME,
    createdDateTime: at(0),
    displayName: 'Exchange Protection Policy',
    lastModifiedBy: ME,
    lastModifiedDateTime: at(0),
    retentionSettings: RETENTION,
    status: 'updating'
  })
  units = await unitsOf(app, id)
  t.strictSame(units.map((unit) => unit.status), ['protectRequested', 'protectRequested'])
  t.match((await get(app, `${BETA}/protectionPolicies/${id}`)).json(), { status: 'updating', isEnabled: true, protectionPolicyArtifactCount: { completed: 0, failed: 0, inProgress: 2, total: 2 } })

  // 4. One PROTECTION_STEP later (not a millisecond before) the units are protected and the policy active.
  app.clock.advance(STEP - 1)
  t.equal((await get(app, `${BETA}/protectionPolicies/${id}`)).json<{ status: string }>().status, 'updating')
  app.clock.advance(1)
  t.match((await get(app, `${BETA}/protectionPolicies/${id}`)).json(), { status: 'active', lastModifiedDateTime: at(STEP), protectionPolicyArtifactCount: { completed: 2, failed: 0, inProgress: 0, total: 2 } })
  units = await unitsOf(app, id)
  t.strictSame(units.map((unit) => [unit.status, unit.lastModifiedDateTime]), [['protected', at(STEP)], ['protected', at(STEP)]])

  // 5. Restore points: none before RESTORE_POINT_INTERVAL, then one per unit per interval.
  app.clock.advance(INTERVAL - 1)
  t.strictSame((await get(app, `${V1}/restorePoints`)).json<{ value: unknown[] }>().value, [])
  app.clock.advance(1)
  const first = (await get(app, `${V1}/restorePoints?$expand=protectionUnit($select=id)`)).json<{ value: Array<Record<string, unknown>> }>().value
  t.equal(first.length, 2)
  for (const point of first) {
    t.match(point, { protectionDateTime: at(STEP + INTERVAL), expirationDateTime: at(STEP + INTERVAL + FOURTEEN_DAYS), tags: 'none' })
  }
  t.strictSame(first.map((point) => (point.protectionUnit as { id: string }).id).sort(), units.map((unit) => unit.id).sort())
  app.clock.advance(2 * INTERVAL)
  t.equal((await get(app, `${V1}/restorePoints/$count`)).body, '6')

  // 6. Search: the latest five of the unit, its unit inline; an unknown unit in noResultProtectionUnitIds.
  const unknown = '63014d8c-71fe-4d00-a01a-31850bc5b42c'
  const search = await post(app, `${V1}/restorePoints/microsoft.graph.search`, {
    protectionUnitIds: [units[0]?.id, unknown],
    protectionTimePeriod: { startDateTime: '2026-12-01T00:00:00Z', endDateTime: '2026-12-02T00:00:00Z' },
    restorePointPreference: 'latest'
  })
  t.equal(search.statusCode, 200)
  const body = search.json<{ searchResponseId: string, searchResults: Array<{ restorePoint: Record<string, unknown> }>, noResultProtectionUnitIds: string[] }>()
  t.equal(body.noResultProtectionUnitIds.length, 1)
  t.strictSame(body.noResultProtectionUnitIds, [unknown])
  t.match(body.searchResponseId, /^[A-Za-z0-9]{26}$/)
  t.strictSame(body.searchResults.map((result) => result.restorePoint.protectionDateTime), [at(STEP + 3 * INTERVAL), at(STEP + 2 * INTERVAL), at(STEP + INTERVAL)])
  const unit = units[0] as Record<string, unknown>
  t.strictSame(body.searchResults[0]?.restorePoint.protectionUnit, {
    '@odata.type': '#microsoft.graph.mailboxProtectionUnit',
    id: unit.id,
    createdBy: ME,
    createdDateTime: at(0),
    error: null,
    lastModifiedBy: ME,
    lastModifiedDateTime: at(STEP),
    policyId: id,
    status: 'protected',
    directoryObjectId: MAILBOX_B,
    displayName: null,
    email: null
  })
  t.equal(body.searchResults[0]?.restorePoint['@odata.type'], '#microsoft.graph.restorePoint')
})

t.test('the same requests give the same ids and answers (seeded)', async (t) => {
  const run = async () => {
    const app = await mockApp(t)
    const created = await post(app, `${BETA}/exchangeProtectionPolicies`, { displayName: 'P', mailboxProtectionUnits: [{ directoryObjectId: MAILBOX_A }] })
    await post(app, `${V1}/protectionPolicies/${String(created.json<{ id: string }>().id)}/activate`)
    app.clock.advance(STEP + INTERVAL)
    return (await get(app, `${V1}/restorePoints`)).body + created.body
  }
  t.equal(await run(), await run())
})
