// Shared setup of the protection tests: an app on a manual clock over a tenant given as data, and
// the requests the tests make most.
import type { Test } from 'tap'
import { buildApp } from '../../src/app.js'

export const START = Date.parse('2026-12-01T09:00:00Z')
export const BETA = '/beta/solutions/backupRestore'
export const V1 = '/v1.0/solutions/backupRestore'
export const JSON_HEADERS = { authorization: 'Bearer x', 'content-type': 'application/json' }
/** Actions without a body are sent as Graph's clients send them: no body, no Content-Type. */
export const NO_BODY = { authorization: 'Bearer x' }
export const ME = { application: null, device: null, user: { displayName: 'Graph Mock User', id: 'a1b2c3d4-0000-4000-8000-000000000001' } }
export const STEP = 1000
export const INTERVAL = 3_600_000

export const MAILBOX_A = 'cdd3a849-dcaf-4a85-af82-7e39fc14019a'
export const MAILBOX_B = '9bc069da-b746-41a4-89ab-26125c6373c7'
export const MAILBOX_C = 'b218eb4a-ea72-42bd-8f0b-d0bbf794bec7'

export type Mock = Awaited<ReturnType<typeof buildApp>> & { clock: { advance: (ms: number) => void, now: () => number } }

export async function mockApp (t: Test, data: Record<string, unknown[] | Record<string, unknown>> = {}): Promise<Mock> {
  const app = await buildApp({ data, clockMode: 'manual', clockStart: '2026-12-01T09:00:00Z', protectionStep: 'PT1S', restorePointInterval: 'PT1H' } as never) as Mock
  t.teardown(async () => { await app.close() })
  return app
}

export function at (ms: number): string {
  return new Date(START + ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z')
}

export async function post (app: Mock, url: string, payload?: unknown) {
  if (payload === undefined) return await app.inject({ method: 'POST', url, headers: NO_BODY })
  return await app.inject({ method: 'POST', url, headers: JSON_HEADERS, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) })
}

export async function patch (app: Mock, url: string, payload: unknown) {
  return await app.inject({ method: 'PATCH', url, headers: JSON_HEADERS, payload: payload as Record<string, unknown> })
}

export async function get (app: Mock, url: string) {
  return await app.inject({ method: 'GET', url, headers: NO_BODY })
}

/** Graph's error body without its innerError (request ids and dates vary). */
export function errorOf (body: string): { code: unknown, message: unknown } {
  const parsed = JSON.parse(body) as { error: { code: unknown, message: unknown } }
  return { code: parsed.error.code, message: parsed.error.message }
}

export async function createExchangePolicy (app: Mock, directoryObjectIds: readonly string[], displayName = 'Exchange Protection Policy'): Promise<Record<string, unknown>> {
  const response = await post(app, `${BETA}/exchangeProtectionPolicies`, { displayName, mailboxProtectionUnits: directoryObjectIds.map((directoryObjectId) => ({ directoryObjectId })) })
  if (response.statusCode !== 201) throw new Error(`create answered ${response.statusCode}: ${response.body}`)
  return response.json<Record<string, unknown>>()
}

export async function unitsOf (app: Mock, policyId: string, set = 'exchangeProtectionPolicies', navigation = 'mailboxProtectionUnits'): Promise<Array<Record<string, unknown>>> {
  const response = await get(app, `${BETA}/${set}/${policyId}/${navigation}`)
  const key = (unit: Record<string, unknown>): string => String(unit.directoryObjectId ?? unit.siteWebUrl ?? unit.siteId)
  return response.json<{ value: Array<Record<string, unknown>> }>().value.sort((a, b) => key(a).localeCompare(key(b)))
}
