// A bulk addition job POSTed to its policy's own set, as the docs do
// (`exchangeProtectionPolicies/{id}/mailboxProtectionUnitsBulkAdditionJobs`; the OpenAPI documents have
// GET only there): created `active` under that policy, its resources resolved into units of that
// policy at once, `completed` or `completedWithErrors` one PROTECTION_STEP later; and the refusals,
// which change nothing.

import t from 'tap'
import { BETA, JSON_HEADERS, ME, STEP, V1, at, errorOf, get, mockApp, post, unitsOf, type Mock } from './protection-helpers.js'

const ACTIVE = '71000000-0000-4000-8000-000000000001'
const TARGET = '71000000-0000-4000-8000-000000000002'
const DRIVES = '71000000-0000-4000-8000-000000000003'
const SITES = '71000000-0000-4000-8000-000000000004'
const HELD = '72000000-0000-4000-8000-000000000001'
const KNOWN_DRIVE = '72000000-0000-4000-8000-000000000002'
const PERSON_A = '73000000-0000-4000-8000-000000000001'
const PERSON_B = '73000000-0000-4000-8000-000000000002'
const PERSON_C = '73000000-0000-4000-8000-000000000003'
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const CREATOR = { application: { displayName: 'Contoso Backup', id: '74000000-0000-4000-8000-000000000001' }, device: null, user: null }
const CREATED = '2026-11-01T08:00:00.0000000Z'

function policy (id: string, status: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    displayName: `Policy ${id.slice(-1)}`,
    status,
    isEnabled: status === 'active',
    retentionSettings: [{ interval: 'R/PT10M', period: 'P2W' }],
    protectionPolicyArtifactCount: { completed: 0, failed: 0, inProgress: 0, total: 0 },
    createdBy: CREATOR,
    createdDateTime: CREATED,
    lastModifiedBy: CREATOR,
    lastModifiedDateTime: CREATED,
    ...extra
  }
}

const DATA = {
  exchangeProtectionPolicies: [
    policy(ACTIVE, 'active', { mailboxProtectionUnits: [{ id: HELD }], protectionPolicyArtifactCount: { completed: 1, failed: 0, inProgress: 0, total: 1 } }),
    policy(TARGET, 'inactive')
  ],
  oneDriveForBusinessProtectionPolicies: [policy(DRIVES, 'inactive')],
  sharePointProtectionPolicies: [policy(SITES, 'inactive')],
  mailboxProtectionUnits: [{
    id: HELD, policyId: ACTIVE, directoryObjectId: PERSON_A, displayName: 'Adele Vance', email: 'adele.vance@contoso.com', mailboxType: 'user', status: 'protected', protectionSources: 'manual', error: null
  }],
  driveProtectionUnits: [{
    id: KNOWN_DRIVE, policyId: null, directoryObjectId: PERSON_B, displayName: 'Megan Bowen', email: 'megan.bowen@contoso.com', status: 'unprotected', protectionSources: 'manual', error: null
  }]
}

const TARGET_JOBS = `${BETA}/exchangeProtectionPolicies/${TARGET}/mailboxProtectionUnitsBulkAdditionJobs`

async function app (): Promise<Mock> {
  return await mockApp(t, DATA)
}

function ids (body: string): string[] {
  return (JSON.parse(body) as { value: Array<{ id: string }> }).value.map((item) => item.id)
}

t.test('POST on the policy\'s own set: 201, the job under that policy, its units that policy\'s, then completed', async (t) => {
  const mock = await app()
  const response = await post(mock, TARGET_JOBS, { displayName: 'mailboxes-I', directoryObjectIds: [PERSON_C], mailboxes: ['Megan.Bowen@contoso.com'] })
  t.equal(response.statusCode, 201)
  const job = response.json<Record<string, unknown>>()
  const id = String(job.id)
  t.match(id, GUID)
  const created = {
    '@odata.type': '#microsoft.graph.mailboxProtectionUnitsBulkAdditionJob',
    id,
    createdBy: ME,
    createdDateTime: at(0),
    displayName: 'mailboxes-I',
    error: null,
    lastModifiedBy: ME,
    lastModifiedDateTime: at(0),
    status: 'active',
    directoryObjectIds: [PERSON_C],
    mailboxes: ['Megan.Bowen@contoso.com']
  }
  t.strictSame(job, { '@odata.context': `https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeProtectionPolicies('${TARGET}')/mailboxProtectionUnitsBulkAdditionJobs/$entity`, ...created })
  t.equal(response.headers.location, `http://localhost:80/beta/solutions/backupRestore/exchangeProtectionPolicies('${TARGET}')/mailboxProtectionUnitsBulkAdditionJobs('${id}')`)

  t.strictSame(ids((await get(mock, `${TARGET_JOBS}?$select=id`)).body), [id], 'listed under the policy it was posted to')
  t.strictSame(ids((await get(mock, `${BETA}/exchangeProtectionPolicies/${ACTIVE}/mailboxProtectionUnitsBulkAdditionJobs?$select=id`)).body), [], 'not under the active policy')
  t.strictSame(ids((await get(mock, `${BETA}/mailboxProtectionUnitsBulkAdditionJobs?$select=id`)).body), [id], 'and in the root-level set')

  // The mailbox by email resolves through the OneDrive unit of the same person (its directory object id).
  const units = await unitsOf(mock, TARGET)
  t.strictSame(units.map((unit) => [unit.policyId, unit.directoryObjectId, unit.displayName, unit.email, unit.status, unit.protectionSources]), [
    [TARGET, PERSON_B, 'Megan Bowen', 'megan.bowen@contoso.com', 'protectRequested', 'manual'],
    [TARGET, PERSON_C, null, null, 'protectRequested', 'manual']
  ])
  t.match((await get(mock, `${BETA}/exchangeProtectionPolicies/${TARGET}`)).json(), { status: 'updating', protectionPolicyArtifactCount: { completed: 0, failed: 0, inProgress: 2, total: 2 } })

  mock.clock.advance(STEP)
  const done = await get(mock, `${TARGET_JOBS}/${id}`)
  t.strictSame(done.json(), {
    '@odata.context': `https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeProtectionPolicies('${TARGET}')/mailboxProtectionUnitsBulkAdditionJobs/$entity`,
    ...created,
    status: 'completed',
    lastModifiedDateTime: at(STEP)
  })
  t.strictSame((await unitsOf(mock, TARGET)).map((unit) => unit.status), ['unprotected', 'unprotected'], 'an inactive policy\'s units settle unprotected')
  t.match((await get(mock, `${BETA}/exchangeProtectionPolicies/${TARGET}`)).json(), { status: 'inactive', protectionPolicyArtifactCount: { completed: 2, failed: 0, inProgress: 0, total: 2 } })
})

t.test('what cannot be added: completedWithErrors, naming it; a unit another policy holds stays there', async (t) => {
  const mock = await app()
  const response = await post(mock, TARGET_JOBS, { displayName: 'partly', directoryObjectIds: [PERSON_A], mailboxes: ['nobody@contoso.com'] })
  t.equal(response.statusCode, 201)
  const id = response.json<{ id: string }>().id
  t.strictSame(await unitsOf(mock, TARGET), [], 'nothing added')
  mock.clock.advance(STEP)
  const done = await get(mock, `${BETA}/mailboxProtectionUnitsBulkAdditionJobs/${id}`)
  t.strictSame(done.json(), {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/mailboxProtectionUnitsBulkAdditionJobs/$entity',
    '@odata.type': '#microsoft.graph.mailboxProtectionUnitsBulkAdditionJob',
    id,
    createdBy: ME,
    createdDateTime: at(0),
    displayName: 'partly',
    error: { code: 'ProtectionUnitNotFound', details: [], innerError: null, message: `These resources could not be added: nobody@contoso.com, ${PERSON_A}.`, target: null },
    lastModifiedBy: ME,
    lastModifiedDateTime: at(STEP),
    status: 'completedWithErrors',
    directoryObjectIds: [PERSON_A],
    mailboxes: ['nobody@contoso.com']
  })
  t.strictSame((await unitsOf(mock, ACTIVE)).map((unit) => [unit.id, unit.policyId]), [[HELD, ACTIVE]])
})

t.test('the other workloads: drives by email under v1.0, sites by URL and id', async (t) => {
  const mock = await app()
  const drive = await post(mock, `${V1}/oneDriveForBusinessProtectionPolicies/${DRIVES}/driveProtectionUnitsBulkAdditionJobs`, { displayName: 'drives', drives: ['megan.bowen@contoso.com'] })
  t.equal(drive.statusCode, 201)
  t.match(drive.json(), {
    '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/oneDriveForBusinessProtectionPolicies('${DRIVES}')/driveProtectionUnitsBulkAdditionJobs/$entity`,
    '@odata.type': '#microsoft.graph.driveProtectionUnitsBulkAdditionJob',
    status: 'active',
    drives: ['megan.bowen@contoso.com'],
    directoryObjectIds: []
  })
  t.strictSame((await unitsOf(mock, DRIVES, 'oneDriveForBusinessProtectionPolicies', 'driveProtectionUnits')).map((unit) => [unit.policyId, unit.directoryObjectId, unit.status]), [[DRIVES, PERSON_B, 'protectRequested']])

  const site = await post(mock, `${BETA}/sharePointProtectionPolicies/${SITES}/siteProtectionUnitsBulkAdditionJobs`, { displayName: 'sites', siteWebUrls: ['https://contoso.sharepoint.com/sites/hr'], siteIds: ['contoso.sharepoint.com,aaaa,0002'] })
  t.equal(site.statusCode, 201)
  const siteUnits = await unitsOf(mock, SITES, 'sharePointProtectionPolicies', 'siteProtectionUnits')
  t.strictSame(siteUnits.map((unit) => [unit.policyId, unit.siteWebUrl ?? null, unit.siteId ?? null, unit.status]), [
    [SITES, null, 'contoso.sharepoint.com,aaaa,0002', 'protectRequested'],
    [SITES, 'https://contoso.sharepoint.com/sites/hr', null, 'protectRequested']
  ])
  mock.clock.advance(STEP)
  t.match((await get(mock, `${BETA}/siteProtectionUnitsBulkAdditionJobs/${site.json<{ id: string }>().id}`)).json(), { status: 'completed', error: null })
  t.match((await get(mock, `${V1}/driveProtectionUnitsBulkAdditionJobs/${drive.json<{ id: string }>().id}`)).json(), { status: 'completed', error: null })
})

t.test('refusals: unknown or malformed policy, bad bodies, wrong media type; none changes anything', async (t) => {
  const mock = await app()
  const snapshot = async (): Promise<string[]> => await Promise.all([
    `${BETA}/mailboxProtectionUnitsBulkAdditionJobs`, `${BETA}/mailboxProtectionUnits`, `${BETA}/exchangeProtectionPolicies`, TARGET_JOBS
  ].map(async (url) => (await get(mock, url)).body))
  const before = await snapshot()
  const cases: Array<[string, unknown, number, string, string]> = [
    [`${BETA}/exchangeProtectionPolicies/71000000-0000-4000-8000-0000000000ff/mailboxProtectionUnitsBulkAdditionJobs`, { displayName: 'x' }, 404, 'PolicyNotFound', 'Unable to get the Protection Policy.'],
    [`${BETA}/exchangeProtectionPolicies/not-a-guid/mailboxProtectionUnitsBulkAdditionJobs`, { displayName: 'x' }, 400, 'InvalidPolicyId', 'Policy ID is invalid.'],
    [TARGET_JOBS, { displayName: 'x', color: 'red' }, 400, 'BadRequest', 'The property \'color\' does not exist on type \'microsoft.graph.mailboxProtectionUnitsBulkAdditionJob\'. Make sure to only use property names that are defined by the type or mark the type as open type.'],
    [TARGET_JOBS, { status: 'completed' }, 400, 'BadRequest', 'The property \'status\' is read-only and cannot be set.'],
    [TARGET_JOBS, { mailboxes: 'a@contoso.com' }, 400, 'BadRequest', 'The property \'mailboxes\' is a collection of Edm.String: its value must be an array, found "a@contoso.com".'],
    [TARGET_JOBS, { '@odata.type': '#microsoft.graph.driveProtectionUnitsBulkAdditionJob' }, 400, 'BadRequest', 'A resource with type \'microsoft.graph.driveProtectionUnitsBulkAdditionJob\' was found, but it is not assignable to the expected type \'microsoft.graph.mailboxProtectionUnitsBulkAdditionJob\'. The type specified in the resource must be equal to either the expected type or a derived type.']
  ]
  for (const [url, payload, status, code, message] of cases) {
    const response = await post(mock, url, payload)
    t.strictSame([response.statusCode, errorOf(response.body)], [status, { code, message }], `${url} ${JSON.stringify(payload)}`)
  }
  const text = await mock.inject({ method: 'POST', url: TARGET_JOBS, headers: { ...JSON_HEADERS, 'content-type': 'text/plain' }, payload: 'mailboxes' })
  t.strictSame([text.statusCode, errorOf(text.body)], [415, { code: 'UnsupportedMediaType', message: 'The content type \'text/plain\' is not supported. Send the body as application/json.' }])
  t.strictSame(await snapshot(), before, 'the jobs, units and policies are as they were')
  const patch = await mock.inject({ method: 'PATCH', url: TARGET_JOBS, headers: JSON_HEADERS, payload: '{}' })
  t.equal(patch.statusCode, 405, 'the set takes GET and POST only')
  t.equal(patch.headers.allow, 'GET, HEAD, POST, OPTIONS')
})

t.test('Prefer: return=minimal: 204 with the job\'s URL; the job is created all the same', async (t) => {
  const mock = await app()
  const response = await mock.inject({ method: 'POST', url: TARGET_JOBS, headers: { ...JSON_HEADERS, prefer: 'return=minimal' }, payload: { displayName: 'quiet', directoryObjectIds: [PERSON_C] } })
  t.equal(response.statusCode, 204)
  t.equal(response.body, '')
  t.equal(response.headers['preference-applied'], 'return=minimal')
  const [job] = (await get(mock, TARGET_JOBS)).json<{ value: Array<{ id: string }> }>().value
  t.equal(response.headers['odata-entityid'], `http://localhost:80/beta/solutions/backupRestore/exchangeProtectionPolicies('${TARGET}')/mailboxProtectionUnitsBulkAdditionJobs('${String(job?.id)}')`)
})
