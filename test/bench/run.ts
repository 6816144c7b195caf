// `npm run bench`: the mock measured side by side against a baseline measured in the same run.
// Generates its tenants with the project's generator into a temporary folder (100,000 restore points
// and 1,000 restore sessions per workload for the read scenarios; 1,000 and 100,000 exchange sessions
// for the write scenarios), starts every server as a child process on loopback, drives them from
// this process (autocannon, or one request at a time where requests chain) in alternating windows,
// prints a table and writes every figure to test/bench/results/. Options: --window S --rounds N
// --warmup S --connections N --count N (restore points of the large tenant) --sessions N (its
// restore sessions per workload) --startup-runs N --write-sessions N (the large set of scenario 6)
// --write-pairs N --write-rounds N (its POST + GET pairs per round and side, and its rounds)
// --workflow-workers N --mixed-connections N --namespaces N --scenarios 1,6-8 (which to run;
// default all) --profile DIR (every mock child writes a CPU profile there, node --cpu-prof, when it
// stops).
// Nothing it starts outlives it.

import { loadavg, cpus, tmpdir, totalmem } from 'node:os'
import { get } from 'node:http'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { scenarioFaultCheck, scenarioJournal, scenarioNamespaces, type FaultCheckResult, type JournalResult, type NamespacesResult, type StartMock, type Unavailable } from './control.js'
import { answers200, keepAlive, send } from './http.js'
import { compare, median, type Comparison, type LoadSettings, type Target } from './load.js'
import { scenarioMixed, type MixedResult } from './mixed.js'
import { followAllPages, type PagingRun } from './paging.js'
import { startChild, stopAll, type ServerChild } from './processes.js'
import { MOCK_OPTIONS_ENV, POINTS_WINDOW_MS, QUERIES, boundAt, literal, queryString, type Bounds, type MemoryFigures, type QueryName } from './protocol.js'
import { formatTable, mb, ms, perSecond, type TableRow } from './report.js'
import { StartupError, measureStartup, serverCommand, startFunctionCommand, type ServerCommand, type StartupFigures } from './startup.js'
import { generate, mailboxRestorePoints, readRows, sessionIds, writeTenant, type Row, type WriteTenant } from './tenants.js'
import { scenarioWorkflow, type Advance, type Lane, type WorkflowResult } from './workflow.js'
import { scenarioWrites, type WriteResult } from './writes.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUNDLED = join(ROOT, 'fixtures')
const BASE = '/beta/solutions/backupRestore'
const LIST = `${BASE}/exchangeRestoreSessions`
const AUTH = { authorization: 'Bearer bench-token' }
const LOG_LEVEL = 'warn'
const ALL_SCENARIOS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]

const { values: flags } = parseArgs({
  options: {
    window: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    count: { type: 'string', default: '100000' },
    sessions: { type: 'string', default: '1000' },
    'startup-runs': { type: 'string', default: '3' },
    'write-sessions': { type: 'string', default: '100000' },
    'write-pairs': { type: 'string', default: '200' },
    'write-rounds': { type: 'string', default: '6' },
    'workflow-workers': { type: 'string', default: '10' },
    'mixed-connections': { type: 'string', default: '100' },
    namespaces: { type: 'string', default: '1000' },
    scenarios: { type: 'string', default: ALL_SCENARIOS.join(',') },
    profile: { type: 'string' }
  }
})
/** Node options of the mock children: a CPU profile each when --profile DIR is given. */
const MOCK_NODE_OPTIONS = flags.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', flags.profile]
const load: LoadSettings = { window: Number(flags.window), rounds: Number(flags.rounds), warmup: Number(flags.warmup), connections: Number(flags.connections) }
const count = Number(flags.count)
const sessionsPerWorkload = Number(flags.sessions)
const startupRuns = Number(flags['startup-runs'])
const writeSessions = Number(flags['write-sessions'])
const writePairs = Number(flags['write-pairs'])
const writeRounds = Number(flags['write-rounds'])
const workflowWorkers = Number(flags['workflow-workers'])
const mixedConnections = Number(flags['mixed-connections'])
const namespaceCount = Number(flags.namespaces)
const positive = {
  window: load.window,
  rounds: load.rounds,
  connections: load.connections,
  count,
  'startup-runs': startupRuns,
  'write-sessions': writeSessions,
  'write-pairs': writePairs,
  'write-rounds': writeRounds,
  'workflow-workers': workflowWorkers,
  'mixed-connections': mixedConnections,
  namespaces: namespaceCount
}
for (const [name, value] of [...Object.entries(positive), ['warmup', load.warmup] as const, ['sessions', sessionsPerWorkload] as const]) {
  const least = name in positive ? Number.MIN_VALUE : 0
  if (!Number.isFinite(value) || value < least) {
    process.stderr.write(`bench: --${name} must be a number${least > 0 ? ' above 0' : ' of at least 0'}\n`)
    process.exit(2)
  }
}
/** `--scenarios 1,6-8`: the scenario numbers to run. */
function parseScenarios (text: string): Set<number> {
  const chosen = new Set<number>()
  for (const part of text.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part)
    const from = Number(range?.[1])
    const to = Number(range?.[2] ?? range?.[1])
    if (range === null || !ALL_SCENARIOS.includes(from) || !ALL_SCENARIOS.includes(to) || to < from) {
      process.stderr.write(`bench: --scenarios takes numbers and ranges of ${ALL_SCENARIOS[0] ?? 1} to ${ALL_SCENARIOS.at(-1) ?? 1} (1,6-8), got '${part}'\n`)
      process.exit(2)
    }
    for (let n = from; n <= to; n++) chosen.add(n)
  }
  return chosen
}
const scenarios = parseScenarios(flags.scenarios)
const want = (...numbers: number[]): boolean => numbers.some((n) => scenarios.has(n))

function log (line: string): void {
  process.stderr.write(`bench: ${line}\n`)
}

interface Captured {
  body: Buffer
  headers: Record<string, string>
}

/** Headers that differ per request or per connection: left out of comparisons, made afresh by each server. */
const PER_REQUEST = new Set(['date', 'connection', 'keep-alive', 'request-id', 'client-request-id', 'content-length', 'transfer-encoding'])

/**
 * The response's body and its headers, minus those that differ per request or per connection. Asked
 * as autocannon asks (no Accept-Encoding, so no compression), not with fetch, which always sends one.
 */
async function capture (url: string): Promise<Captured> {
  return await new Promise<Captured>((resolve, reject) => {
    const request = get(url, { headers: AUTH, agent: false }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => { chunks.push(chunk) })
      response.on('error', reject)
      response.on('end', () => {
        const body = Buffer.concat(chunks)
        if (response.statusCode !== 200) {
          reject(new Error(`${url}: HTTP ${String(response.statusCode)}: ${body.toString('utf8').slice(0, 300)}`))
          return
        }
        const headers: Record<string, string> = {}
        for (const [name, value] of Object.entries(response.headers)) {
          if (!PER_REQUEST.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
        }
        resolve({ body, headers })
      })
    })
    request.on('error', reject)
  })
}

function sameHeaders (a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort())
}

async function getJson<T> (url: string): Promise<T> {
  const response = await fetch(url, { headers: AUTH })
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`)
  return await response.json() as T
}

/** A custom query option the mock passes through into its nextLink: a new value per request makes every URL distinct. */
const NONCE = '&nonce=[<id>]'

/** One list of scenario 1: a URL path on the mock and the Fastify route the ceiling registers for it. */
interface CeilingList {
  readonly name: string
  /** The path of the request (without the query). */
  readonly path: string
  /** The same route as the mock's: static, or with a parameter where the mock has a key. */
  readonly route: string
}

interface CeilingResult {
  readonly list: CeilingList
  readonly bytes: number
  readonly repeated: Comparison
  readonly distinct: Comparison
}

/** The exchange session with the most mailbox artifacts (0 when none has any). */
async function sessionWithArtifacts (origin: string): Promise<{ id: string, artifacts: number }> {
  let best = { id: '', artifacts: 0 }
  let next: string | undefined = `${origin}${LIST}?$select=id&$top=100`
  while (next !== undefined) {
    const page: { value: Array<{ id: string }>, '@odata.nextLink'?: string } = await getJson(next)
    for (const { id } of page.value) {
      const response = await fetch(`${origin}${LIST}/${id}/mailboxRestoreArtifacts/$count`, { headers: AUTH })
      const artifacts = Number(await response.text())
      if (artifacts > best.artifacts) best = { id, artifacts }
    }
    next = page['@odata.nextLink']
  }
  return best
}

/**
 * Scenario 1's tenant: the bundled fixtures when one of their exchange sessions has artifacts, else a
 * tenant of the generator's default size (what the bundled folder holds once it is a whole tenant).
 */
async function ceilingTenant (tmp: string): Promise<{ dir: string, label: string, mock: ServerChild, session: { id: string, artifacts: number } }> {
  const bundled = await startChild('mock', [BUNDLED], { BENCH_LOG_LEVEL: LOG_LEVEL }, MOCK_NODE_OPTIONS)
  const found = await sessionWithArtifacts(bundled.origin)
  if (found.artifacts > 0) return { dir: BUNDLED, label: 'bundled fixtures', mock: bundled, session: found }
  await bundled.stop()
  const dir = join(tmp, 'default')
  log('scenario 1: no exchange session of the bundled fixtures has artifacts; generating a tenant of the default size')
  await generate(dir, ['--seed', '1'])
  const mock = await startChild('mock', [dir], { BENCH_LOG_LEVEL: LOG_LEVEL }, MOCK_NODE_OPTIONS)
  const session = await sessionWithArtifacts(mock.origin)
  if (session.artifacts === 0) throw new Error('scenario 1: no exchange session of the generated tenant has artifacts')
  return { dir, label: 'generated tenant of the default size (npm run fixtures -- --seed 1)', mock, session }
}

/**
 * Scenario 1: a list's first page vs a bare route sending its bytes; once repeated (the mock may serve
 * the page it kept) and once with a distinct URL per request (it builds every page).
 */
async function scenarioCeiling (mock: ServerChild, list: CeilingList, tmp: string): Promise<CeilingResult> {
  const mockUrl = `${mock.origin}${list.path}?$top=10`
  const captured = await capture(mockUrl)
  const bodyFile = join(tmp, `ceiling-${list.name}.json`)
  await writeFile(bodyFile, captured.body)
  const headersFile = join(tmp, `ceiling-${list.name}.headers.json`)
  await writeFile(headersFile, JSON.stringify(captured.headers))
  const ceiling = await startChild('ceiling', [bodyFile, list.route, headersFile], { BENCH_LOG_LEVEL: LOG_LEVEL })
  try {
    const ceilingUrl = `${ceiling.origin}${list.path}?$top=10`
    const reference = await capture(ceilingUrl)
    if (!reference.body.equals(captured.body) || !sameHeaders(reference.headers, captured.headers)) {
      throw new Error(`${list.name}: the ceiling does not send the mock's bytes and headers: ${JSON.stringify(reference.headers)} vs ${JSON.stringify(captured.headers)}`)
    }
    log(`scenario 1, ${list.name}: ${captured.body.length}-byte page, identical bytes and headers`)
    const repeated = await compare({ url: ceilingUrl, headers: AUTH }, { url: mockUrl, headers: AUTH }, load)
    const distinct = await compare({ url: ceilingUrl + NONCE, headers: AUTH, unique: true }, { url: mockUrl + NONCE, headers: AUTH, unique: true }, load)
    return { list, bytes: captured.body.length, repeated, distinct }
  } finally {
    await ceiling.stop()
  }
}

/** The body without its nextLink (its skip token differs), keys sorted: the same JSON value compares equal. */
function withoutNextLink (body: Buffer): string {
  const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>
  delete parsed['@odata.nextLink']
  return JSON.stringify(parsed, (_key, value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
    : value)
}

/** The k-th request's bounds of a scenario 2 query. */
type BoundSequence = (k: number) => Bounds

/** 2a: lower bounds over the sessions' creation times. */
function sessionBounds (rows: readonly Row[]): BoundSequence {
  const times = rows.map((row) => Date.parse(String(row['createdDateTime']))).filter((t) => Number.isFinite(t))
  const first = Math.min(...times)
  const last = Math.max(...times)
  return (k) => ({ from: literal(boundAt(k, first, last)) })
}

/** The span of the fast-restore points' protection times (of all points if none is). */
function fastSpan (rows: readonly Row[]): { first: number, last: number } {
  const fast = rows.filter((row) => row['tags'] === 'fastRestore')
  let first = Infinity
  let last = -Infinity
  for (const row of fast.length > 0 ? fast : rows) {
    const t = Date.parse(String(row['protectionDateTime']))
    if (!Number.isFinite(t)) continue
    if (t < first) first = t
    if (t > last) last = t
  }
  return { first, last }
}

/** 2b: lower bounds anywhere in the span of the fast-restore points. */
function pointBounds (rows: readonly Row[]): BoundSequence {
  const { first, last } = fastSpan(rows)
  return (k) => ({ from: literal(boundAt(k, first, last)) })
}

/** 2c: two-day windows ending anywhere in the span of the fast-restore points. */
function windowBounds (rows: readonly Row[]): BoundSequence {
  const { first, last } = fastSpan(rows)
  const lowest = Math.min(first + POINTS_WINDOW_MS, last)
  return (k) => {
    const end = boundAt(k, lowest, last + 1000)
    return { from: literal(end - POINTS_WINDOW_MS), to: literal(end) }
  }
}

interface QueryResult {
  readonly rows: number
  /** Rows of the pages checked against the hand-written query, and the bounds checked. */
  readonly checked: { readonly requests: number, readonly pageRows: number[] }
  readonly comparison: Comparison
}

/**
 * Scenario 2: filter + orderby + select + top through the mock's engine vs the same query by hand, a
 * distinct $filter per request on both sides (each side a sequence of its own of the same bounds).
 */
async function scenarioQuery (mock: ServerChild, dir: string, tmp: string, which: QueryName, bounds: BoundSequence, rows: number): Promise<QueryResult> {
  const query = QUERIES[which]
  const path = `${BASE}/${query.set}`
  // The hand-written server sends the headers the mock sends (as the ceilings do).
  const headersFile = join(tmp, `handwritten-${which}.headers.json`)
  await writeFile(headersFile, JSON.stringify((await capture(`${mock.origin}${path}?${queryString(query, bounds(0))}`)).headers))
  const hand = await startChild('handwritten', [dir, which, headersFile], { BENCH_LOG_LEVEL: LOG_LEVEL })
  try {
    const pageRows: number[] = []
    // The first bounds of the sequence and a few far into it: both sides answer the same rows.
    for (const k of [0, 1, 2, 3, 4, 5, 100, 1000, 10_000, 100_000]) {
      const search = queryString(query, bounds(k))
      const [ours, theirs] = [await capture(`${mock.origin}${path}?${search}&nonce=check`), await capture(`${hand.origin}${path}?${search}&nonce=check`)]
      if (withoutNextLink(ours.body) !== withoutNextLink(theirs.body)) {
        throw new Error(`${query.set}: the hand-written query answers other data than the mock for ${query.filter(bounds(k))}`)
      }
      if (!sameHeaders(ours.headers, theirs.headers)) throw new Error(`${query.set}: the hand-written query sends other headers: ${JSON.stringify(theirs.headers)} vs ${JSON.stringify(ours.headers)}`)
      pageRows.push((JSON.parse(ours.body.toString('utf8')) as { value: unknown[] }).value.length)
    }
    log(`scenario 2, ${which} (${query.set}): same rows as the hand-written query for ${pageRows.length} bounds (page sizes ${pageRows.join(' ')})`)
    const sequence = (origin: string): Target => {
      let k = 0
      return { url: `${origin}${path}`, headers: AUTH, next: () => `${path}?${queryString(query, bounds(k++))}` }
    }
    const comparison = await compare(sequence(hand.origin), sequence(mock.origin), load)
    return { rows, checked: { requests: pageRows.length, pageRows }, comparison }
  } finally {
    await hand.stop()
  }
}

/** Start-up through the server entry; through startGraphMock when the entry cannot start (said in the report). */
async function startup (dir: string, runs: number, command: { current: ServerCommand, failure: string | undefined }): Promise<StartupFigures> {
  try {
    return await measureStartup(command.current, dir, `${LIST}?$top=1`, AUTH, runs)
  } catch (error) {
    if (!(error instanceof StartupError) || command.failure !== undefined) throw error
    command.failure = error.message
    log(`scenario 4: ${error.message}`)
    command.current = startFunctionCommand()
    log(`scenario 4: measuring ${command.current.label} instead`)
    return await measureStartup(command.current, dir, `${LIST}?$top=1`, AUTH, runs)
  }
}

interface Results {
  machine: { cpus: number, cpuModel: string, node: string, platform: string, memoryBytes: number, loadAverage: { atStart: number[], atEnd: number[] } }
  settings: LoadSettings & {
    count: number,
    sessionsPerWorkload: number,
    logLevel: string,
    startupRuns: number,
    server: string | undefined,
    serverFailure: string | undefined,
    scenarios: number[],
    writeSessions: number,
    writePairs: number,
    writeRounds: number,
    workflowWorkers: number,
    mixedConnections: number,
    namespaces: number
  }
  generation?: { ms: number, bytes: number, args: string[] }
  ceiling?: { tenant: string, session: { id: string, artifacts: number }, lists: CeilingResult[] }
  query?: { sessions: QueryResult, points: QueryResult, window: QueryResult }
  paging?: { warmup: PagingRun, measured: PagingRun }
  startup?: { bundled: StartupFigures, large: StartupFigures }
  memory?: { fixtureBytes: number, idle: MemoryFigures, afterScenarios: MemoryFigures, builtServerAfterLoad: number | undefined }
  writeTenants?: { small: WriteTenant, large: WriteTenant | undefined }
  writes?: { entity: WriteResult, first: WriteResult, newest: WriteResult } | Failed
  workflow?: WorkflowResult | Failed
  mixed?: MixedResult | Failed
  journal?: JournalResult | Unavailable | Failed
  faultCheck?: FaultCheckResult | Unavailable | Failed
  namespaces?: NamespacesResult | Unavailable | Failed
}

/** A scenario that threw: the run goes on with the others and ends with exit code 1. */
interface Failed {
  readonly failed: string
}

function isFailed (value: object): value is Failed {
  return 'failed' in value
}

async function attempt<T> (scenario: string, run: () => Promise<T>): Promise<T | Failed> {
  try {
    return await run()
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    log(`scenario ${scenario} failed: ${message}`)
    process.exitCode = 1
    return { failed: message }
  }
}

function failedRow (scenario: string, result: Failed): TableRow {
  return { scenario, reference: '–', mock: '–', result: `FAILED: ${result.failed}`, target: '–', met: false }
}

const CEILING_TARGETS: Record<string, number> = { exchangeRestoreSessions: 0.8, mailboxRestoreArtifacts: 0.7, restoreSessions: 0.7 }
const WRITE_TARGET = 1.5
const JOURNAL_TARGET = 0.9
const FAULT_SHARE_TARGET = 0.01
const RSS_FLAT_TARGET = 1.25
const NAMESPACE_TARGET = 10

const rows = (n: number): string => n.toLocaleString('en-US')
const us = (value: number): string => `${rows(Math.round(value))} µs`
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`
const percent = (share: number): string => `${(share * 100).toFixed(share < 0.01 ? 2 : 1)}%`

function notAvailable (scenario: string, result: Unavailable): TableRow {
  return { scenario, reference: 'not available', mock: 'not available', result: `not available: ${result.reason}`, target: '–', met: undefined }
}

function baseRows (r: Results): TableRow[] {
  const fixtureBytes = r.generation?.bytes ?? 0
  const limit = 3 * fixtureBytes
  const ratio = (c: Comparison): string => `${c.ratio.toFixed(2)} (median round ${median(c.roundRatios).toFixed(2)}; rounds ${c.roundRatios.map((x) => x.toFixed(2)).join(' ')})`
  const letters = 'abcdef'
  const out: TableRow[] = []
  const ceiling = r.ceiling
  if (ceiling !== undefined) {
    out.push(...ceiling.lists.flatMap((result, index): TableRow[] => {
      const target = CEILING_TARGETS[result.list.name] ?? 0.8
      const label = result.list.name === 'mailboxRestoreArtifacts' ? `exchangeRestoreSessions/{id}/mailboxRestoreArtifacts (${ceiling.session.artifacts} rows)` : result.list.name
      return [
        { scenario: `1${letters[2 * index] ?? ''}. ${label} $top=10, same URL`, reference: `bare Fastify, same bytes: ${perSecond(result.repeated.reference.requestsPerSecond)}`, mock: perSecond(result.repeated.mock.requestsPerSecond), result: `ratio ${ratio(result.repeated)}`, target: `≥ ${target.toFixed(2)}`, met: result.repeated.ratio >= target },
        { scenario: `1${letters[2 * index + 1] ?? ''}. the same, distinct URLs`, reference: `bare Fastify, same bytes: ${perSecond(result.distinct.reference.requestsPerSecond)}`, mock: perSecond(result.distinct.mock.requestsPerSecond), result: `ratio ${ratio(result.distinct)}`, target: `(≥ ${target.toFixed(2)})`, met: result.distinct.ratio >= target }
      ]
    }))
  }
  const queryRow = (id: string, label: string, q: QueryResult): TableRow => ({
    scenario: `${id}. ${label}, $orderby desc, $select, $top=50; ${rows(q.rows)} rows; a $filter per request`,
    reference: `hand-written JS: ${perSecond(q.comparison.reference.requestsPerSecond)}`,
    mock: perSecond(q.comparison.mock.requestsPerSecond),
    result: `ratio ${ratio(q.comparison)}`,
    target: '≥ 0.80',
    met: q.comparison.ratio >= 0.8
  })
  if (r.query !== undefined) {
    out.push(
      queryRow('2a', 'exchangeRestoreSessions, status + createdDateTime ge t', r.query.sessions),
      queryRow('2b', "restorePoints, protectionDateTime ge t + tags eq 'fastRestore'", r.query.points),
      queryRow('2c', 'restorePoints, the same in a 2-day window (ge t1 and le t2)', r.query.window)
    )
  }
  if (r.paging !== undefined) {
    const p = r.paging.measured
    out.push({ scenario: `3. every nextLink of restorePoints, $top=100, ${rows(p.rows)} rows`, reference: `early pages: ${ms(p.earlyPageMs)}/page`, mock: `late pages: ${ms(p.latePageMs)}/page`, result: `late/early ${p.lateOverEarly.toFixed(2)}; ${p.pages} pages in ${ms(p.totalMs)} = ${p.microsecondsPerRow.toFixed(1)} µs/row`, target: 'late/early ≤ 1.25', met: p.lateOverEarly <= 1.25 })
  }
  if (r.startup !== undefined) {
    out.push(
      { scenario: '4a. start-up, bundled fixtures', reference: 'spawn → first 200', mock: `median ${ms(r.startup.bundled.medianMs)}`, result: `runs ${r.startup.bundled.runsMs.map((x) => x.toFixed(0)).join(' ')} ms`, target: '< 1000 ms', met: r.startup.bundled.medianMs < 1000 },
      { scenario: `4b. start-up, large tenant (JSON ${mb(fixtureBytes)})`, reference: 'spawn → first 200', mock: `median ${ms(r.startup.large.medianMs)}`, result: `runs ${r.startup.large.runsMs.map((x) => x.toFixed(0)).join(' ')} ms; ${(r.startup.large.medianMs / (fixtureBytes / 1e6)).toFixed(0)} ms per MB of JSON`, target: '–', met: undefined }
    )
  }
  if (r.memory !== undefined) {
    const times = (bytes: number | undefined): string => bytes === undefined ? 'n/a' : `${(bytes / fixtureBytes).toFixed(2)}×`
    const built = r.memory.builtServerAfterLoad
    const bundled = r.startup?.bundled.rssBytes
    const added = built === undefined || bundled === undefined ? undefined : built - bundled
    out.push(
      { scenario: '5a. RSS after loading the large tenant', reference: `JSON ${mb(fixtureBytes)}; 3× = ${mb(limit)}`, mock: `${mb(r.memory.idle.rss)} (settled ${mb(r.memory.idle.rssSettled)}, heap ${mb(r.memory.idle.heapSettled)}); built server ${mb(built)}`, result: `${(r.memory.idle.rss / fixtureBytes).toFixed(2)}× the JSON (built server ${times(built)}; above its ${mb(bundled)} on the bundled fixtures ${times(added)})`, target: '< 3×', met: r.memory.idle.rss < limit },
      { scenario: '5b. RSS after scenarios 2 and 3', reference: `JSON ${mb(fixtureBytes)}`, mock: `${mb(r.memory.afterScenarios.rss)} (settled ${mb(r.memory.afterScenarios.rssSettled)}, heap ${mb(r.memory.afterScenarios.heapSettled)})`, result: `settled ${(r.memory.afterScenarios.rssSettled / fixtureBytes).toFixed(2)}× the JSON (at once ${(r.memory.afterScenarios.rss / fixtureBytes).toFixed(2)}×)`, target: '< 3× settled', met: r.memory.afterScenarios.rssSettled < limit }
    )
  }
  return out
}

function writeRows (r: Results): TableRow[] {
  const out: TableRow[] = []
  if (r.writes !== undefined && isFailed(r.writes)) out.push(failedRow('6. POST + GET at two sizes of the set', r.writes))
  else if (r.writes !== undefined) {
    const sideText = (side: WriteResult['small']): string => `${us(side.meanPairUs)}/pair (median ${us(side.medianPairUs)}, p99 ${us(side.p99PairUs)}; POST ${us(side.meanPostUs)}, GET ${us(side.meanGetUs)})`
    const writeRow = (w: WriteResult): TableRow => ({
      scenario: w.read === 'entity'
        ? `6a. POST an exchangeRestoreSession (one artifact inline) + GET it, ${rows(w.small.sessionsAtStart)} vs ${rows(w.large.sessionsAtStart)} sessions; ${rows(w.small.pairs)} pairs each, one at a time`
        : w.read === 'first'
          ? `6b. POST + GET the list's first page ($top=10), ${rows(w.small.sessionsAtStart)} vs ${rows(w.large.sessionsAtStart)} sessions; ${rows(w.small.pairs)} pairs each`
          : `6c. POST + GET the list's newest ($orderby=createdDateTime desc&$top=1: the session just written), ${rows(w.small.sessionsAtStart)} vs ${rows(w.large.sessionsAtStart)} sessions; ${rows(w.small.pairs)} pairs each`,
      reference: `${rows(w.small.sessionsAtStart)} sessions: ${sideText(w.small)}`,
      mock: `${rows(w.large.sessionsAtStart)} sessions: ${sideText(w.large)}`,
      result: `large/small ${w.ratio.toFixed(2)} (medians ${w.medianRatio.toFixed(2)}; rounds ${w.roundRatios.map((x) => x.toFixed(2)).join(' ')})`,
      target: w.read === 'entity' ? `≤ ${WRITE_TARGET.toFixed(1)}` : `(≤ ${WRITE_TARGET.toFixed(1)})`,
      met: w.ratio <= WRITE_TARGET
    })
    out.push(writeRow(r.writes.entity), writeRow(r.writes.first), writeRow(r.writes.newest))
  }
  const f = r.workflow
  if (f !== undefined && isFailed(f)) out.push(failedRow('7. restore workflow', f))
  else if (f !== undefined) {
    out.push({
      scenario: `7. restore workflow: create with 1 artifact, PATCH ${f.artifacts - 1} more, activate, advance the manual clock a step + GET until it ends; ${f.workers} at once (${f.clock})`,
      reference: `the list's first page ($top=10, 10 connections): ${perSecond(f.listRequestsPerSecond)}, p99 ${ms(f.listP99Ms)}`,
      mock: `${f.workflowsPerSecond.toFixed(1)} workflows/s = ${perSecond(f.requestsPerSecond)} (${f.requestsPerWorkflow.toFixed(1)} requests each, ${f.pollsPerWorkflow.toFixed(1)} of them polls, each after a clock advance; median ${ms(f.medianWorkflowMs)} per workflow)`,
      result: `workflow requests ÷ list requests ${(f.requestsPerSecond / f.listRequestsPerSecond).toFixed(2)}; statuses seen ${f.statusesSeen.join(' → ')}`,
      target: '–',
      met: undefined
    })
  }
  const m = r.mixed
  if (m !== undefined && isFailed(m)) out.push(failedRow('8. mixed load', m))
  else if (m !== undefined) {
    const codes = (side: MixedResult['mixed']): string => Object.entries(side.statusCounts).map(([code, n]) => `${code}: ${rows(n)}`).join(', ')
    out.push(
      {
        scenario: `8a. mixed load, 90% list/get + 10% POST, ${m.connections} connections`,
        reference: `read-only (the same reads): ${perSecond(m.readOnly.requestsPerSecond)}, p50 ${ms(m.readOnly.p50Ms)}, p99 ${ms(m.readOnly.p99Ms)}`,
        mock: `mixed: ${perSecond(m.mixed.requestsPerSecond)}, p50 ${ms(m.mixed.p50Ms)}, p99 ${ms(m.mixed.p99Ms)}`,
        result: `mixed/read-only ${m.ratio.toFixed(2)} (rounds ${m.roundRatios.map((x) => x.toFixed(2)).join(' ')}); ${rows(m.written)} sessions written`,
        target: '–',
        met: undefined
      },
      {
        scenario: '8b. the same: errors',
        reference: `read-only: ${codes(m.readOnly)}`,
        mock: `mixed: ${codes(m.mixed)}`,
        result: `non-2xx ${m.readOnly.non2xx + m.mixed.non2xx}, socket errors ${m.readOnly.errors + m.mixed.errors}, timeouts ${m.readOnly.timeouts + m.mixed.timeouts}`,
        target: 'none; a 201 per write',
        met: m.clean
      },
      {
        scenario: '8c. the same: RSS of the mock from the first window to the last',
        reference: `start ${mb(m.rss.start)} (settled ${mb(m.memory.start.rssSettled)}, heap ${mb(m.memory.start.heapSettled)})`,
        mock: `end ${mb(m.rss.end)} (settled ${mb(m.memory.end.rssSettled)}, heap ${mb(m.memory.end.heapSettled)})`,
        result: `end/start ${m.rss.ratio?.toFixed(2) ?? 'n/a'} (settled ${m.memory.settledRatio.toFixed(2)}; heap +${kb(Math.max(0, m.memory.end.heapSettled - m.memory.start.heapSettled) / Math.max(1, m.written))} per session written)`,
        target: `flat: ≤ ${RSS_FLAT_TARGET.toFixed(2)}`,
        met: m.rss.ratio === undefined ? undefined : m.rss.ratio <= RSS_FLAT_TARGET
      }
    )
  }
  return out
}

function controlRows (r: Results): TableRow[] {
  const out: TableRow[] = []
  const j = r.journal
  if (j !== undefined) {
    const label = '9. the list ($top=10, same URL, bundled fixtures), request journal on (the default) vs off'
    out.push(isFailed(j)
      ? failedRow(label, j)
      : !j.available
          ? notAvailable(label, j)
          : {
              scenario: label,
              reference: `journal off (${JSON.stringify(j.off)}): ${perSecond(j.comparison.reference.requestsPerSecond)}`,
              mock: `on: ${perSecond(j.comparison.mock.requestsPerSecond)}; ${rows(j.entries.on)} entries kept (off: ${j.entries.off === undefined ? 'no count' : rows(j.entries.off)})`,
              result: `on/off ${j.comparison.ratio.toFixed(2)} (median round ${median(j.comparison.roundRatios).toFixed(2)}; rounds ${j.comparison.roundRatios.map((x) => x.toFixed(2)).join(' ')})`,
              target: `≥ ${JOURNAL_TARGET.toFixed(2)}`,
              met: j.comparison.ratio >= JOURNAL_TARGET
            })
  }
  const f = r.faultCheck
  if (f !== undefined) {
    const label = '10. the fault check with no fault rules, under list load: CPU samples (node --cpu-prof) with a frame of src/control/fault*'
    const others = !isFailed(f) && f.available ? Object.entries(f.controlShares).filter(([name]) => !name.startsWith('fault')).map(([name, share]) => `${name} ${percent(share)}`).join(', ') : ''
    out.push(isFailed(f)
      ? failedRow(label, f)
      : !f.available
          ? notAvailable(label, f)
          : {
              scenario: label,
              reference: `${rows(f.samples)} busy samples, one per ${f.intervalUs} µs; ${perSecond(f.requestsPerSecond)} (profiled)`,
              mock: `${rows(f.faultSamples)} samples in fault*`,
              result: `${percent(f.share)} of the CPU${others === '' ? '' : `; other src/control files: ${others}`}`,
              target: `< ${percent(FAULT_SHARE_TARGET)}`,
              met: f.share < FAULT_SHARE_TARGET
            })
  }
  const n = r.namespaces
  if (n !== undefined) {
    const label = `11. ${rows(r.settings.namespaces)} namespaces, one session written in each (large tenant)`
    if (isFailed(n)) out.push(failedRow(label, n))
    else if (!n.available) out.push(notAvailable(label, n))
    else {
      const times = n.perNamespace.heap / Math.max(n.perSession.heap, 1)
      out.push({
        scenario: n.stoppedAt === undefined ? label : `${label}: stopped at ${rows(n.stoppedAt)} (1,000 would pass ${mb(4e9)})`,
        reference: `${rows(n.sessions)} sessions in the default namespace: ${kb(n.perSession.heap)} of heap each; the seed: heap ${mb(n.seed.heapSettled)}, RSS ${mb(n.seed.rssSettled)}`,
        mock: `per namespace: ${kb(n.perNamespace.heap)} of heap (heap after ${n.steps.map((step) => `${rows(step.namespaces)}: ${mb(step.memory.heapSettled)}`).join(', ')}; RSS then ${mb(n.steps.at(-1)?.memory.rssSettled)})`,
        result: `${times.toFixed(1)}× a session's heap; ${percent(n.perNamespace.heap / n.seed.heapSettled)} of the seed's heap per namespace`,
        target: `≤ ${NAMESPACE_TARGET}× a session`,
        met: times <= NAMESPACE_TARGET
      })
    }
  }
  return out
}

function tableOf (r: Results): TableRow[] {
  return [...baseRows(r), ...writeRows(r), ...controlRows(r)]
}

/** A mock child over `dir` with these settings besides (BENCH_MOCK_OPTIONS). */
async function startMock (dir: string, options: Record<string, unknown> = {}, nodeOptions: readonly string[] = MOCK_NODE_OPTIONS): Promise<ServerChild> {
  return await startChild('mock', [dir], { BENCH_LOG_LEVEL: LOG_LEVEL, [MOCK_OPTIONS_ENV]: JSON.stringify(options) }, nodeOptions)
}

/** POST {prefix}/__admin/clock/advance, the control plane's way to move a clock. */
function adminAdvance (mock: ServerChild, prefix: string, agent: ReturnType<typeof keepAlive>): Advance {
  return async (by) => {
    const answer = await send(agent, 'POST', `${mock.origin}${prefix}/__admin/clock/advance`, { by })
    if (answer.status !== 200) throw new Error(`POST ${prefix}/__admin/clock/advance: HTTP ${answer.status}: ${answer.body.toString('utf8').slice(0, 200)}`)
  }
}

/**
 * The workers' lanes: a namespace and a clock each when the mock has namespaces and the admin clock;
 * else one clock for all, moved by POST /__admin/clock/advance, or by app.clock.advance in the mock's
 * process before the control plane exists.
 */
async function workflowLanes (mock: ServerChild, workers: number): Promise<{ how: string, lanes: Lane[] }> {
  const agent = keepAlive(workers)
  const adminClock = await answers200(`${mock.origin}/__admin/clock`)
  if (adminClock && await answers200(`${mock.origin}/__admin/namespaces`)) {
    const lanes = Array.from({ length: workers }, (_, i): Lane => ({ prefix: `/_ns/bench-workflow-${i}`, advance: adminAdvance(mock, `/_ns/bench-workflow-${i}`, agent) }))
    return { how: 'a namespace and a clock per worker, POST /_ns/{name}/__admin/clock/advance', lanes }
  }
  const advance: Advance = adminClock ? adminAdvance(mock, '', agent) : async (ms) => { await mock.advance(ms) }
  const how = adminClock ? 'one clock for all workers, POST /__admin/clock/advance' : 'one clock for all workers, app.clock.advance in the mock process'
  return { how, lanes: Array.from({ length: workers }, () => ({ prefix: '', advance })) }
}

/** Scenarios 2, 3 and 5 over the large tenant. */
async function largeTenantScenarios (large: string, tmp: string, largeStartup: StartupFigures | undefined, fixtureBytes: number): Promise<Pick<Results, 'query' | 'paging' | 'memory'>> {
  log(`scenarios 2, 3, 5: mock over the large tenant (${count} restore points)`)
  const sessionRows = readRows(large, QUERIES.sessions.set)
  const pointRows = readRows(large, QUERIES.points.set)
  const sequences = { sessions: sessionBounds(sessionRows), points: pointBounds(pointRows), window: windowBounds(pointRows) }
  const mock = await startMock(large)
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const idle = await mock.memory()
    const query = want(2)
      ? {
          sessions: await scenarioQuery(mock, large, tmp, 'sessions', sequences.sessions, sessionRows.length),
          points: await scenarioQuery(mock, large, tmp, 'points', sequences.points, pointRows.length),
          window: await scenarioQuery(mock, large, tmp, 'window', sequences.window, pointRows.length)
        }
      : undefined
    let paging: Results['paging']
    if (want(3)) {
      log('scenario 3: following every nextLink of restorePoints')
      const firstUrl = `${mock.origin}${BASE}/restorePoints?$top=100`
      paging = { warmup: await followAllPages(firstUrl, AUTH), measured: await followAllPages(firstUrl, AUTH) }
    }
    const after = await mock.memory()
    return {
      ...(query === undefined ? {} : { query }),
      ...(paging === undefined ? {} : { paging }),
      ...(want(5) ? { memory: { fixtureBytes, idle, afterScenarios: after, builtServerAfterLoad: largeStartup?.rssBytes } } : {})
    }
  } finally {
    await mock.stop()
  }
}

/** Scenarios 6, 7 and 8 over the write tenants. */
async function writeScenarios (tmp: string): Promise<Pick<Results, 'writeTenants' | 'writes' | 'workflow' | 'mixed'>> {
  log(`scenarios 6-8: generating a tenant of 1,000 exchange sessions${want(6) ? ` and one of ${rows(writeSessions)}` : ''}`)
  const small = await writeTenant(join(tmp, 'writes-small'), 1000)
  const large = want(6) ? await writeTenant(join(tmp, 'writes-large'), writeSessions) : undefined
  const points = mailboxRestorePoints(small.dir, 10)
  const [point = ''] = points
  const out: Pick<Results, 'writeTenants' | 'writes' | 'workflow' | 'mixed'> = { writeTenants: { small, large } }
  if (large !== undefined) {
    if (mailboxRestorePoints(large.dir, 1)[0] !== point) throw new Error('the two write tenants do not hold the same restore points')
    log(`scenario 6: POST + GET at ${rows(small.sessions)} and at ${rows(large.sessions)} sessions (${mb(large.bytes)} of JSON, generated in ${(large.generatedMs / 1000).toFixed(0)} s)`)
    out.writes = await attempt('6', async () => {
      const [smallMock, largeMock] = await Promise.all([startMock(small.dir), startMock(large.dir)])
      const mocks = { small: smallMock, large: largeMock }
      try {
        // Rounds of pairs are short (a fraction of a second): more of them than the load windows, so
        // that a burst of other work on a shared machine falls on both sides.
        const settings = { warmup: Math.max(20, Math.round(writePairs / 4)), rounds: writeRounds, perRound: writePairs }
        const entity = await scenarioWrites(mocks, { small: small.sessions, large: large.sessions }, point, 'entity', settings)
        const first = await scenarioWrites(mocks, { small: entity.small.sessionsAtEnd, large: entity.large.sessionsAtEnd }, point, 'first', settings)
        // A sorted list re-sorts the whole set after each write (over a second a read at 100,000): fewer pairs.
        const fewer = { warmup: 5, rounds: load.rounds, perRound: Math.max(5, Math.round(writePairs / 10)) }
        const newest = await scenarioWrites(mocks, { small: first.small.sessionsAtEnd, large: first.large.sessionsAtEnd }, point, 'newest', fewer)
        return { entity, first, newest }
      } finally {
        await Promise.all([mocks.small.stop(), mocks.large.stop()])
      }
    })
  }
  if (want(7)) {
    log('scenario 7: the restore workflow on a manual clock')
    const stepMs = 500
    out.workflow = await attempt('7', async () => {
      const mock = await startMock(small.dir, { clockMode: 'manual', restoreStep: stepMs })
      try {
        return await scenarioWorkflow(mock, points, await workflowLanes(mock, workflowWorkers), stepMs, load)
      } finally {
        await mock.stop()
      }
    })
  }
  if (want(8)) {
    log(`scenario 8: mixed load at ${mixedConnections} connections`)
    out.mixed = await attempt('8', async () => {
      const mock = await startMock(small.dir)
      try {
        return await scenarioMixed(mock, sessionIds(small.dir, 100), point, mixedConnections, load)
      } finally {
        await mock.stop()
      }
    })
  }
  return out
}

/** Scenarios 9, 10 and 11: the control plane, each only where the mock has the feature. */
async function controlScenarios (tmp: string, large: string | undefined): Promise<Pick<Results, 'journal' | 'faultCheck' | 'namespaces'>> {
  const out: Pick<Results, 'journal' | 'faultCheck' | 'namespaces'> = {}
  const bundled: StartMock = async (options, nodeOptions) => await startMock(BUNDLED, options, nodeOptions ?? MOCK_NODE_OPTIONS)
  if (want(9)) {
    log('scenario 9: the request journal on and off')
    out.journal = await attempt('9', async () => await scenarioJournal(bundled, load))
  }
  if (want(10)) {
    log('scenario 10: the fault check with no rules, profiled')
    out.faultCheck = await attempt('10', async () => await scenarioFaultCheck(bundled, load, join(tmp, 'profile-faults')))
  }
  if (want(11) && large !== undefined) {
    log(`scenario 11: ${namespaceCount} namespaces writing one session each`)
    const [point = ''] = mailboxRestorePoints(large, 1)
    out.namespaces = await attempt('11', async () => await scenarioNamespaces(async (options, nodeOptions) => await startMock(large, options, nodeOptions ?? MOCK_NODE_OPTIONS), point, namespaceCount))
  }
  for (const [name, result] of Object.entries<JournalResult | FaultCheckResult | NamespacesResult | Unavailable | Failed>(out)) {
    if (!isFailed(result) && !result.available) log(`${name}: not available: ${result.reason}`)
  }
  return out
}

async function main (): Promise<void> {
  const started = performance.now()
  const loadAtStart = loadavg()
  const tmp = await mkdtemp(join(tmpdir(), 'graph-mock-bench-'))
  const large = join(tmp, 'large')
  try {
    const args = ['--restore-points', String(count), '--count', String(sessionsPerWorkload), '--seed', '7']
    let generation: Results['generation']
    if (want(2, 3, 4, 5, 11)) {
      log(`generating the large tenant (npm run fixtures -- ${args.join(' ')}) into ${large}`)
      generation = { ...await generate(large, args), args }
      log(`generated ${generation.bytes} bytes of JSON in ${generation.ms.toFixed(0)} ms`)
    }

    const command = { current: serverCommand(), failure: undefined as string | undefined }
    let startupFigures: Results['startup']
    if (want(4)) {
      log(`scenario 4: start-up of ${command.current.label}`)
      const bundledStartup = await startup(BUNDLED, startupRuns, command)
      startupFigures = { bundled: bundledStartup, large: await startup(large, Math.max(1, Math.ceil(startupRuns / 2)), command) }
    }

    let ceiling: Results['ceiling']
    if (want(1)) {
      log('scenario 1: mock vs the ceiling')
      const tenant = await ceilingTenant(tmp)
      const lists: CeilingList[] = [
        { name: 'exchangeRestoreSessions', path: LIST, route: LIST },
        { name: 'mailboxRestoreArtifacts', path: `${LIST}/${tenant.session.id}/mailboxRestoreArtifacts`, route: `${LIST}/:id/mailboxRestoreArtifacts` },
        { name: 'restoreSessions', path: `${BASE}/restoreSessions`, route: `${BASE}/restoreSessions` }
      ]
      const ceilingResults: CeilingResult[] = []
      try {
        for (const list of lists) ceilingResults.push(await scenarioCeiling(tenant.mock, list, tmp))
      } finally {
        await tenant.mock.stop()
      }
      ceiling = { tenant: tenant.label, session: tenant.session, lists: ceilingResults }
    }

    const largeResults = want(2, 3, 5) && generation !== undefined ? await largeTenantScenarios(large, tmp, startupFigures?.large, generation.bytes) : {}
    const writeResults = want(6, 7, 8) ? await writeScenarios(tmp) : {}
    const controlResults = want(9, 10, 11) ? await controlScenarios(tmp, generation === undefined ? undefined : large) : {}

    const results: Results = {
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}`, memoryBytes: totalmem(), loadAverage: { atStart: loadAtStart, atEnd: loadavg() } },
      settings: {
        ...load,
        count,
        sessionsPerWorkload,
        logLevel: LOG_LEVEL,
        startupRuns,
        server: want(4) ? command.current.label : undefined,
        serverFailure: command.failure,
        scenarios: [...scenarios].sort((a, b) => a - b),
        writeSessions,
        writePairs,
        writeRounds,
        workflowWorkers,
        mixedConnections,
        namespaces: namespaceCount
      },
      ...(generation === undefined ? {} : { generation }),
      ...(ceiling === undefined ? {} : { ceiling }),
      ...(startupFigures === undefined ? {} : { startup: startupFigures }),
      ...largeResults,
      ...writeResults,
      ...controlResults
    }
    const machine = `${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.platform}, Node ${results.machine.node}`
    const out = process.stdout
    const busy = (values: number[]): string => values.map((value) => value.toFixed(1)).join(' ')
    out.write(`\ngraph-mock benchmark: ${machine}; LOG_LEVEL=${LOG_LEVEL}; ${load.connections} connections, ${load.rounds} × ${load.window} s windows per side, alternating; scenarios ${results.settings.scenarios.join(',')}\n`)
    out.write(`load average (1, 5, 15 min): ${busy(loadAtStart)} at the start, ${busy(results.machine.loadAverage.atEnd)} at the end${Math.max(loadAtStart[0] ?? 0, results.machine.loadAverage.atEnd[0] ?? 0) > cpus().length ? ' (other work shared the cores: the ratios are noisier than usual)' : ''}\n`)
    if (ceiling !== undefined) out.write(`scenario 1: ${ceiling.tenant}\n`)
    if (generation !== undefined) out.write(`large tenant: npm run fixtures -- ${args.join(' ')}: ${count} restore points, ${sessionsPerWorkload} sessions per workload, ${mb(generation.bytes)} of JSON, generated in ${(generation.ms / 1000).toFixed(1)} s\n`)
    const wt = results.writeTenants
    if (wt !== undefined) {
      const one = (t: WriteTenant): string => `${rows(t.sessions)} exchange sessions (npm run fixtures -- ${t.args.join(' ')}, other workloads' sessions left out): ${mb(t.bytes)} of JSON`
      out.write(`write tenants: ${one(wt.small)}${wt.large === undefined ? '' : `; ${one(wt.large)}`}\n`)
    }
    if (startupFigures !== undefined) out.write(`start-up: ${command.current.label}${command.failure === undefined ? '' : ` (the server entry does not start: ${command.failure})`}\n`)
    out.write('\n' + formatTable(tableOf(results)) + '\n')
    const outDir = join(ROOT, 'test/bench/results')
    await mkdir(outDir, { recursive: true })
    const json = JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2) + '\n'
    await writeFile(join(outDir, 'latest.json'), json)
    await writeFile(join(outDir, `bench-${new Date().toISOString().replaceAll(':', '-')}.json`), json)
    out.write(`\nfigures written to test/bench/results/latest.json; the run took ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
    // Errors under the mixed load are a failure of the mock, not a slow figure: the run says so in its exit code.
    if (results.mixed !== undefined && !isFailed(results.mixed) && !results.mixed.clean) {
      process.stderr.write('bench: the mixed load got answers other than 2xx, socket errors or timeouts (scenario 8b)\n')
      process.exitCode = 1
    }
  } finally {
    await stopAll()
    await rm(tmp, { recursive: true, force: true })
  }
}

process.once('SIGINT', () => { void stopAll().finally(() => process.exit(130)) })
await main()
