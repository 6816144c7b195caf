// The load test: the mock in a child process on 127.0.0.1 (a free port), over a generated tenant,
// driven by autocannon with a mix of list, filtered, projected, counted, paged (a real nextLink),
// single-entity, nested, polymorphic and restore-point search requests, in repeated runs. Prints throughput, latency, non-2xx and errors per run, and the child's RSS before
// and after each run, so that memory growth across runs shows. Loopback only, bounded in time.
//   node --import tsx test/scripts/load.ts [--duration S] [--connections N] [--runs N] [--sessions N]
// (--sessions: restore sessions per workload of the tenant).
// Exit code 0: every answer was a 2xx; 1: any error, timeout or non-2xx; 2: bad usage.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import autocannon from 'autocannon'
import { COMMITTED_FIXTURE, writeFixtures } from '../../src/fixtures/index.js'
import { startChild, stopAll, type ServerChild } from '../bench/processes.js'

const BASE = '/beta/solutions/backupRestore'
const LIST = `${BASE}/exchangeRestoreSessions`
const HEADERS = { authorization: 'Bearer load-test' }

// test/bench/autocannon.d.ts types the part of autocannon the benchmark uses; `requests` (a list of
// requests each connection cycles through) and the 2xx count are added here.
type Options = Parameters<typeof autocannon>[0] & { requests: Array<{ method: string, path: string }> }
type Result = Awaited<ReturnType<typeof autocannon>> & { '2xx'?: number }

interface Settings { duration: number, connections: number, runs: number, sessions: number }

function settingsFromArgs (): Settings {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '100' },
      runs: { type: 'string', default: '3' },
      sessions: { type: 'string', default: '1000' }
    }
  })
  const settings = { duration: Number(values.duration), connections: Number(values.connections), runs: Number(values.runs), sessions: Number(values.sessions) }
  const ok = Object.values(settings).every((value) => Number.isInteger(value) && value > 0) && settings.duration <= 600
  if (!ok) {
    process.stderr.write('usage: test/scripts/load.ts [--duration S (1-600)] [--connections N] [--runs N] [--sessions N]\n')
    process.exit(2)
  }
  return settings
}

/** A real second-page URL: the nextLink the mock itself returned (skip tokens are signed per server). */
async function secondPage (origin: string): Promise<string> {
  const response = await fetch(`${origin}${LIST}?$top=25&$orderby=createdDateTime%20desc`, { headers: HEADERS })
  const body = await response.json() as { '@odata.nextLink'?: string }
  const next = body['@odata.nextLink']
  if (response.status !== 200 || next === undefined) throw new Error(`no nextLink from the first page (status ${response.status})`)
  const url = new URL(next)
  return `${url.pathname}${url.search}`
}

async function requestMix (origin: string): Promise<string[]> {
  const first = await fetch(`${origin}${LIST}?$select=id&$top=1`, { headers: HEADERS })
  const anyId = (await first.json() as { value: Array<{ id: string }> }).value[0]?.id
  if (first.status !== 200 || anyId === undefined) throw new Error(`no exchange session to ask for (status ${first.status})`)
  return [
    LIST,
    `${LIST}?$filter=${encodeURIComponent("status eq 'completed' and createdDateTime ge 2025-01-01T00:00:00Z")}&$top=20`,
    `${LIST}?$select=id,status,createdBy/user/displayName&$top=50`,
    await secondPage(origin),
    `${LIST}?$count=true&$top=5&$orderby=lastModifiedDateTime`,
    `${LIST}/${anyId}`,
    `${LIST}/${anyId}/mailboxRestoreArtifacts?$top=10`,
    `${BASE}/restoreSessions?$top=10`,
    `${BASE}/restorePoints?$filter=${encodeURIComponent("tags eq 'fastRestore'")}&$orderby=${encodeURIComponent('protectionDateTime desc')}&$select=id,protectionDateTime&$top=50`
  ]
}

async function load (origin: string, paths: readonly string[], settings: Settings): Promise<Result> {
  const options: Options = {
    url: origin,
    connections: settings.connections,
    duration: settings.duration,
    headers: HEADERS,
    requests: paths.map((path) => ({ method: 'GET', path }))
  }
  return await autocannon(options)
}

const mb = (bytes: number): string => (bytes / 1048576).toFixed(1)

interface Row { run: number, rps: number, p50: number, p99: number, ok: number, non2xx: number, errors: number, rssBefore: number, rssPeak: number, rssAfter: number }

function printTable (rows: readonly Row[]): void {
  const header = ['run', 'req/s', 'p50 ms', 'p99 ms', '2xx', 'non-2xx', 'errors+timeouts', 'RSS before MB', 'RSS right after MB', 'RSS settled MB']
  const lines = rows.map((r) => [String(r.run), r.rps.toFixed(0), r.p50.toFixed(1), r.p99.toFixed(1), String(r.ok), String(r.non2xx), String(r.errors), mb(r.rssBefore), mb(r.rssPeak), mb(r.rssAfter)])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => (line[i] ?? '').length)))
  const format = (cells: readonly string[]): string => cells.map((cell, i) => cell.padStart(widths[i] ?? 0)).join('  ')
  process.stdout.write(`${format(header)}\n${lines.map(format).join('\n')}\n`)
}

async function main (): Promise<void> {
  const settings = settingsFromArgs()
  const dir = await mkdtemp(join(tmpdir(), 'graph-mock-load-'))
  let child: ServerChild | undefined
  try {
    await writeFixtures({ ...COMMITTED_FIXTURE, seed: 11, sessions: settings.sessions, out: dir })
    child = await startChild('mock', [dir])
    const paths = await requestMix(child.origin)
    process.stdout.write(`load: ${settings.runs} runs × ${settings.duration} s, ${settings.connections} connections, ${settings.sessions} restore sessions per workload, ${child.origin}\n`)
    process.stdout.write(`mix (round robin per connection):\n${paths.map((path) => `  GET ${decodeURIComponent(path).slice(0, 120)}`).join('\n')}\n`)
    const rows: Row[] = []
    for (let run = 1; run <= settings.runs; run++) {
      const before = await child.memory()
      const result = await load(child.origin, paths, settings)
      const after = await child.memory()
      rows.push({
        run,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        ok: result['2xx'] ?? result.requests.total - result.non2xx,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        rssBefore: before.rssSettled,
        rssPeak: after.rss,
        rssAfter: after.rssSettled
      })
    }
    printTable(rows)
    const first = rows[0]
    const last = rows.at(-1)
    if (first !== undefined && last !== undefined) {
      process.stdout.write(`settled RSS: ${mb(first.rssBefore)} MB before the first run, ${mb(first.rssAfter)} after it, ${mb(last.rssAfter)} after the last (growth from run 1 to run ${last.run}: ${mb(last.rssAfter - first.rssAfter)} MB)\n`)
    }
    const failed = rows.some((r) => r.non2xx > 0 || r.errors > 0)
    process.stdout.write(failed ? 'FAILED: errors, timeouts or non-2xx answers\n' : 'ok: every answer was a 2xx\n')
    process.exitCode = failed ? 1 : 0
  } finally {
    await stopAll()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
