// Protection units: offboard / cancelOffboard with their rules and the examples' 403 bodies;
// restore points on the clock, bounded; restorePoints/search's filters and errors; bulk addition jobs.
import t from 'tap'
import {
  BETA, INTERVAL, MAILBOX_A, MAILBOX_B, ME, STEP, V1, at, createExchangePolicy, errorOf, get, mockApp, patch, post, unitsOf
} from './protection-helpers.js'

t.test('offboard: only a unit removed from its policy; cancelOffboard: only in the offboarding flow', async (t) => {
  const app = await mockApp(t)
  const policy = await createExchangePolicy(app, [MAILBOX_A, MAILBOX_B])
  const [unitB, unitA] = await unitsOf(app, String(policy.id))
  const attached = await post(app, `${BETA}/protectionUnits/${String(unitA?.id)}/offboard`)
  t.equal(attached.statusCode, 403)
  t.strictSame(attached.json(), { error: { code: 'OperationNotAllowed', message: 'Can\'t process this request as it is not in valid state.', details: [] } })
  const notInFlow = await post(app, `${BETA}/protectionUnits/${String(unitA?.id)}/cancelOffboard`)
  t.equal(notInFlow.statusCode, 403)
  t.strictSame(notInFlow.json(), { error: { code: 'OperationNotAllowed', message: 'Offboarding cannot be cancelled as it is not in a valid state.', details: [] } })

  await patch(app, `${BETA}/exchangeProtectionPolicies/${String(policy.id)}`, { 'mailboxProtectionUnits@delta': [{ '@removed': { reason: 'changed' }, id: unitA?.id }] })
  const pending = await post(app, `${BETA}/protectionUnits/${String(unitA?.id)}/offboard`)
  t.equal(pending.statusCode, 403, 'still removeRequested: not yet removed')
  app.clock.advance(STEP)
  const offboarded = await post(app, `${BETA}/protectionUnits/${String(unitA?.id)}/offboard`)
  t.equal(offboarded.statusCode, 200)
  t.strictSame(offboarded.json(), {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/protectionUnits/$entity',
    '@odata.type': '#microsoft.graph.mailboxProtectionUnit',
    id: unitA?.id,
    createdBy: ME,
    createdDateTime: at(0),
    error: null,
    lastModifiedBy: ME,
    lastModifiedDateTime: at(STEP),
    offboardRequestedDateTime: at(STEP),
    policyId: policy.id,
    protectionSources: 'manual',
    status: 'offboardRequested',
    directoryObjectId: MAILBOX_A,
    displayName: null,
    email: null,
    mailboxType: null
  })
  t.equal((await post(app, `${BETA}/protectionUnits/${String(unitA?.id)}/offboard`)).statusCode, 403, 'not twice')
  app.clock.advance(STEP)
  const read = await app.inject({ method: 'GET', url: `${BETA}/protectionUnits/${String(unitA?.id)}`, headers: { authorization: 'Bearer x', prefer: 'include-unknown-enum-members' } })
  t.match(read.json(), { status: 'offboarded', lastModifiedDateTime: at(2 * STEP) })
  const cancelled = await post(app, `${BETA}/protectionUnits/${String(unitA?.id)}/cancelOffboard`)
  t.equal(cancelled.statusCode, 200)
  t.match(cancelled.json(), { status: 'cancelOffboardRequested', offboardRequestedDateTime: at(STEP) })
  app.clock.advance(STEP)
  t.match((await get(app, `${BETA}/protectionUnits/${String(unitA?.id)}`)).json(), { status: 'unprotected', offboardRequestedDateTime: null })
  t.match((await get(app, `${BETA}/protectionUnits/${String(unitB?.id)}`)).json(), { status: 'unprotected', policyId: policy.id })
})

t.test('restore points: bounded by the retention, none once the unit is no longer protected', async (t) => {
  const app = await mockApp(t)
  const created = await post(app, `${BETA}/exchangeProtectionPolicies`, { displayName: 'Short', retentionSettings: [{ interval: 'R/PT1H', period: 'PT3H' }], mailboxProtectionUnits: [{ directoryObjectId: MAILBOX_A }] })
  const id = String(created.json<{ id: string }>().id)
  await post(app, `${V1}/protectionPolicies/${id}/activate`)
  app.clock.advance(STEP)
  for (let hour = 1; hour <= 10; hour++) app.clock.advance(INTERVAL)
  const points = (await get(app, `${V1}/restorePoints?$orderby=protectionDateTime`)).json<{ value: Array<{ protectionDateTime: string, expirationDateTime: string }> }>().value
  t.strictSame(points.map((point) => [point.protectionDateTime, point.expirationDateTime]), [8, 9, 10].map((hour) => [at(STEP + hour * INTERVAL), at(STEP + (hour + 3) * INTERVAL)]), 'expired points are pruned as new ones come')
  await post(app, `${V1}/protectionPolicies/${id}/deactivate`)
  app.clock.advance(STEP)
  app.clock.advance(5 * INTERVAL)
  t.equal((await get(app, `${V1}/restorePoints/$count`)).body, '3', 'an unprotected unit gets no new point (and its last ones stay)')
})

t.test('restorePoints/search: filters, at most five per unit, and the documented 400s', async (t) => {
  const app = await mockApp(t)
  const policy = await createExchangePolicy(app, [MAILBOX_A])
  await post(app, `${V1}/protectionPolicies/${String(policy.id)}/activate`)
  app.clock.advance(STEP + 8 * INTERVAL)
  const [unit] = await unitsOf(app, String(policy.id))
  const url = `${V1}/restorePoints/microsoft.graph.search`
  const times = async (body: Record<string, unknown>): Promise<string[]> => {
    const response = await post(app, url, { protectionUnitIds: [unit?.id], ...body })
    t.equal(response.statusCode, 200, response.body.slice(0, 200))
    return response.json<{ searchResults: Array<{ restorePoint: { protectionDateTime: string } }> }>().searchResults.map((result) => result.restorePoint.protectionDateTime)
  }
  t.strictSame(await times({}), [8, 7, 6, 5, 4].map((hour) => at(STEP + hour * INTERVAL)), 'latest first, five at most')
  t.strictSame(await times({ restorePointPreference: 'oldest' }), [1, 2, 3, 4, 5].map((hour) => at(STEP + hour * INTERVAL)))
  t.strictSame(await times({ protectionTimePeriod: { startDateTime: at(STEP + 2 * INTERVAL), endDateTime: at(STEP + 3 * INTERVAL) } }), [3, 2].map((hour) => at(STEP + hour * INTERVAL)), 'both ends included')
  t.strictSame(await times({ protectionTimePeriod: { startDateTime: at(STEP + 7 * INTERVAL) } }), [8, 7].map((hour) => at(STEP + hour * INTERVAL)))
  t.strictSame(await times({ tags: 'fastRestore' }), [], 'no point of the mock is a fast-restore point')
  const hit = await post(app, url, { protectionUnitIds: [unit?.id], artifactQuery: { artifactType: 'message', queryExpression: '(Sender -eq \'abc@contoso.com\')' } })
  t.match(hit.json(), { searchResults: [{ artifactHitCount: Number }] })

  const errors: Array<[string, unknown, string, string]> = [
    ['no unit ids', {}, 'InvalidSearchRequest', 'Restore point input is invalid.'],
    ['an empty list', { protectionUnitIds: [] }, 'InvalidSearchRequest', 'Restore point input is invalid.'],
    ['21 units', { protectionUnitIds: Array.from({ length: 21 }, (_, i) => `20000000-0000-4000-8000-${String(i).padStart(12, '0')}`) }, 'FilterLengthExceeded', 'Filter length exceeds allowed limit.'],
    ['an id that is no GUID', { protectionUnitIds: ['x'] }, 'InvalidProtectionUnitId', 'Invalid Protection unit ID.'],
    ['start after end', { protectionUnitIds: [unit?.id], protectionTimePeriod: { startDateTime: '2026-12-02T00:00:00Z', endDateTime: '2026-12-01T00:00:00Z' } }, 'InvalidSearchRequest', 'Restore point input is invalid.'],
    ['an artifact query over two units', { protectionUnitIds: [unit?.id, MAILBOX_B], artifactQuery: { artifactType: 'message', queryExpression: 'x' } }, 'InvalidSearchRequest', 'Restore point input is invalid.']
  ]
  for (const [name, body, code, message] of errors) {
    const response = await post(app, url, body)
    t.equal(response.statusCode, 400, name)
    t.strictSame(errorOf(response.body), { code, message }, name)
  }
  const wrong = await post(app, url, { protectionUnitIds: [unit?.id], restorePointPreference: 'newest' })
  t.strictSame([wrong.statusCode, errorOf(wrong.body)], [400, { code: 'BadRequest', message: 'The value \'newest\' is not a member of the enum type \'microsoft.graph.restorePointPreference\'.' }])
})

t.test('bulk addition jobs: active, units added to the policy, then completed or completedWithErrors', async (t) => {
  const app = await mockApp(t, {
    driveProtectionUnits: [{ id: '30000000-0000-4000-8000-000000000001', status: 'unprotected', directoryObjectId: MAILBOX_B, displayName: 'Adele Vance', email: 'adele.vance@contoso.com' }]
  })
  const policy = await createExchangePolicy(app, [])
  const job = await post(app, `${BETA}/mailboxProtectionUnitsBulkAdditionJobs`, { displayName: 'Bulk', mailboxes: ['adele.vance@contoso.com'], directoryObjectIds: [MAILBOX_A] })
  t.equal(job.statusCode, 201)
  const jobId = String(job.json<{ id: string }>().id)
  t.match(job.json(), { status: 'active', error: null, displayName: 'Bulk' })
  const units = await unitsOf(app, String(policy.id))
  t.strictSame(units.map((unit) => [unit.directoryObjectId, unit.displayName, unit.email, unit.status]), [[MAILBOX_B, 'Adele Vance', 'adele.vance@contoso.com', 'protectRequested'], [MAILBOX_A, null, null, 'protectRequested']])
  const linked = (await get(app, `${BETA}/exchangeProtectionPolicies/${String(policy.id)}/mailboxProtectionUnitsBulkAdditionJobs`)).json<{ value: Array<{ id: string }> }>().value
  t.strictSame(linked.map((item) => item.id), [jobId])
  app.clock.advance(STEP)
  t.match((await get(app, `${BETA}/mailboxProtectionUnitsBulkAdditionJobs/${jobId}`)).json(), { status: 'completed', error: null, lastModifiedDateTime: at(STEP) })

  const partly = await post(app, `${BETA}/mailboxProtectionUnitsBulkAdditionJobs`, { displayName: 'Partly', mailboxes: ['nobody@contoso.com'] })
  app.clock.advance(STEP)
  t.match((await get(app, `${BETA}/mailboxProtectionUnitsBulkAdditionJobs/${String(partly.json<{ id: string }>().id)}`)).json(), {
    status: 'completedWithErrors',
    error: { code: 'ProtectionUnitNotFound', message: 'These resources could not be added: nobody@contoso.com.' }
  })
})

t.test('inclusion rules: created draft; the expression rules', async (t) => {
  const app = await mockApp(t)
  const rule = await post(app, `${BETA}/mailboxInclusionRules`, { mailboxExpression: 'group -eq \'x\'' })
  t.equal(rule.statusCode, 201)
  t.match(rule.json(), { status: 'draft', isAutoApplyEnabled: false, error: null, mailboxExpression: 'group -eq \'x\'' })
  const empty = await post(app, `${BETA}/siteInclusionRules`, { siteExpression: '' })
  t.strictSame([empty.statusCode, errorOf(empty.body)], [400, { code: 'InvalidRuleExpression', message: 'The expression isn\'t valid and can\'t be parsed.' }])
  const groups = Array.from({ length: 101 }, (_, i) => `40000000-0000-4000-8000-${String(i).padStart(12, '0')}`).join(',')
  const many = await post(app, `${BETA}/driveInclusionRules`, { driveExpression: `memberOf -any (group.id -in [${groups}])` })
  t.strictSame([many.statusCode, errorOf(many.body)], [413, { code: 'InvalidRuleExpressionGroupLimitExceeded', message: 'The expression contains more group IDs than the imposed limit allows.' }])
  const id = String(rule.json<{ id: string }>().id)
  const patched = await patch(app, `${BETA}/mailboxInclusionRules/${id}`, { mailboxExpression: 'y' })
  t.strictSame([patched.statusCode, errorOf(patched.body)], [400, { code: 'PatchNotAllowedForStaticRule', message: 'Invalid update request.' }])
  const auto = await patch(app, `${BETA}/mailboxInclusionRules/${id}`, { isAutoApplyEnabled: true })
  t.strictSame([auto.statusCode, errorOf(auto.body)], [400, { code: 'InvalidProtectionRulePatchRequest', message: 'The **isAutoApplyEnabled** parameter can be supplied only at the time of creation. The conversion between a static rule and a dynamic rule, and vice versa, isn\'t allowed.' }])
  t.equal((await app.inject({ method: 'DELETE', url: `${BETA}/mailboxInclusionRules/${id}`, headers: { authorization: 'Bearer x' } })).statusCode, 204)
})

t.test('clock tasks tolerate what was deleted meanwhile; a unit a policy holds cannot be deleted', async (t) => {
  const app = await mockApp(t)
  const policy = await createExchangePolicy(app, [MAILBOX_A])
  const [unit] = await unitsOf(app, String(policy.id))
  await post(app, `${V1}/protectionPolicies/${String(policy.id)}/activate`)
  app.clock.advance(STEP)
  const held = await app.inject({ method: 'DELETE', url: `${BETA}/mailboxProtectionUnits/${String(unit?.id)}`, headers: { authorization: 'Bearer x' } })
  t.strictSame([held.statusCode, errorOf(held.body)], [403, { code: 'OperationNotAllowed', message: 'Can\'t process this request as it is not in valid state.' }])
  // Removed from its policy, it can go; its pending restore point then finds nothing and stops.
  await patch(app, `${BETA}/exchangeProtectionPolicies/${String(policy.id)}`, { 'mailboxProtectionUnits@delta': [{ '@removed': { reason: 'changed' }, id: unit?.id }] })
  app.clock.advance(STEP)
  t.equal((await app.inject({ method: 'DELETE', url: `${BETA}/mailboxProtectionUnits/${String(unit?.id)}`, headers: { authorization: 'Bearer x' } })).statusCode, 204)
  t.doesNotThrow(() => { app.clock.advance(3 * INTERVAL) })
  t.equal((await get(app, `${V1}/restorePoints/$count`)).body, '0')
  t.match((await get(app, `${BETA}/protectionPolicies/${String(policy.id)}`)).json(), { status: 'active', protectionPolicyArtifactCount: { total: 0 } })

  // A service app deleted while pendingActive, a job's policy deleted before the job completes.
  const serviceApp = await post(app, `${V1}/serviceApps`, {})
  const appId = String(serviceApp.json<{ id: string }>().id)
  await post(app, `${V1}/serviceApps/${appId}/activate`, { effectiveDateTime: at(0) })
  t.equal((await app.inject({ method: 'DELETE', url: `${V1}/serviceApps/${appId}`, headers: { authorization: 'Bearer x' } })).statusCode, 204)
  await post(app, `${V1}/protectionPolicies/${String(policy.id)}/deactivate`)
  app.clock.advance(STEP)
  const job = await post(app, `${BETA}/mailboxProtectionUnitsBulkAdditionJobs`, { displayName: 'Late', directoryObjectIds: [MAILBOX_B] })
  t.equal(job.statusCode, 201)
  t.equal((await app.inject({ method: 'DELETE', url: `${BETA}/mailboxProtectionUnitsBulkAdditionJobs/${String(job.json<{ id: string }>().id)}`, headers: { authorization: 'Bearer x' } })).statusCode, 204)
  t.doesNotThrow(() => { app.clock.advance(STEP) })
  t.equal((await get(app, `${V1}/serviceApps/${appId}`)).statusCode, 404)
})
