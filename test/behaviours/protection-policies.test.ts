// Protection policies: each documented rule and error of create, PATCH (@delta), activate,
// deactivate and delete, with exact status codes and bodies; concurrency; bad bodies.
import t from 'tap'
import {
  BETA, MAILBOX_A, MAILBOX_B, MAILBOX_C, ME, STEP, V1, at, createExchangePolicy, errorOf, get, mockApp, patch, post, unitsOf
} from './protection-helpers.js'

const ACTIVE_POLICY = '85330ba7-b1fd-4a66-b7ed-78efab5ed8dd'
const DYNAMIC_UNIT = '5fce0634-bb75-4988-b96c-4af0b18a3e93'
const ACTIVE_UNIT = '194ab8ad-c976-4db2-a9e2-dd702e0593f2'
const PROTECTED_MAILBOX = 'f6c0d364-1e58-4723-8184-51c1f290c38b'

/** A tenant with an active Exchange policy holding two protected units (one by a dynamic rule). */
const activeTenant = {
  exchangeProtectionPolicies: [{ id: ACTIVE_POLICY, displayName: 'Active', status: 'active', isEnabled: true, retentionSettings: [], mailboxProtectionUnits: [{ id: DYNAMIC_UNIT }, { id: ACTIVE_UNIT }] }],
  mailboxProtectionUnits: [
    { id: DYNAMIC_UNIT, policyId: ACTIVE_POLICY, status: 'protected', protectionSources: 'dynamicRule', directoryObjectId: PROTECTED_MAILBOX, displayName: 'Lew Reynolds', email: 'lew.reynolds@contoso.com' },
    { id: ACTIVE_UNIT, policyId: ACTIVE_POLICY, status: 'protected', protectionSources: 'manual', directoryObjectId: MAILBOX_C }
  ]
}

t.test('create: the documented errors, each with its code and message, and nothing created', async (t) => {
  const app = await mockApp(t)
  const url = `${BETA}/exchangeProtectionPolicies`
  const cases: Array<[string, unknown, number, string, string]> = [
    ['no displayName', { mailboxProtectionUnits: [] }, 400, 'InvalidDisplayName', 'Please ensure policy name length should be > 0 chars and <= 1024 chars.'],
    ['empty displayName', { displayName: ' ' }, 400, 'InvalidDisplayName', 'Please ensure policy name length should be > 0 chars and <= 1024 chars.'],
    ['a displayName over 1024', { displayName: 'x'.repeat(1025) }, 400, 'InvalidDisplayName', 'Please ensure policy name length should be > 0 chars and <= 1024 chars.'],
    ['a directoryObjectId that is no GUID', { displayName: 'P', mailboxProtectionUnits: [{ directoryObjectId: 'nope' }] }, 400, 'InvalidProtectionUnitId', 'Protection Unit ID is invalid.'],
    ['a unit naming nothing', { displayName: 'P', mailboxProtectionUnits: [{}] }, 400, 'InvalidProtectionUnitId', 'Protection Unit ID is invalid.'],
    ['51 units', { displayName: 'P', mailboxProtectionUnits: Array.from({ length: 51 }, (_, i) => ({ directoryObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` })) }, 413, 'ProtectionUnitsLimitBreached', 'Number of Protection Units in each request must not exceed 50.'],
    ['a unit twice', { displayName: 'P', mailboxProtectionUnits: [{ directoryObjectId: MAILBOX_A }, { directoryObjectId: MAILBOX_A.toUpperCase() }] }, 400, 'DuplicateProtectionUnitInList', 'Protection Unit level error: Duplicate Protection Unit in list.'],
    ['a unit property that does not exist', { displayName: 'P', mailboxProtectionUnits: [{ directoryObjectId: MAILBOX_A, colour: 'red' }] }, 400, 'BadRequest', 'The property \'colour\' does not exist on type \'microsoft.graph.mailboxProtectionUnit\'. Make sure to only use property names that are defined by the type or mark the type as open type.'],
    ['a unit\'s read-only property', { displayName: 'P', mailboxProtectionUnits: [{ directoryObjectId: MAILBOX_A, status: 'protected' }] }, 400, 'BadRequest', 'The property \'status\' is read-only and cannot be set.'],
    ['a unit that is not an object', { displayName: 'P', mailboxProtectionUnits: ['x'] }, 400, 'BadRequest', 'The item 0 of \'mailboxProtectionUnits\' must be a mailboxProtectionUnit object, found "x".'],
    ['a server-set status', { displayName: 'P', status: 'active' }, 400, 'BadRequest', 'The property \'status\' is read-only and cannot be set.'],
    ['a server-set isEnabled', { displayName: 'P', isEnabled: true }, 400, 'BadRequest', 'The property \'isEnabled\' is read-only and cannot be set.'],
    ['units of another workload', { displayName: 'P', siteProtectionUnits: [{ siteId: 'x' }] }, 400, 'BadRequest', 'The property \'siteProtectionUnits\' does not exist on type \'microsoft.graph.exchangeProtectionPolicy\'. Make sure to only use property names that are defined by the type or mark the type as open type.'],
    ['a __proto__ key (refused by the JSON reader)', '{"displayName":"P","__proto__":{"x":1}}', 400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'],
    ['a constructor.prototype key (refused by the JSON reader)', { displayName: 'P', constructor: { prototype: {} } }, 400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'],
    ['malformed JSON', '{"displayName":', 400, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.']
  ]
  for (const [name, body, status, code, message] of cases) {
    const response = await post(app, url, body)
    t.equal(response.statusCode, status, name)
    t.strictSame(errorOf(response.body), { code, message }, name)
  }
  t.equal((await get(app, `${BETA}/protectionPolicies/$count`)).body, '0', 'no policy was created')
  t.equal((await get(app, `${BETA}/protectionUnits/$count`)).body, '0', 'no unit was created')
})

t.test('create: 409 while another policy of the service is active, and for a unit another policy protects', async (t) => {
  const app = await mockApp(t, activeTenant)
  const response = await post(app, `${BETA}/exchangeProtectionPolicies`, { displayName: 'Second' })
  t.equal(response.statusCode, 409)
  t.strictSame(errorOf(response.body), { code: 'PolicyCreationNotAllowed', message: 'Can\'t create Policy. Another active Policy already exists.' })
  // Another service's policy is unaffected.
  const drive = await post(app, `${BETA}/oneDriveForBusinessProtectionPolicies`, { displayName: 'OneDrive', driveProtectionUnits: [{ directoryObjectId: MAILBOX_C }] })
  t.equal(drive.statusCode, 201, 'a drive unit of the same person is another workload')
  // Deactivated, the first lets a second be created; its units stay linked to it, so they are taken.
  t.equal((await post(app, `${V1}/protectionPolicies/${ACTIVE_POLICY}/deactivate`)).statusCode, 202)
  app.clock.advance(STEP)
  const taken = await post(app, `${BETA}/exchangeProtectionPolicies`, { displayName: 'Second', mailboxProtectionUnits: [{ directoryObjectId: MAILBOX_C }] })
  t.equal(taken.statusCode, 409)
  t.strictSame(errorOf(taken.body), { code: 'ProtectionUnitAlreadyExists', message: `Artifact ${MAILBOX_C} is not eligible for protection because it is already protected under policy ${ACTIVE_POLICY}.` })
  // Only an active policy blocks a create: the OneDrive one is inactive.
  t.equal((await post(app, `${BETA}/oneDriveForBusinessProtectionPolicies`, { displayName: 'OneDrive 2' })).statusCode, 201)
})

t.test('create: units in the root-level sets, linked, with policyId; sites by siteId or siteWebUrl', async (t) => {
  const app = await mockApp(t, { mailboxProtectionUnits: activeTenant.mailboxProtectionUnits.map((unit) => ({ ...unit, policyId: null, status: 'unprotected' })) })
  const policy = await createExchangePolicy(app, [PROTECTED_MAILBOX])
  const [unit] = await unitsOf(app, String(policy.id))
  t.match(unit, { policyId: policy.id, directoryObjectId: PROTECTED_MAILBOX, displayName: 'Lew Reynolds', email: 'lew.reynolds@contoso.com', status: 'unprotected', protectionSources: 'manual', createdBy: ME, createdDateTime: at(0) })
  const site = await post(app, `${BETA}/sharePointProtectionPolicies`, {
    displayName: 'Sites',
    retentionSettings: [{ interval: 'R/P1D', period: 'P30D' }],
    siteProtectionUnits: [{ siteWebUrl: 'https://contoso.sharepoint.com/sites/hr' }, { siteId: 'contoso.sharepoint.com,da60e844-ba1d-49bc-b4d4-d5e36bae9019,0271110f-634f-4300-a841-3a8a2e900900' }]
  })
  t.equal(site.statusCode, 201)
  t.strictSame(site.json<Record<string, unknown>>().retentionSettings, [{ interval: 'R/P1D', period: 'P30D' }], 'given retention settings are kept')
  const sites = await unitsOf(app, String(site.json<{ id: string }>().id), 'sharePointProtectionPolicies', 'siteProtectionUnits')
  t.strictSame(sites.map((s) => [s.siteWebUrl, s.siteId, s.status]), [
    [null, 'contoso.sharepoint.com,da60e844-ba1d-49bc-b4d4-d5e36bae9019,0271110f-634f-4300-a841-3a8a2e900900', 'unprotected'],
    ['https://contoso.sharepoint.com/sites/hr', null, 'unprotected']
  ])
  const bad = await post(app, `${BETA}/sharePointProtectionPolicies`, { displayName: 'Bad', siteProtectionUnits: [{ siteWebUrl: 'not a url' }] })
  t.strictSame([bad.statusCode, errorOf(bad.body)], [400, { code: 'InvalidProtectionUnitId', message: 'Protection Unit ID is invalid.' }])
})

t.test('PATCH: adds and removes, the documented delta body with per-item failures, then the clock', async (t) => {
  const app = await mockApp(t, activeTenant)
  const url = `${BETA}/exchangeProtectionPolicies/${ACTIVE_POLICY}`
  const response = await patch(app, url, {
    displayName: 'Exchange Policy - Inadvertent data loss',
    'mailboxProtectionUnits@delta': [
      { directoryObjectId: MAILBOX_A },
      { '@removed': { reason: 'changed' }, id: ACTIVE_UNIT },
      { '@removed': { reason: 'changed' }, id: '4267e382-71a9-4c07-bef7-bda97e09c0d2' }
    ]
  })
  t.equal(response.statusCode, 200)
  const body = response.json<{ 'mailboxProtectionUnits@delta': Array<Record<string, unknown>> }>()
  const [added, removed, failed] = body['mailboxProtectionUnits@delta']
  t.strictSame(body, {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeProtectionPolicies/$entity',
    displayName: 'Exchange Policy - Inadvertent data loss',
    'mailboxProtectionUnits@delta': [
      { id: added?.id, createdBy: ME, createdDateTime: at(0), lastModifiedBy: ME, lastModifiedDateTime: at(0), policyId: ACTIVE_POLICY, protectionSources: 'manual', status: 'protectRequested', directoryObjectId: MAILBOX_A },
      { id: ACTIVE_UNIT, lastModifiedBy: ME, lastModifiedDateTime: at(0), policyId: ACTIVE_POLICY, protectionSources: 'manual', status: 'removeRequested', directoryObjectId: MAILBOX_C },
      {
        '@contentId': failed?.['@contentId'],
        '@Core.DataModificationException': { info: { code: 'Invalid', message: 'The identifier to be removed from the Protection Policy does not exist' }, failedOperation: 'remove', responseCode: 409 },
        id: '4267e382-71a9-4c07-bef7-bda97e09c0d2'
      }
    ]
  })
  t.equal(removed?.id, ACTIVE_UNIT)
  t.match((await get(app, `${BETA}/protectionPolicies/${ACTIVE_POLICY}`)).json(), { status: 'updating', displayName: 'Exchange Policy - Inadvertent data loss', protectionPolicyArtifactCount: { completed: 1, failed: 0, inProgress: 2, total: 3 } })
  app.clock.advance(STEP)
  const units = await unitsOf(app, ACTIVE_POLICY)
  t.strictSame(units.map((unit) => [unit.directoryObjectId, unit.status]), [[MAILBOX_A, 'protected'], [PROTECTED_MAILBOX, 'protected']], 'the added unit is protected (the policy is active), the removed one left the policy')
  t.match((await get(app, `${BETA}/protectionUnits/${ACTIVE_UNIT}`)).json(), { status: 'unprotected', policyId: ACTIVE_POLICY })
  t.match((await get(app, `${BETA}/protectionPolicies/${ACTIVE_POLICY}`)).json(), { status: 'active', protectionPolicyArtifactCount: { completed: 2, failed: 0, inProgress: 0, total: 2 } })

  // A unit already in a policy is a per-item failure; a dynamic rule's unit cannot be removed.
  const again = await patch(app, url, { 'mailboxProtectionUnits@delta': [{ directoryObjectId: MAILBOX_A }] })
  t.equal(again.statusCode, 200)
  const item = again.json<{ 'mailboxProtectionUnits@delta': Array<Record<string, unknown>> }>()['mailboxProtectionUnits@delta'][0]
  t.strictSame(item, {
    '@contentId': item?.['@contentId'],
    '@Core.DataModificationException': { info: { code: 'ProtectionUnitAlreadyExists', message: `Artifact ${MAILBOX_A} is not eligible for protection because it is already protected under policy ${ACTIVE_POLICY}.` }, failedOperation: 'add', responseCode: 409 },
    directoryObjectId: MAILBOX_A
  })
  const dynamic = await patch(app, url, { 'mailboxProtectionUnits@delta': [{ '@removed': { reason: 'changed' }, id: DYNAMIC_UNIT }] })
  t.strictSame([dynamic.statusCode, errorOf(dynamic.body)], [400, { code: 'ProtectionUnitActionNotAllowed', message: 'Protection units protected via dynamic rules can\'t be removed manually.' }])
  const twice = await patch(app, url, { 'mailboxProtectionUnits@delta': [{ directoryObjectId: MAILBOX_B }, { directoryObjectId: MAILBOX_B }] })
  t.strictSame([twice.statusCode, errorOf(twice.body)], [400, { code: 'DuplicateProtectionUnitInList', message: 'Protection Unit level error: Duplicate Protection Unit in list.' }])
  const many = await patch(app, url, { 'mailboxProtectionUnits@delta': Array.from({ length: 51 }, (_, i) => ({ directoryObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` })) })
  t.strictSame([many.statusCode, errorOf(many.body)], [413, { code: 'ProtectionUnitsLimitBreached', message: 'Number of Protection Units in each request must not exceed 50.' }])
  t.equal((await get(app, `${BETA}/mailboxProtectionUnits/$count`)).body, '3', 'failed requests created nothing')
  // displayName alone: the generic update, 204.
  const renamed = await patch(app, url, { displayName: 'Renamed' })
  t.equal(renamed.statusCode, 204)
  t.equal((await get(app, `${BETA}/protectionPolicies/${ACTIVE_POLICY}`)).json<{ displayName: string }>().displayName, 'Renamed')
})

t.test('PATCH: units added to an inactive policy end unprotected', async (t) => {
  const app = await mockApp(t)
  const policy = await createExchangePolicy(app, [])
  const response = await patch(app, `${BETA}/exchangeProtectionPolicies/${String(policy.id)}`, { 'mailboxProtectionUnits@delta': [{ directoryObjectId: MAILBOX_A }] })
  t.equal(response.statusCode, 200)
  t.match((await get(app, `${BETA}/protectionPolicies/${String(policy.id)}`)).json(), { status: 'updating' })
  app.clock.advance(STEP)
  t.strictSame((await unitsOf(app, String(policy.id))).map((unit) => unit.status), ['unprotected'])
  t.match((await get(app, `${BETA}/protectionPolicies/${String(policy.id)}`)).json(), { status: 'inactive', protectionPolicyArtifactCount: { completed: 1, failed: 0, inProgress: 0, total: 1 } })
})

t.test('parallel PATCHes adding units lose none', async (t) => {
  const app = await mockApp(t)
  const policy = await createExchangePolicy(app, [])
  const ids = Array.from({ length: 30 }, (_, i) => `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
  const answers = await Promise.all(ids.map(async (directoryObjectId) => await patch(app, `${BETA}/exchangeProtectionPolicies/${String(policy.id)}`, { 'mailboxProtectionUnits@delta': [{ directoryObjectId }] })))
  t.strictSame(answers.map((answer) => answer.statusCode), ids.map(() => 200))
  const units = await unitsOf(app, String(policy.id))
  t.strictSame(units.map((unit) => unit.directoryObjectId), ids)
  t.match((await get(app, `${BETA}/protectionPolicies/${String(policy.id)}`)).json(), { protectionPolicyArtifactCount: { total: 30 } })
})

t.test('activate / deactivate: the state rules (the API pages\' 400), one active policy per service, delete only inactive', async (t) => {
  const app = await mockApp(t, activeTenant)
  const again = await post(app, `${V1}/protectionPolicies/${ACTIVE_POLICY}/activate`)
  t.equal(again.statusCode, 400)
  t.strictSame(errorOf(again.body), { code: 'invalidStateForActivation', message: 'Policy in already active state, which is invalid for activation. Policy must be Inactive or ActiveWithErrors state.' })
  const deleted = await app.inject({ method: 'DELETE', url: `${V1}/protectionPolicies/${ACTIVE_POLICY}`, headers: { authorization: 'Bearer x' } })
  t.strictSame([deleted.statusCode, errorOf(deleted.body)], [403, { code: 'PolicyActionNotAllowed', message: 'Can\'t delete policy. Only policy in Inactive status can be deleted.' }])

  const deactivated = await post(app, `${V1}/protectionPolicies/${ACTIVE_POLICY}/deactivate`)
  t.equal(deactivated.statusCode, 202)
  t.equal(deactivated.headers['content-location'], `http://localhost:80/v1.0/solutions/backupRestore/protectionPolicies('${ACTIVE_POLICY}')`)
  t.match(deactivated.json(), { '@odata.type': '#microsoft.graph.exchangeProtectionPolicy', id: ACTIVE_POLICY, status: 'updating' })
  t.strictSame((await unitsOf(app, ACTIVE_POLICY)).map((unit) => unit.status), ['unprotectRequested', 'unprotectRequested'])
  const during = await post(app, `${V1}/protectionPolicies/${ACTIVE_POLICY}/deactivate`)
  t.strictSame([during.statusCode, errorOf(during.body)], [400, { code: 'invalidStateForActivation', message: 'Policy in updating state, which is invalid for deactivation. Policy must be in Active or ActiveWithErrors state.' }])
  app.clock.advance(STEP)
  t.strictSame((await unitsOf(app, ACTIVE_POLICY)).map((unit) => unit.status), ['unprotected', 'unprotected'])
  t.match((await get(app, `${BETA}/protectionPolicies/${ACTIVE_POLICY}`)).json(), { status: 'inactive', isEnabled: false, protectionPolicyArtifactCount: { completed: 2, failed: 0, inProgress: 0, total: 2 } })
  const inactive = await post(app, `${V1}/protectionPolicies/${ACTIVE_POLICY}/deactivate`)
  t.strictSame([inactive.statusCode, errorOf(inactive.body)], [400, { code: 'invalidStateForActivation', message: 'Policy in inactive state, which is invalid for deactivation. Policy must be in Active or ActiveWithErrors state.' }])

  // One active policy per service: a second one cannot be activated while the first is.
  const second = await createExchangePolicy(app, [MAILBOX_A], 'Second')
  t.equal((await post(app, `${V1}/protectionPolicies/${ACTIVE_POLICY}/activate`)).statusCode, 202)
  const refused = await post(app, `${V1}/protectionPolicies/${String(second.id)}/activate`)
  t.strictSame([refused.statusCode, errorOf(refused.body)], [403, { code: 'PolicyActionNotAllowed', message: 'Can\'t activate policy. Another active Policy already exists.' }])
  app.clock.advance(STEP)
  t.match((await get(app, `${BETA}/protectionPolicies/${ACTIVE_POLICY}`)).json(), { status: 'active', isEnabled: true })

  // Delete: the inactive second one goes (204), gone from every view.
  const gone = await app.inject({ method: 'DELETE', url: `${V1}/protectionPolicies/${String(second.id)}`, headers: { authorization: 'Bearer x' } })
  t.equal(gone.statusCode, 204)
  t.equal((await get(app, `${BETA}/exchangeProtectionPolicies/${String(second.id)}`)).statusCode, 404)
})

t.test('an empty policy activates to active after the step', async (t) => {
  const app = await mockApp(t)
  const policy = await createExchangePolicy(app, [])
  const answer = await post(app, `${BETA}/protectionPolicies/${String(policy.id)}/activate`)
  t.match(answer.json(), { status: 'updating', isEnabled: true })
  app.clock.advance(STEP)
  t.match((await get(app, `${BETA}/protectionPolicies/${String(policy.id)}`)).json(), { status: 'active', protectionPolicyArtifactCount: { completed: 0, failed: 0, inProgress: 0, total: 0 } })
})

t.test('the polymorphic protectionPolicies set: create by @odata.type, PATCH through it', async (t) => {
  const app = await mockApp(t)
  const created = await post(app, `${BETA}/protectionPolicies`, { '@odata.type': '#microsoft.graph.oneDriveForBusinessProtectionPolicy', displayName: 'Drives', driveProtectionUnits: [{ directoryObjectId: MAILBOX_A }] })
  t.equal(created.statusCode, 201)
  const id = String(created.json<{ id: string }>().id)
  t.match(created.json(), { '@odata.type': '#microsoft.graph.oneDriveForBusinessProtectionPolicy', status: 'inactive' })
  t.equal((await get(app, `${BETA}/oneDriveForBusinessProtectionPolicies/${id}`)).statusCode, 200)
  const changed = await patch(app, `${BETA}/protectionPolicies/${id}`, { 'driveProtectionUnits@delta': [{ directoryObjectId: MAILBOX_B }] })
  t.equal(changed.statusCode, 200)
  t.strictSame(Object.keys(changed.json()), ['@odata.context', 'driveProtectionUnits@delta'])
  t.strictSame((await unitsOf(app, id, 'oneDriveForBusinessProtectionPolicies', 'driveProtectionUnits')).map((unit) => [unit.directoryObjectId, unit.status]), [[MAILBOX_B, 'protectRequested'], [MAILBOX_A, 'unprotected']])
})
