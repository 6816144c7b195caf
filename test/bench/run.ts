// `npm run bench`: the mock measured side by side against the ceiling of its own stack, in one run.
// Generates a tenant of 100,000 restore points (and 1,000 restore sessions per workload) into a
// temporary folder, starts every server as a child process on loopback, drives them with autocannon
// from this process in alternating windows, prints a table and writes every figure to
// test/bench/results/. Options: --window S --rounds N --warmup S --connections N --count N (restore
// points of the large tenant) --sessions N (its restore sessions per workload) --startup-runs N
// --profile DIR (every mock child writes a CPU profile there, node --cpu-prof, when it stops).
// Nothing it starts outlives it.

import { spawn } from 'node:child_process'
import { get } from 'node:http'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { compare, median, type Comparison, type LoadSettings, type Target } from './load.js'
import { followAllPages, type PagingRun } from './paging.js'
import { startChild, stopAll, track, type ServerChild } from './processes.js'
import { POINTS_WINDOW_MS, QUERIES, boundAt, literal, queryString, type Bounds, type MemoryFigures, type QueryName } from './protocol.js'
import { formatTable, mb, ms, perSecond, type TableRow } from './report.js'
import { StartupError, measureStartup, serverCommand, startFunctionCommand, type ServerCommand, type StartupFigures } from './startup.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BUNDLED = join(ROOT, 'fixtures')
const BASE = '/beta/solutions/backupRestore'
const LIST = `${BASE}/exchangeRestoreSessions`
const AUTH = { authorization: 'Bearer bench-token' }
const LOG_LEVEL = 'warn'

const { values: flags } = parseArgs({
  options: {
    window: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    count: { type: 'string', default: '100000' },
    sessions: { type: 'string', default: '1000' },
    'startup-runs': { type: 'string', default: '3' },
    profile: { type: 'string' }
  }
})
/** Node options of the mock children: a CPU profile each when --profile DIR is given. */
const MOCK_NODE_OPTIONS = flags.profile === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', flags.profile]
const load: LoadSettings = { window: Number(flags.window), rounds: Number(flags.rounds), warmup: Number(flags.warmup), connections: Number(flags.connections) }
const count = Number(flags.count)
const sessionsPerWorkload = Number(flags.sessions)
const startupRuns = Number(flags['startup-runs'])
const positive = { window: load.window, rounds: load.rounds, connections: load.connections, count, 'startup-runs': startupRuns }
for (const [name, value] of [...Object.entries(positive), ['warmup', load.warmup] as const, ['sessions', sessionsPerWorkload] as const]) {
  const least = name in positive ? Number.MIN_VALUE : 0
  if (!Number.isFinite(value) || value < least) {
    process.stderr.write(`bench: --${name} must be a number${least > 0 ? ' above 0' : ' of at least 0'}\n`)
    process.exit(2)
  }
}

function log (line: string): void {
  process.stderr.write(`bench: ${line}\n`)
}

/** Every file of a fixtures folder, in bytes. */
function folderBytes (dir: string): number {
  return readdirSync(dir).filter((name) => name.endsWith('.json')).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0)
}

/** `npm run fixtures` with these flags; resolves once the folder is written. */
async function generate (out: string, args: readonly string[]): Promise<{ ms: number, bytes: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/fixtures/cli.ts'), ...args, '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] })
  track(child)
  const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve) })
  if (code !== 0) throw new Error(`the fixture generator (${args.join(' ')}) exited with ${String(code)}`)
  return { ms: performance.now() - started, bytes: folderBytes(out) }
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

type Row = Readonly<Record<string, unknown>>

function readRows (dir: string, set: string): Row[] {
  const parsed = JSON.parse(readFileSync(join(dir, `${set}.json`), 'utf8')) as unknown
  const rows = Array.isArray(parsed) ? parsed : (parsed as { value?: unknown }).value
  if (!Array.isArray(rows)) throw new Error(`${set}.json holds no array of records`)
  return rows as Row[]
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
  settings: LoadSettings & { count: number, sessionsPerWorkload: number, logLevel: string, startupRuns: number, server: string, serverFailure: string | undefined }
  generation: { ms: number, bytes: number, args: string[] }
  ceiling: { tenant: string, session: { id: string, artifacts: number }, lists: CeilingResult[] }
  query: { sessions: QueryResult, points: QueryResult, window: QueryResult }
  paging: { warmup: PagingRun, measured: PagingRun }
  startup: { bundled: StartupFigures, large: StartupFigures }
  memory: { fixtureBytes: number, idle: MemoryFigures, afterScenarios: MemoryFigures, builtServerAfterLoad: number | undefined }
}

const CEILING_TARGETS: Record<string, number> = { exchangeRestoreSessions: 0.8, mailboxRestoreArtifacts: 0.7, restoreSessions: 0.7 }

function tableOf (r: Results): TableRow[] {
  const limit = 3 * r.memory.fixtureBytes
  const ratio = (c: Comparison): string => `${c.ratio.toFixed(2)} (median round ${median(c.roundRatios).toFixed(2)}; rounds ${c.roundRatios.map((x) => x.toFixed(2)).join(' ')})`
  const p = r.paging.measured
  const letters = 'abcdef'
  const ceilingRows = r.ceiling.lists.flatMap((result, index): TableRow[] => {
    const target = CEILING_TARGETS[result.list.name] ?? 0.8
    const label = result.list.name === 'mailboxRestoreArtifacts' ? `exchangeRestoreSessions/{id}/mailboxRestoreArtifacts (${r.ceiling.session.artifacts} rows)` : result.list.name
    return [
      { scenario: `1${letters[2 * index] ?? ''}. ${label} $top=10, same URL`, reference: `bare Fastify, same bytes: ${perSecond(result.repeated.reference.requestsPerSecond)}`, mock: perSecond(result.repeated.mock.requestsPerSecond), result: `ratio ${ratio(result.repeated)}`, target: `≥ ${target.toFixed(2)}`, met: result.repeated.ratio >= target },
      { scenario: `1${letters[2 * index + 1] ?? ''}. the same, distinct URLs`, reference: `bare Fastify, same bytes: ${perSecond(result.distinct.reference.requestsPerSecond)}`, mock: perSecond(result.distinct.mock.requestsPerSecond), result: `ratio ${ratio(result.distinct)}`, target: `(≥ ${target.toFixed(2)})`, met: result.distinct.ratio >= target }
    ]
  })
  const rows = (n: number): string => n.toLocaleString('en-US')
  const times = (bytes: number | undefined): string => bytes === undefined ? 'n/a' : `${(bytes / r.memory.fixtureBytes).toFixed(2)}×`
  const built = r.memory.builtServerAfterLoad
  const bundled = r.startup.bundled.rssBytes
  const added = built === undefined || bundled === undefined ? undefined : built - bundled
  const queryRow = (id: string, label: string, q: QueryResult): TableRow => ({
    scenario: `${id}. ${label}, $orderby desc, $select, $top=50; ${rows(q.rows)} rows; a $filter per request`,
    reference: `hand-written JS: ${perSecond(q.comparison.reference.requestsPerSecond)}`,
    mock: perSecond(q.comparison.mock.requestsPerSecond),
    result: `ratio ${ratio(q.comparison)}`,
    target: '≥ 0.80',
    met: q.comparison.ratio >= 0.8
  })
  return [
    ...ceilingRows,
    queryRow('2a', 'exchangeRestoreSessions, status + createdDateTime ge t', r.query.sessions),
    queryRow('2b', "restorePoints, protectionDateTime ge t + tags eq 'fastRestore'", r.query.points),
    queryRow('2c', 'restorePoints, the same in a 2-day window (ge t1 and le t2)', r.query.window),
    { scenario: `3. every nextLink of restorePoints, $top=100, ${rows(p.rows)} rows`, reference: `early pages: ${ms(p.earlyPageMs)}/page`, mock: `late pages: ${ms(p.latePageMs)}/page`, result: `late/early ${p.lateOverEarly.toFixed(2)}; ${p.pages} pages in ${ms(p.totalMs)} = ${p.microsecondsPerRow.toFixed(1)} µs/row`, target: 'late/early ≤ 1.25', met: p.lateOverEarly <= 1.25 },
    { scenario: '4a. start-up, bundled fixtures', reference: 'spawn → first 200', mock: `median ${ms(r.startup.bundled.medianMs)}`, result: `runs ${r.startup.bundled.runsMs.map((x) => x.toFixed(0)).join(' ')} ms`, target: '< 1000 ms', met: r.startup.bundled.medianMs < 1000 },
    { scenario: `4b. start-up, large tenant (JSON ${mb(r.memory.fixtureBytes)})`, reference: 'spawn → first 200', mock: `median ${ms(r.startup.large.medianMs)}`, result: `runs ${r.startup.large.runsMs.map((x) => x.toFixed(0)).join(' ')} ms; ${(r.startup.large.medianMs / (r.memory.fixtureBytes / 1e6)).toFixed(0)} ms per MB of JSON`, target: '–', met: undefined },
    { scenario: '5a. RSS after loading the large tenant', reference: `JSON ${mb(r.memory.fixtureBytes)}; 3× = ${mb(limit)}`, mock: `${mb(r.memory.idle.rss)} (settled ${mb(r.memory.idle.rssSettled)}, heap ${mb(r.memory.idle.heapSettled)}); built server ${mb(r.memory.builtServerAfterLoad)}`, result: `${(r.memory.idle.rss / r.memory.fixtureBytes).toFixed(2)}× the JSON (built server ${times(r.memory.builtServerAfterLoad)}; above its ${mb(r.startup.bundled.rssBytes)} on the bundled fixtures ${times(added)})`, target: '< 3×', met: r.memory.idle.rss < limit },
    { scenario: '5b. RSS after scenarios 2 and 3', reference: `JSON ${mb(r.memory.fixtureBytes)}`, mock: `${mb(r.memory.afterScenarios.rss)} (settled ${mb(r.memory.afterScenarios.rssSettled)}, heap ${mb(r.memory.afterScenarios.heapSettled)})`, result: `settled ${(r.memory.afterScenarios.rssSettled / r.memory.fixtureBytes).toFixed(2)}× the JSON (at once ${(r.memory.afterScenarios.rss / r.memory.fixtureBytes).toFixed(2)}×)`, target: '< 3× settled', met: r.memory.afterScenarios.rssSettled < limit }
  ]
}

async function main (): Promise<void> {
  const started = performance.now()
  const loadAtStart = loadavg()
  const tmp = await mkdtemp(join(tmpdir(), 'graph-mock-bench-'))
  const large = join(tmp, 'large')
  try {
    const args = ['--restore-points', String(count), '--count', String(sessionsPerWorkload), '--seed', '7']
    log(`generating the large tenant (npm run fixtures -- ${args.join(' ')}) into ${large}`)
    const generation = { ...await generate(large, args), args }
    log(`generated ${generation.bytes} bytes of JSON in ${generation.ms.toFixed(0)} ms`)

    const command = { current: serverCommand(), failure: undefined as string | undefined }
    log(`scenario 4: start-up of ${command.current.label}`)
    const bundledStartup = await startup(BUNDLED, startupRuns, command)
    const largeStartup = await startup(large, Math.max(1, Math.ceil(startupRuns / 2)), command)

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

    log(`scenarios 2, 3, 5: mock over the large tenant (${count} restore points)`)
    const sessionRows = readRows(large, QUERIES.sessions.set)
    const pointRows = readRows(large, QUERIES.points.set)
    const sequences = { sessions: sessionBounds(sessionRows), points: pointBounds(pointRows), window: windowBounds(pointRows) }
    const mock = await startChild('mock', [large], { BENCH_LOG_LEVEL: LOG_LEVEL }, MOCK_NODE_OPTIONS)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const idle = await mock.memory()
    const queries = {
      sessions: await scenarioQuery(mock, large, tmp, 'sessions', sequences.sessions, sessionRows.length),
      points: await scenarioQuery(mock, large, tmp, 'points', sequences.points, pointRows.length),
      window: await scenarioQuery(mock, large, tmp, 'window', sequences.window, pointRows.length)
    }
    log('scenario 3: following every nextLink of restorePoints')
    const firstUrl = `${mock.origin}${BASE}/restorePoints?$top=100`
    const paging = { warmup: await followAllPages(firstUrl, AUTH), measured: await followAllPages(firstUrl, AUTH) }
    const after = await mock.memory()
    await mock.stop()

    const results: Results = {
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}`, memoryBytes: totalmem(), loadAverage: { atStart: loadAtStart, atEnd: loadavg() } },
      settings: { ...load, count, sessionsPerWorkload, logLevel: LOG_LEVEL, startupRuns, server: command.current.label, serverFailure: command.failure },
      generation,
      ceiling: { tenant: tenant.label, session: tenant.session, lists: ceilingResults },
      query: queries,
      paging,
      startup: { bundled: bundledStartup, large: largeStartup },
      memory: { fixtureBytes: generation.bytes, idle, afterScenarios: after, builtServerAfterLoad: largeStartup.rssBytes }
    }
    const machine = `${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.platform}, Node ${results.machine.node}`
    const out = process.stdout
    const busy = (values: number[]): string => values.map((value) => value.toFixed(1)).join(' ')
    out.write(`\ngraph-mock benchmark: ${machine}; LOG_LEVEL=${LOG_LEVEL}; ${load.connections} connections, ${load.rounds} × ${load.window} s windows per side, alternating\n`)
    out.write(`load average (1, 5, 15 min): ${busy(loadAtStart)} at the start, ${busy(results.machine.loadAverage.atEnd)} at the end${Math.max(loadAtStart[0] ?? 0, results.machine.loadAverage.atEnd[0] ?? 0) > cpus().length ? ' (other work shared the cores: the ratios are noisier than usual)' : ''}\n`)
    out.write(`scenario 1: ${tenant.label}\n`)
    out.write(`large tenant: npm run fixtures -- ${args.join(' ')}: ${count} restore points, ${sessionRows.length} exchange sessions (${sessionsPerWorkload} per workload), ${mb(generation.bytes)} of JSON, generated in ${(generation.ms / 1000).toFixed(1)} s\n`)
    out.write(`start-up: ${command.current.label}${command.failure === undefined ? '' : ` (the server entry does not start: ${command.failure})`}\n\n`)
    out.write(formatTable(tableOf(results)) + '\n')
    const outDir = join(ROOT, 'test/bench/results')
    await mkdir(outDir, { recursive: true })
    const json = JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2) + '\n'
    await writeFile(join(outDir, 'latest.json'), json)
    await writeFile(join(outDir, `bench-${new Date().toISOString().replaceAll(':', '-')}.json`), json)
    out.write(`\nfigures written to test/bench/results/latest.json; the run took ${((performance.now() - started) / 1000).toFixed(0)} s\n`)
  } finally {
    await stopAll()
    await rm(tmp, { recursive: true, force: true })
  }
}

process.once('SIGINT', () => { void stopAll().finally(() => process.exit(130)) })
await main()
