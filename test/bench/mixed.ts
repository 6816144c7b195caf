// Scenario 8: a mixed load at many connections: each connection cycles through nine reads (the list's
// first page and GETs of sessions by id, in turn) and one write (POST of an exchange restore session
// with one mailbox artifact), so 90% reads and 10% writes; against the same nine reads alone, in
// alternating windows on one mock. Every answer must be 2xx (the writes 201); RSS is read from /proc
// at the start and at the end of the run.

import autocannon from 'autocannon'
import { median, type LoadSettings } from './load.js'
import { AUTH, JSON_AUTH } from './http.js'
import { residentBytes, type ServerChild } from './processes.js'
import type { MemoryFigures } from './protocol.js'

const LIST = '/beta/solutions/backupRestore/exchangeRestoreSessions'

export interface MixedWindow {
  readonly side: 'readOnly' | 'mixed'
  readonly requests: number
  readonly seconds: number
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly statusCounts: Readonly<Record<string, number>>
  readonly errors: number
  readonly timeouts: number
  readonly non2xx: number
}

export interface MixedSide {
  readonly requestsPerSecond: number
  readonly p99Ms: number
  readonly p50Ms: number
  readonly requests: number
  readonly non2xx: number
  readonly errors: number
  readonly timeouts: number
  readonly statusCounts: Readonly<Record<string, number>>
}

export interface MixedResult {
  readonly connections: number
  readonly readOnly: MixedSide
  readonly mixed: MixedSide
  /** mixed ÷ read-only requests per second. */
  readonly ratio: number
  readonly roundRatios: readonly number[]
  /** Sessions the writes created (201 answers). */
  readonly written: number
  /** RSS of the mock from /proc before the first window and after the last; settled (after a full GC) at both points too. */
  readonly rss: { readonly start: number | undefined, readonly end: number | undefined, readonly ratio: number | undefined }
  readonly memory: { readonly start: MemoryFigures, readonly end: MemoryFigures, readonly settledRatio: number }
  /** No socket errors or timeouts; every read answered 200 and every write 201. */
  readonly clean: boolean
  readonly windows: readonly MixedWindow[]
}

type Spec = NonNullable<Parameters<typeof autocannon>[0]['requests']>[number]

/** The reads: the list's first page and GETs by id, alternating (five lists, four GETs). */
function reads (ids: readonly string[]): Spec[] {
  let next = 0
  const byId: Spec = { method: 'GET', setupRequest: (request) => ({ ...request, path: `${LIST}/${ids[next++ % ids.length] ?? ''}` }) }
  const list: Spec = { method: 'GET', path: `${LIST}?$top=10` }
  return [list, byId, list, byId, list, byId, list, byId, list]
}

async function window (origin: string, side: 'readOnly' | 'mixed', requests: Spec[], connections: number, seconds: number): Promise<MixedWindow> {
  const result = await autocannon({ url: `${origin}${LIST}`, headers: AUTH, connections, duration: seconds, requests })
  const statusCounts: Record<string, number> = {}
  for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCounts[code] = count
  return {
    side,
    requests: result.requests.total,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx
  }
}

function summary (windows: readonly MixedWindow[]): MixedSide {
  const statusCounts: Record<string, number> = {}
  for (const w of windows) for (const [code, count] of Object.entries(w.statusCounts)) statusCounts[code] = (statusCounts[code] ?? 0) + count
  const requests = windows.reduce((sum, w) => sum + w.requests, 0)
  return {
    requestsPerSecond: requests / windows.reduce((sum, w) => sum + w.seconds, 0),
    p50Ms: median(windows.map((w) => w.p50Ms)),
    p99Ms: median(windows.map((w) => w.p99Ms)),
    requests,
    non2xx: windows.reduce((sum, w) => sum + w.non2xx, 0),
    errors: windows.reduce((sum, w) => sum + w.errors, 0),
    timeouts: windows.reduce((sum, w) => sum + w.timeouts, 0),
    statusCounts
  }
}

/** `ids`: sessions of the mock's tenant to GET; `restorePoint`: a mailbox restore point for the writes' artifact. */
export async function scenarioMixed (mock: ServerChild, ids: readonly string[], restorePoint: string, connections: number, settings: LoadSettings): Promise<MixedResult> {
  const write: Spec = {
    method: 'POST',
    path: LIST,
    headers: JSON_AUTH,
    body: JSON.stringify({ mailboxRestoreArtifacts: [{ restorePoint: { id: restorePoint }, destinationType: 'new' }] })
  }
  const readOnly = reads(ids)
  const mixed = [...reads(ids), write]
  await window(mock.origin, 'readOnly', readOnly, connections, settings.warmup)
  const warm = await window(mock.origin, 'mixed', mixed, connections, settings.warmup)
  const startMemory = await mock.memory()
  const rssStart = await residentBytes(mock.pid)
  const windows: MixedWindow[] = []
  const roundRatios: number[] = []
  for (let round = 0; round < settings.rounds; round++) {
    const order: Array<'readOnly' | 'mixed'> = round % 2 === 0 ? ['readOnly', 'mixed'] : ['mixed', 'readOnly']
    const rates: Record<string, number> = {}
    for (const side of order) {
      const measured = await window(mock.origin, side, side === 'mixed' ? mixed : readOnly, connections, settings.window)
      windows.push(measured)
      rates[side] = measured.requestsPerSecond
    }
    roundRatios.push((rates['mixed'] ?? 0) / (rates['readOnly'] ?? 1))
  }
  const rssEnd = await residentBytes(mock.pid)
  const endMemory = await mock.memory()
  const ro = summary(windows.filter((w) => w.side === 'readOnly'))
  const mx = summary(windows.filter((w) => w.side === 'mixed'))
  const written = (mx.statusCounts['201'] ?? 0) + (warm.statusCounts['201'] ?? 0)
  // The reads answer 200 and the writes 201, nothing else; a window that ends mid-cycle leaves each
  // connection's share of writes a little under a tenth, so only their presence is checked.
  const only = (side: MixedSide, codes: readonly string[]): boolean => Object.keys(side.statusCounts).every((code) => codes.includes(code))
  const clean = ro.non2xx + mx.non2xx + warm.non2xx === 0 && ro.errors + mx.errors + warm.errors === 0 && ro.timeouts + mx.timeouts + warm.timeouts === 0 &&
    only(ro, ['200']) && only(mx, ['200', '201']) && (mx.statusCounts['201'] ?? 0) > 0
  return {
    connections,
    readOnly: ro,
    mixed: mx,
    ratio: mx.requestsPerSecond / ro.requestsPerSecond,
    roundRatios,
    written,
    rss: { start: rssStart, end: rssEnd, ratio: rssStart === undefined || rssEnd === undefined ? undefined : rssEnd / rssStart },
    memory: { start: startMemory, end: endMemory, settledRatio: endMemory.rssSettled / startMemory.rssSettled },
    clean,
    windows
  }
}
