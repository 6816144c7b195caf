// `Prefer: include-unknown-enum-members` on the answers of actions, as list and get honour it: the
// evolvable members (`granular`, `offboardRequested`, …) shown only to a client that asks, and
// `Preference-Applied` exactly where a GET of the same entity would carry it.

import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'
import { BETA, V1, mockApp } from './protection-helpers.js'
import { AUTH, INCLUDE_UNKNOWN, JSON_HEADERS, ROOT, artifact, restoreApp } from './restore-tenant.js'

const PREFER = 'include-unknown-enum-members'

async function send (app: FastifyInstance, method: 'GET' | 'POST', url: string, prefer: boolean, payload?: unknown): Promise<LightMyRequestResponse> {
  const headers = { ...(payload === undefined ? AUTH : JSON_HEADERS), ...(prefer ? { prefer: PREFER } : {}) }
  return await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) })
}

function withoutContext (response: LightMyRequestResponse): Record<string, unknown> {
  const { '@odata.context': _context, ...rest } = response.json<Record<string, unknown>>()
  return rest
}

t.test('restore session activate: granular shown and acknowledged only when asked', async (t) => {
  const app = await restoreApp(t)
  const session = async (): Promise<string> => {
    const created = await app.inject({ method: 'POST', url: `${ROOT}/exchangeRestoreSessions`, headers: JSON_HEADERS, payload: JSON.stringify({ granularMailboxRestoreArtifacts: [{ ...artifact('M1new'), searchResponseId: 'search-1' }] }) })
    t.equal(created.statusCode, 201)
    return created.json<{ id: string }>().id
  }
  const asked = await session()
  const shown = await send(app, 'POST', `${ROOT}/restoreSessions/${asked}/activate`, true)
  t.equal(shown.statusCode, 200)
  t.equal(shown.headers['preference-applied'], PREFER)
  t.match(shown.json(), { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/restoreSessions/$entity', status: 'activating', restoreJobType: 'granular' })
  const readShown = await app.inject({ url: `${ROOT}/exchangeRestoreSessions/${asked}`, headers: INCLUDE_UNKNOWN })
  t.strictSame(withoutContext(shown), withoutContext(readShown), 'the answer is the entity as a GET with the header shows it')

  const plain = await session()
  const hidden = await send(app, 'POST', `${ROOT}/restoreSessions/${plain}/microsoft.graph.activate`, false)
  t.equal(hidden.statusCode, 200)
  t.equal(hidden.headers['preference-applied'], undefined)
  t.match(hidden.json(), { status: 'activating', restoreJobType: 'unknownFutureValue' })
  const readHidden = await app.inject({ url: `${ROOT}/exchangeRestoreSessions/${plain}`, headers: AUTH })
  t.strictSame(withoutContext(hidden), withoutContext(readHidden), 'the answer is the entity as a plain GET shows it')
})

/** The bundled tenant on a manual clock. */
async function bundled (t: Test): Promise<FastifyInstance> {
  const app = await buildApp({ clockMode: 'manual', clockStart: '2026-12-01T09:00:00Z' })
  t.teardown(async () => { await app.close() })
  return app
}

t.test('each action answers the preference as a GET of the same entity does', async (t) => {
  const app = await bundled(t)
  const policies = (await send(app, 'GET', `${BETA}/exchangeProtectionPolicies?$select=id,status`, false)).json<{ value: Array<{ id: string, status: string }> }>().value
  const active = policies.find((policy) => policy.status === 'active')
  t.ok(active, 'the bundled tenant has an active Exchange policy')
  const app2 = await bundled(t)
  for (const [mock, prefer] of [[app, true], [app2, false]] as const) {
    const deactivated = await send(mock, 'POST', `${BETA}/protectionPolicies/${String(active?.id)}/deactivate`, prefer)
    t.equal(deactivated.statusCode, 202)
    const read = await send(mock, 'GET', `${BETA}/protectionPolicies/${String(active?.id)}`, prefer)
    t.equal(deactivated.headers['preference-applied'], read.headers['preference-applied'], `deactivate, Prefer ${String(prefer)}: Preference-Applied as on a GET`)
    t.equal(deactivated.headers['preference-applied'], prefer ? PREFER : undefined, 'a policy has an evolvable status (dormant)')
    t.strictSame(withoutContext(deactivated), withoutContext(read))

    const v1 = await send(mock, 'GET', `${V1}/serviceApps?$select=id`, false)
    const appId = v1.json<{ value: Array<{ id: string }> }>().value[0]?.id
    const activated = await send(mock, 'POST', `${V1}/serviceApps/${String(appId)}/activate`, prefer, { effectiveDateTime: '2030-01-01T00:00:00Z' })
    t.equal(activated.statusCode, 202)
    const appRead = await send(mock, 'GET', `${V1}/serviceApps/${String(appId)}`, prefer)
    t.equal(activated.headers['preference-applied'], appRead.headers['preference-applied'], `service app activate, Prefer ${String(prefer)}`)
    t.strictSame(withoutContext(activated), withoutContext(appRead))

    const enabled = await send(mock, 'POST', `${BETA}/enable`, prefer, { appOwnerTenantId: '23014d8c-71fe-4d00-a01a-31850bc5b42a' })
    t.equal(enabled.statusCode, 200)
    const root = await send(mock, 'GET', BETA, prefer)
    t.equal(enabled.headers['preference-applied'], root.headers['preference-applied'], `enable, Prefer ${String(prefer)}: as a GET of the root`)
    t.equal(enabled.headers['preference-applied'], prefer ? PREFER : undefined, 'beta\'s disableReason is evolvable')
    t.strictSame(enabled.json<Record<string, unknown>>(), {
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#microsoft.graph.serviceStatus',
      '@odata.type': '#microsoft.graph.serviceStatus',
      ...root.json<{ serviceStatus: Record<string, unknown> }>().serviceStatus
    })
  }
})

t.test('offboard answers offboardRequested either way (as the examples); search shows it only when asked', async (t) => {
  const unit = '81000000-0000-4000-8000-000000000001'
  const point = '82000000-0000-4000-8000-000000000001'
  const app = await mockApp(t, {
    mailboxProtectionUnits: [{ id: unit, policyId: null, directoryObjectId: '83000000-0000-4000-8000-000000000001', status: 'unprotected', protectionSources: 'manual', error: null }],
    restorePoints: [{ id: point, protectionDateTime: '2026-11-20T08:00:00.0000000Z', expirationDateTime: '2027-11-20T08:00:00.0000000Z', tags: 'none', protectionUnit: { id: unit } }]
  })
  const offboarded = await send(app, 'POST', `${BETA}/protectionUnits/${unit}/offboard`, false)
  t.equal(offboarded.statusCode, 200)
  t.match(offboarded.json(), { status: 'offboardRequested' })
  t.equal(offboarded.headers['preference-applied'], undefined, 'shown without being asked: nothing to acknowledge')

  const search = { protectionUnitIds: [unit] }
  const hidden = await send(app, 'POST', `${BETA}/restorePoints/search`, false, search)
  t.equal(hidden.statusCode, 200)
  t.equal(hidden.headers['preference-applied'], undefined)
  const shown = await send(app, 'POST', `${BETA}/restorePoints/search`, true, search)
  t.equal(shown.headers['preference-applied'], PREFER)
  const unitOf = (response: LightMyRequestResponse): unknown => response.json<{ searchResults: Array<{ restorePoint: { protectionUnit: { status: string } } }> }>().searchResults.map((result) => result.restorePoint.protectionUnit.status)
  t.strictSame(unitOf(hidden), ['unknownFutureValue'])
  t.strictSame(unitOf(shown), ['offboardRequested'])
  const { searchResponseId: _a, ...hiddenRest } = hidden.json<Record<string, unknown>>()
  const { searchResponseId: _b, ...shownRest } = shown.json<Record<string, unknown>>()
  const unhide = JSON.parse(JSON.stringify(hiddenRest).replace('"status":"unknownFutureValue"', '"status":"offboardRequested"')) as unknown
  t.strictSame(shownRest, unhide, 'the two answers differ only in the evolvable member')

  const asked = await send(app, 'POST', `${BETA}/protectionUnits/${unit}/cancelOffboard`, true)
  t.equal(asked.statusCode, 200)
  t.equal(asked.headers['preference-applied'], PREFER)
  t.match(asked.json(), { status: 'cancelOffboardRequested' })
})
