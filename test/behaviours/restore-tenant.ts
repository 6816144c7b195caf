// A small tenant for the restore tests: protection units of each workload, two restore points each
// (an older plain one and a newer fast-restore one), one restore point annotated to fail, browse
// sessions for granular artifacts; and the helpers the restore tests share (an app on a manual
// clock, requests, error bodies). Not a test file.

import type { Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp, type AppOptions } from '../../src/app.js'

export const START = '2026-12-01T09:00:00.000Z'
export const STEP = 1000
export const ROOT = '/beta/solutions/backupRestore'
export const AUTH = { authorization: 'Bearer test' }
export const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' }
export const INCLUDE_UNKNOWN = { ...AUTH, prefer: 'include-unknown-enum-members' }
/** The identity writes without a JWT are made by. */
export const MOCK_USER = { application: null, device: null, user: { displayName: 'Graph Mock User', id: 'a1b2c3d4-0000-4000-8000-000000000001' } }

function guid (prefix: string, n: number): string {
  return `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
}

/** Unit ids: M1..M3 mailboxes, S1..S3 sites, D1..D2 drives. */
export const UNITS = {
  M1: guid('11111111', 1),
  M2: guid('11111111', 2),
  M3: guid('11111111', 3),
  S1: guid('22222222', 1),
  S2: guid('22222222', 2),
  S3: guid('22222222', 3),
  D1: guid('33333333', 1),
  D2: guid('33333333', 2)
} as const
export type UnitName = keyof typeof UNITS

const OLD = '2026-11-01T08:00:00.0000000Z'
const NEW = '2026-11-20T08:00:00.0000000Z'

/** Restore points: `<unit>old` (plain, 1 Nov) and `<unit>new` (fastRestore, 20 Nov); MFAIL fails on purpose. */
export const POINTS: Record<string, string> = {}
let pointNumber = 0
const restorePoints: Array<Record<string, unknown>> = []
for (const [name, unit] of Object.entries(UNITS)) {
  for (const [suffix, time, tags] of [['old', OLD, 'none'], ['new', NEW, 'fastRestore']] as const) {
    const id = guid('44444444', ++pointNumber)
    POINTS[`${name}${suffix}`] = id
    restorePoints.push({ id, protectionDateTime: time, expirationDateTime: '2027-11-01T08:00:00.0000000Z', tags, protectionUnit: { id: unit } })
  }
}
POINTS.MFAIL = guid('44444444', 99)
restorePoints.push({
  id: POINTS.MFAIL,
  protectionDateTime: '2026-11-10T08:00:00.0000000Z',
  expirationDateTime: '2027-11-10T08:00:00.0000000Z',
  tags: 'none',
  protectionUnit: { id: UNITS.M3 },
  '@graphMock.restoreOutcome': { status: 'failed', code: 'ArtifactCannotBeRestored' }
})
POINTS.SFAIL = guid('44444444', 98)
restorePoints.push({
  id: POINTS.SFAIL,
  protectionDateTime: '2026-11-10T08:00:00.0000000Z',
  expirationDateTime: '2027-11-10T08:00:00.0000000Z',
  tags: 'none',
  protectionUnit: { id: UNITS.S2 },
  '@graphMock.restoreOutcome': 'failed'
})

export const BROWSE = { site: guid('55555555', 1), drive: guid('55555555', 2) }

export const SITE = {
  S1: { siteId: 'contoso.sharepoint.com,aaaa,0001', siteName: 'HR', siteWebUrl: 'https://contoso.sharepoint.com/sites/hr' },
  S2: { siteId: 'contoso.sharepoint.com,aaaa,0002', siteName: 'Finance', siteWebUrl: 'https://contoso.sharepoint.com/sites/finance' },
  S3: { siteId: 'contoso.sharepoint.com,aaaa,0003', siteName: 'Legal', siteWebUrl: 'https://contoso.sharepoint.com/sites/legal' }
}

export const EMAIL = { M1: 'megan@contoso.com', M2: 'alex@contoso.com', M3: 'lidia@contoso.com', D1: 'nestor@contoso.com', D2: 'patti@contoso.com' }

export const data = {
  mailboxProtectionUnits: (['M1', 'M2', 'M3'] as const).map((name, i) => ({
    id: UNITS[name], status: 'protected', policyId: null, directoryObjectId: guid('66666666', i + 1), email: EMAIL[name], displayName: name, mailboxType: 'user'
  })),
  siteProtectionUnits: (['S1', 'S2', 'S3'] as const).map((name) => ({ id: UNITS[name], status: 'protected', policyId: null, ...SITE[name] })),
  driveProtectionUnits: (['D1', 'D2'] as const).map((name, i) => ({
    id: UNITS[name], status: 'protected', policyId: null, directoryObjectId: guid('77777777', i + 1), email: EMAIL[name], displayName: name
  })),
  restorePoints,
  sharePointBrowseSessions: [{ id: BROWSE.site, status: 'created', siteId: SITE.S1.siteId }],
  oneDriveForBusinessBrowseSessions: [{ id: BROWSE.drive, status: 'created' }]
}

export const DIRECTORY_IDS = { M1: guid('66666666', 1), M2: guid('66666666', 2), D1: guid('77777777', 1) }

export async function restoreApp (t: Test, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp({ data, clockMode: 'manual', clockStart: START, restoreStep: STEP, ...options })
  t.teardown(async () => { await app.close() })
  return app
}

export async function post (app: FastifyInstance, path: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'POST', url: `${ROOT}/${path}`, headers: payload === undefined ? AUTH : JSON_HEADERS, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) })
}

export async function patch (app: FastifyInstance, path: string, payload: unknown): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'PATCH', url: `${ROOT}/${path}`, headers: JSON_HEADERS, payload: JSON.stringify(payload) })
}

export async function del (app: FastifyInstance, path: string): Promise<LightMyRequestResponse> {
  return await app.inject({ method: 'DELETE', url: `${ROOT}/${path}`, headers: AUTH })
}

export async function get (app: FastifyInstance, path: string, headers: Record<string, string> = AUTH): Promise<LightMyRequestResponse> {
  return await app.inject({ url: `${ROOT}/${path}`, headers })
}

/** Graph's error body, its innerError's request ids and date checked for shape and left out. */
export function errorOf (response: LightMyRequestResponse): { status: number, code: unknown, message: unknown } {
  const body = response.json<{ error: { code: unknown, message: unknown, innerError: Record<string, unknown> } }>()
  const { code, message, innerError, ...rest } = body.error
  if (Object.keys(rest).length > 0) throw new Error(`unexpected error members ${Object.keys(rest).join(', ')}`)
  if (Object.keys(innerError).sort().join() !== 'client-request-id,date,request-id') throw new Error(`unexpected innerError ${JSON.stringify(innerError)}`)
  return { status: response.statusCode, code, message }
}

/** An ISO instant of the clock, `steps` RESTORE_STEPs after START, as Graph writes it. */
export function at (steps: number): string {
  return new Date(Date.parse(START) + steps * STEP).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z')
}

export function artifact (point: string, destinationType = 'new'): Record<string, unknown> {
  return { restorePoint: { id: POINTS[point] }, destinationType }
}
