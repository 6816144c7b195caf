// Inclusion rules' `run` and `deleteAndUnprotect` (the docs' policy-scoped paths and the root-level
// sets), step by step on a manual clock: whole answers, the documented refusals, what happens to the
// units a dynamic rule protected, both versions, and the permissions mode.

import t from 'tap'
import { buildApp } from '../../src/app.js'
import { issueToken } from '../../src/auth/token.js'
import { BETA, ME, STEP, V1, at, errorOf, get, mockApp, patch, post, type Mock } from './protection-helpers.js'

const POLICY = '61000000-0000-4000-8000-000000000001'
const STATIC = '62000000-0000-4000-8000-000000000001'
const DYNAMIC = '62000000-0000-4000-8000-000000000002'
const OTHER_STATIC = '62000000-0000-4000-8000-000000000003'
const DRIVE_RULE = '62000000-0000-4000-8000-000000000004'
const SITE_RULE = '62000000-0000-4000-8000-000000000005'
const UNIT_DYNAMIC = '63000000-0000-4000-8000-000000000001'
const UNIT_MANUAL = '63000000-0000-4000-8000-000000000002'
const UNKNOWN = '6f000000-0000-4000-8000-000000000000'

const CREATOR = { application: { displayName: 'Contoso Backup', id: '64000000-0000-4000-8000-000000000001' }, device: null, user: null }
const CREATED = '2026-11-01T08:00:00.0000000Z'
const EXPRESSION = '(memberOf -any (group.id -in [\'65000000-0000-4000-8000-000000000001\']))'

function rule (id: string, isAutoApplyEnabled: boolean, status: string, expression: Record<string, string>): Record<string, unknown> {
  return { id, createdBy: CREATOR, createdDateTime: CREATED, error: null, isAutoApplyEnabled, lastModifiedBy: CREATOR, lastModifiedDateTime: CREATED, status, ...expression }
}

function unit (id: string, directoryObjectId: string, protectionSources: string): Record<string, unknown> {
  const stamps = { createdBy: CREATOR, createdDateTime: CREATED, lastModifiedBy: CREATOR, lastModifiedDateTime: CREATED, offboardRequestedDateTime: null }
  return { id, policyId: POLICY, directoryObjectId, displayName: null, email: null, mailboxType: 'user', status: 'protected', protectionSources, error: null, ...stamps }
}

const DATA = {
  exchangeProtectionPolicies: [{
    id: POLICY,
    displayName: 'Exchange policy',
    status: 'active',
    isEnabled: true,
    retentionSettings: [{ interval: 'R/PT10M', period: 'P2W' }],
    protectionPolicyArtifactCount: { completed: 2, failed: 0, inProgress: 0, total: 2 },
    createdBy: CREATOR,
    createdDateTime: CREATED,
    lastModifiedBy: CREATOR,
    lastModifiedDateTime: CREATED,
    mailboxInclusionRules: [{ id: STATIC }, { id: DYNAMIC }],
    mailboxProtectionUnits: [{ id: UNIT_DYNAMIC }, { id: UNIT_MANUAL }]
  }],
  mailboxInclusionRules: [
    rule(STATIC, false, 'draft', { mailboxExpression: EXPRESSION }),
    rule(DYNAMIC, true, 'active', { mailboxExpression: EXPRESSION }),
    rule(OTHER_STATIC, false, 'completed', { mailboxExpression: EXPRESSION })
  ],
  driveInclusionRules: [rule(DRIVE_RULE, true, 'active', { driveExpression: EXPRESSION })],
  siteInclusionRules: [rule(SITE_RULE, false, 'draft', { siteExpression: EXPRESSION })],
  mailboxProtectionUnits: [
    unit(UNIT_DYNAMIC, '66000000-0000-4000-8000-000000000001', 'dynamicRule'),
    unit(UNIT_MANUAL, '66000000-0000-4000-8000-000000000002', 'manual')
  ]
}

const SCOPED = `${BETA}/exchangeProtectionPolicies/${POLICY}/mailboxInclusionRules`

function context (version: string, set: string): string {
  return `https://graph.microsoft.com/${version}/$metadata#solutions/backupRestore/${set}/$entity`
}

/** The rule as an action answers it, with what the action changed. */
function answered (version: string, set: string, type: string, record: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  return { '@odata.context': context(version, set), '@odata.type': `#microsoft.graph.${type}`, ...record, ...changes }
}

async function rulesData (): Promise<Mock> {
  return await mockApp(t, DATA)
}

t.test('run on a policy\'s rule: 202, the rule active with Content-Location, completed one step later', async (t) => {
  const app = await mockApp(t, DATA)
  const response = await post(app, `${SCOPED}/${STATIC}/run`)
  t.equal(response.statusCode, 202)
  t.equal(response.headers['content-location'], `http://localhost:80/beta/solutions/backupRestore/exchangeProtectionPolicies/${POLICY}/mailboxInclusionRules('${STATIC}')`)
  t.equal(response.headers['preference-applied'], undefined, 'no Prefer, no Preference-Applied')
  const active = answered('beta', 'mailboxInclusionRules', 'mailboxProtectionRule', DATA.mailboxInclusionRules[0] ?? {}, { status: 'active', lastModifiedBy: ME, lastModifiedDateTime: at(0) })
  t.strictSame(response.json(), active)
  const read = await get(app, `${BETA}/mailboxInclusionRules/${STATIC}`)
  t.strictSame(read.json(), { ...active, '@odata.context': context('beta', 'mailboxInclusionRules') })
  app.clock.advance(STEP - 1)
  t.equal((await get(app, `${SCOPED}/${STATIC}`)).json<{ status: string }>().status, 'active', 'still active before the step')
  app.clock.advance(1)
  const done = await get(app, `${SCOPED}/${STATIC}`)
  t.strictSame(done.json(), {
    ...active,
    '@odata.context': `https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeProtectionPolicies('${POLICY}')/mailboxInclusionRules/$entity`,
    status: 'completed',
    lastModifiedDateTime: at(STEP)
  })
  const again = await post(app, `${SCOPED}/${STATIC}/microsoft.graph.run`)
  t.strictSame([again.statusCode, errorOf(again.body)], [400, { code: 'ProtectionRuleActionNotAllowed', message: 'Invalid state to invoke the run action.' }], 'a completed rule cannot run again')
})

t.test('run on the root-level sets, each workload; the refusals with their codes, nothing changed', async (t) => {
  const app = await rulesData()
  const site = await post(app, `${BETA}/siteInclusionRules/${SITE_RULE}/microsoft.graph.run`)
  t.equal(site.statusCode, 202)
  t.strictSame(site.json(), answered('beta', 'siteInclusionRules', 'siteProtectionRule', DATA.siteInclusionRules[0] ?? {}, { status: 'active', lastModifiedBy: ME, lastModifiedDateTime: at(0) }))
  t.equal(site.headers['content-location'], `http://localhost:80/beta/solutions/backupRestore/siteInclusionRules('${SITE_RULE}')`)

  const dynamic = await post(app, `${BETA}/mailboxInclusionRules/${DYNAMIC}/run`)
  t.strictSame([dynamic.statusCode, errorOf(dynamic.body)], [400, { code: 'RunNotAllowedForDynamicRule', message: 'Invalid operation for dynamic rules.' }])
  const drive = await post(app, `${BETA}/oneDriveForBusinessProtectionPolicies/${UNKNOWN}/driveInclusionRules/${DRIVE_RULE}/run`)
  t.strictSame([drive.statusCode, errorOf(drive.body)], [404, { code: 'PolicyNotFound', message: 'Unable to get the Protection Policy.' }])
  const completed = await post(app, `${BETA}/mailboxInclusionRules/${OTHER_STATIC}/run`)
  t.strictSame([completed.statusCode, errorOf(completed.body)], [400, { code: 'ProtectionRuleActionNotAllowed', message: 'Invalid state to invoke the run action.' }])
  const unknown = await post(app, `${BETA}/mailboxInclusionRules/${UNKNOWN}/run`)
  t.strictSame([unknown.statusCode, errorOf(unknown.body)], [404, { code: 'ProtectionRuleNotFound', message: 'The given rule ID is either incorrect or the rule was deleted.' }])
  const notUnder = await post(app, `${SCOPED}/${OTHER_STATIC}/run`)
  t.strictSame([notUnder.statusCode, errorOf(notUnder.body)], [404, { code: 'ProtectionRuleNotFound', message: 'The given rule ID is either incorrect or the rule was deleted.' }], 'a rule the policy does not hold is not found under it')
  const withBody = await post(app, `${SCOPED}/${STATIC}/run`, { force: true })
  t.strictSame([withBody.statusCode, errorOf(withBody.body)], [400, { code: 'BadRequest', message: 'The parameter \'force\' in the request payload is not a valid parameter for the operation \'run\'.' }])
  t.equal((await get(app, `${BETA}/mailboxInclusionRules/${STATIC}`)).json<{ status: string }>().status, 'draft', 'the refused requests changed nothing')
  t.equal((await get(app, `${BETA}/mailboxInclusionRules/${DYNAMIC}`)).json<{ status: string }>().status, 'active')
  const get405 = await get(app, `${BETA}/mailboxInclusionRules/${STATIC}/microsoft.graph.run`)
  t.equal(get405.statusCode, 405, 'run is an action: GET is not served')
  t.equal(get405.headers.allow, 'POST, OPTIONS')
})

t.test('deleteAndUnprotect: deleteRequested, the rule\'s units lose dynamicRule, then the rule is gone', async (t) => {
  const app = await rulesData()
  const response = await post(app, `${SCOPED}/${DYNAMIC}/deleteAndUnprotect`)
  t.equal(response.statusCode, 202)
  t.equal(response.headers['content-location'], `http://localhost:80/beta/solutions/backupRestore/exchangeProtectionPolicies/${POLICY}/mailboxInclusionRules('${DYNAMIC}')`)
  const requested = answered('beta', 'mailboxInclusionRules', 'mailboxProtectionRule', DATA.mailboxInclusionRules[1] ?? {}, { status: 'deleteRequested', lastModifiedBy: ME, lastModifiedDateTime: at(0) })
  t.strictSame(response.json(), requested, 'deleteRequested (an evolvable member) shown, as the examples show it')

  const units = async (): Promise<unknown[]> => (await get(app, `${BETA}/mailboxProtectionUnits?$select=id,status,protectionSources&$orderby=id`)).json<{ value: unknown[] }>().value
  const unitType = '#microsoft.graph.mailboxProtectionUnit'
  t.strictSame(await units(), [
    { '@odata.type': unitType, id: UNIT_DYNAMIC, status: 'removeRequested', protectionSources: 'none' },
    { '@odata.type': unitType, id: UNIT_MANUAL, status: 'protected', protectionSources: 'manual' }
  ])
  t.match((await get(app, `${BETA}/exchangeProtectionPolicies/${POLICY}`)).json(), { status: 'updating', protectionPolicyArtifactCount: { completed: 1, failed: 0, inProgress: 1, total: 2 } })

  // While deleteRequested, nothing else is allowed on the rule.
  const twice = await post(app, `${BETA}/mailboxInclusionRules/${DYNAMIC}/deleteAndUnprotect`)
  t.strictSame([twice.statusCode, errorOf(twice.body)], [422, { code: 'InvalidProtectionRuleStatusForDynamicRuleDeleteAndUnprotectAll', message: 'Invalid state to invoke the **deleteAndUnprotect** action.' }])
  const patched = await patch(app, `${BETA}/mailboxInclusionRules/${DYNAMIC}`, { mailboxExpression: EXPRESSION })
  t.strictSame([patched.statusCode, errorOf(patched.body)], [422, { code: 'InvalidProtectionRuleStatusForDynamicRuleEdit', message: 'The patch operation isn\'t allowed in the `deleteRequested` state.' }])
  const deleted = await app.inject({ method: 'DELETE', url: `${BETA}/mailboxInclusionRules/${DYNAMIC}`, headers: { authorization: 'Bearer x' } })
  t.strictSame([deleted.statusCode, errorOf(deleted.body)], [422, { code: 'InvalidProtectionRuleStatusForDynamicRuleDeletion', message: 'Invalid state to invoke the delete operation on a dynamic rule.' }])

  app.clock.advance(STEP)
  const gone = await get(app, `${BETA}/mailboxInclusionRules/${DYNAMIC}`)
  t.strictSame([gone.statusCode, errorOf(gone.body)], [404, { code: 'ProtectionRuleNotFound', message: 'The given rule ID is either incorrect or the rule was deleted.' }])
  const held = (await get(app, `${SCOPED}?$select=id`)).json<{ value: Array<{ id: string }> }>().value.map((item) => item.id)
  t.strictSame(held, [STATIC], 'the policy no longer lists the rule')
  t.strictSame(await units(), [
    { '@odata.type': unitType, id: UNIT_DYNAMIC, status: 'unprotected', protectionSources: 'none' },
    { '@odata.type': unitType, id: UNIT_MANUAL, status: 'protected', protectionSources: 'manual' }
  ])
  const listed = (await get(app, `${BETA}/exchangeProtectionPolicies/${POLICY}/mailboxProtectionUnits?$select=id`)).json<{ value: Array<{ id: string }> }>().value.map((item) => item.id)
  t.strictSame(listed, [UNIT_MANUAL], 'the unit the rule protected left the policy')
  t.match((await get(app, `${BETA}/exchangeProtectionPolicies/${POLICY}`)).json(), { status: 'active', protectionPolicyArtifactCount: { completed: 1, failed: 0, inProgress: 0, total: 1 } })
})

t.test('deleteAndUnprotect refuses a static rule (422) and an unknown one (404); a rule of no policy just goes', async (t) => {
  const app = await rulesData()
  const static422 = await post(app, `${SCOPED}/${STATIC}/microsoft.graph.deleteAndUnprotect`)
  t.strictSame([static422.statusCode, errorOf(static422.body)], [422, { code: 'InvalidProtectionRuleStatusForDynamicRuleDeleteAndUnprotectAll', message: 'Invalid state to invoke the **deleteAndUnprotect** action.' }])
  const unknown = await post(app, `${BETA}/driveInclusionRules/${UNKNOWN}/deleteAndUnprotect`)
  t.strictSame([unknown.statusCode, errorOf(unknown.body)], [404, { code: 'ProtectionRuleNotFound', message: 'The given rule ID is either incorrect or the rule was deleted.' }])
  const notGuid = await post(app, `${BETA}/driveInclusionRules/not-a-guid/deleteAndUnprotect`)
  t.strictSame([notGuid.statusCode, errorOf(notGuid.body)], [400, { code: 'InvalidInclusionRuleId', message: 'The rule ID is invalid.' }])
  const drive = await post(app, `${BETA}/driveInclusionRules/${DRIVE_RULE}/deleteAndUnprotect`)
  t.equal(drive.statusCode, 202)
  t.strictSame(drive.json(), answered('beta', 'driveInclusionRules', 'driveProtectionRule', DATA.driveInclusionRules[0] ?? {}, { status: 'deleteRequested', lastModifiedBy: ME, lastModifiedDateTime: at(0) }))
  app.clock.advance(STEP)
  t.equal((await get(app, `${BETA}/driveInclusionRules/${DRIVE_RULE}`)).statusCode, 404)
  t.equal((await get(app, `${BETA}/driveInclusionRules/$count`)).body, '0')
})

t.test('v1.0: the same actions; deleteRequested is not a v1.0 member, so it is unknownFutureValue there', async (t) => {
  const app = await rulesData()
  const run = await post(app, `${V1}/exchangeProtectionPolicies/${POLICY}/mailboxInclusionRules/${STATIC}/run`)
  t.equal(run.statusCode, 202)
  t.strictSame(run.json(), answered('v1.0', 'mailboxInclusionRules', 'mailboxProtectionRule', DATA.mailboxInclusionRules[0] ?? {}, { status: 'active', lastModifiedBy: ME, lastModifiedDateTime: at(0) }))
  const removed = await post(app, `${V1}/mailboxInclusionRules/${DYNAMIC}/deleteAndUnprotect`)
  t.equal(removed.statusCode, 202)
  t.strictSame(removed.json(), answered('v1.0', 'mailboxInclusionRules', 'mailboxProtectionRule', DATA.mailboxInclusionRules[1] ?? {}, { status: 'unknownFutureValue', lastModifiedBy: ME, lastModifiedDateTime: at(0) }))
  const beta = await app.inject({ url: `${BETA}/mailboxInclusionRules/${DYNAMIC}`, headers: { authorization: 'Bearer x', prefer: 'include-unknown-enum-members' } })
  t.equal(beta.json<{ status: string }>().status, 'deleteRequested', 'beta shows the stored status to a client that asks')
})

t.test('permissions mode: the actions take BackupRestore-Configuration.ReadWrite.All', async (t) => {
  const app = await buildApp({ data: DATA, authMode: 'permissions', clockMode: 'manual', clockStart: '2026-12-01T09:00:00Z' } as never)
  t.teardown(async () => { await app.close() })
  const token = async (roles: string[]): Promise<string> => `Bearer ${(await issueToken({ roles }, [], app.clock.now())).token}`
  const reader = await app.inject({ method: 'POST', url: `${SCOPED}/${STATIC}/run`, headers: { authorization: await token(['BackupRestore-Configuration.Read.All']) } })
  t.strictSame([reader.statusCode, errorOf(reader.body)], [403, { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' }])
  const writer = await app.inject({ method: 'POST', url: `${SCOPED}/${STATIC}/run`, headers: { authorization: await token(['BackupRestore-Configuration.ReadWrite.All']) } })
  t.equal(writer.statusCode, 202)
  const unprotect = await app.inject({ method: 'POST', url: `${BETA}/siteInclusionRules/${SITE_RULE}/deleteAndUnprotect`, headers: { authorization: await token(['BackupRestore-Configuration.ReadWrite.All']) } })
  t.strictSame([unprotect.statusCode, errorOf(unprotect.body)], [422, { code: 'InvalidProtectionRuleStatusForDynamicRuleDeleteAndUnprotectAll', message: 'Invalid state to invoke the **deleteAndUnprotect** action.' }], 'authorized, then refused for the static rule')
})
