// `npm run bench`: the mock measured side by side against the ceiling of its own stack, in one run.
// Generates 100,000 sessions into a temporary folder, starts every server as a child process on
// loopback, drives them with autocannon from this process in alternating windows, prints a table and
// writes every figure to test/bench/results/. Options: --window S --rounds N --warmup S
// --connections N --count N --startup-runs N. Nothing it starts outlives it.

import { spawn } from 'node:child_process'
import { cpus, tmpdir, totalmem } from 'node:os'
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { compare, type Comparison, type LoadSettings } from './load.js'
import { followAllPages, type PagingRun } from './paging.js'
import { startChild, stopAll, track, type ServerChild } from './processes.js'
import { handwrittenQueryString, type MemoryFigures } from './protocol.js'
import { formatTable, mb, ms, perSecond, type TableRow } from './report.js'
import { measureStartup, serverCommand, type StartupFigures } from './startup.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const LIST = '/beta/solutions/backupRestore/exchangeRestoreSessions'
const AUTH = { authorization: 'Bearer bench-token' }
const LOG_LEVEL = 'warn'

const { values: flags } = parseArgs({
  options: {
    window: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '4' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    count: { type: 'string', default: '100000' },
    'startup-runs': { type: 'string', default: '5' }
  }
})
const load: LoadSettings = { window: Number(flags.window), rounds: Number(flags.rounds), warmup: Number(flags.warmup), connections: Number(flags.connections) }
const count = Number(flags.count)
const startupRuns = Number(flags['startup-runs'])

function log (line: string): void {
  process.stderr.write(`bench: ${line}\n`)
}

async function generate (out: string): Promise<{ ms: number, bytes: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/fixtures/cli.ts'), '--count', String(count), '--seed', '7', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] })
  track(child)
  const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve) })
  if (code !== 0) throw new Error(`the fixture generator exited with ${String(code)}`)
  return { ms: performance.now() - started, bytes: (await stat(join(out, 'exchangeRestoreSessions.json'))).size }
}

interface Captured {
  body: Buffer
  headers: Record<string, string>
}

/** The response's body and its headers, minus those that differ per request or per connection. */
async function capture (url: string): Promise<Captured> {
  const response = await fetch(url, { headers: AUTH })
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`)
  const headers: Record<string, string> = {}
  for (const [name, value] of response.headers) {
    if (!['date', 'connection', 'keep-alive', 'request-id', 'client-request-id'].includes(name)) headers[name] = value
  }
  return { body: Buffer.from(await response.arrayBuffer()), headers }
}

function sameHeaders (a: Record<string, string>, b: Record<string, string>): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort())
}

/** A custom query option the mock passes through into its nextLink: a new value per request makes every URL distinct. */
const NONCE = '&nonce=[<id>]'

/**
 * Scenario 1: the list's first page on the bundled fixtures vs a bare route sending its bytes; once
 * repeated (the mock may serve the page it kept) and once with a distinct URL per request (it builds
 * every page).
 */
async function scenarioCeiling (tmp: string): Promise<{ repeated: Comparison, distinct: Comparison }> {
  const mock = await startChild('mock', [join(ROOT, 'fixtures')], { BENCH_LOG_LEVEL: LOG_LEVEL })
  const mockUrl = `${mock.origin}${LIST}?$top=10`
  const captured = await capture(mockUrl)
  const bodyFile = join(tmp, 'ceiling-body.json')
  await writeFile(bodyFile, captured.body)
  const ceiling = await startChild('ceiling', [bodyFile, LIST], { BENCH_LOG_LEVEL: LOG_LEVEL })
  const ceilingUrl = `${ceiling.origin}${LIST}?$top=10`
  const reference = await capture(ceilingUrl)
  if (!reference.body.equals(captured.body) || !sameHeaders(reference.headers, captured.headers)) {
    throw new Error(`the ceiling does not send the mock's bytes and headers: ${JSON.stringify(reference.headers)} vs ${JSON.stringify(captured.headers)}`)
  }
  log(`scenario 1: ${captured.body.length}-byte page, identical bytes and headers`)
  try {
    const repeated = await compare({ url: ceilingUrl, headers: AUTH }, { url: mockUrl, headers: AUTH }, load)
    const distinct = await compare({ url: ceilingUrl + NONCE, headers: AUTH, unique: true }, { url: mockUrl + NONCE, headers: AUTH, unique: true }, load)
    return { repeated, distinct }
  } finally {
    await ceiling.stop()
    await mock.stop()
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

/** Scenario 2: filter + orderby + select + top over the 100k sessions vs the same query by hand. */
async function scenarioQuery (mock: ServerChild, dir: string): Promise<Comparison> {
  const hand = await startChild('handwritten', [dir, LIST], { BENCH_LOG_LEVEL: LOG_LEVEL })
  try {
    const query = handwrittenQueryString()
    const mockUrl = `${mock.origin}${LIST}?${query}`
    const handUrl = `${hand.origin}${LIST}?${query}`
    const [ours, theirs] = [await capture(`${mockUrl}&nonce=check`), await capture(`${handUrl}&nonce=check`)]
    if (withoutNextLink(ours.body) !== withoutNextLink(theirs.body)) throw new Error('the hand-written query answers other data than the mock')
    log(`scenario 2: ${ours.body.length}-byte page, same rows as the hand-written query`)
    // A distinct URL per request on both sides: this measures the query, not the mock's kept pages.
    return await compare({ url: handUrl + NONCE, headers: AUTH, unique: true }, { url: mockUrl + NONCE, headers: AUTH, unique: true }, load)
  } finally {
    await hand.stop()
  }
}

interface Results {
  machine: { cpus: number, cpuModel: string, node: string, platform: string, memoryBytes: number }
  settings: LoadSettings & { count: number, logLevel: string, startupRuns: number, server: string }
  generation: { ms: number, bytes: number }
  ceiling: { repeated: Comparison, distinct: Comparison }
  query: Comparison
  paging: { warmup: PagingRun, measured: PagingRun }
  startup: { bundled: StartupFigures, large: StartupFigures }
  memory: { fixtureBytes: number, idle: MemoryFigures, afterScenarios: MemoryFigures, builtServerAfterLoad: number | undefined }
}

function tableOf (r: Results): TableRow[] {
  const limit = 3 * r.memory.fixtureBytes
  const ratio = (c: Comparison): string => `${c.ratio.toFixed(2)} (rounds ${c.roundRatios.map((x) => x.toFixed(2)).join(' ')})`
  const p = r.paging.measured
  return [
    { scenario: '1a. $top=10, bundled, same URL', reference: `bare Fastify, same bytes: ${perSecond(r.ceiling.repeated.reference.requestsPerSecond)}`, mock: perSecond(r.ceiling.repeated.mock.requestsPerSecond), result: `ratio ${ratio(r.ceiling.repeated)}`, target: '≥ 0.80', met: r.ceiling.repeated.ratio >= 0.8 },
    { scenario: '1b. $top=10, bundled, distinct URLs', reference: `bare Fastify, same bytes: ${perSecond(r.ceiling.distinct.reference.requestsPerSecond)}`, mock: perSecond(r.ceiling.distinct.mock.requestsPerSecond), result: `ratio ${ratio(r.ceiling.distinct)}`, target: '(≥ 0.80)', met: r.ceiling.distinct.ratio >= 0.8 },
    { scenario: '2. $filter+$orderby+$select+$top=50, 100k, distinct URLs', reference: `hand-written JS: ${perSecond(r.query.reference.requestsPerSecond)}`, mock: perSecond(r.query.mock.requestsPerSecond), result: `ratio ${ratio(r.query)}`, target: '≥ 0.80', met: r.query.ratio >= 0.8 },
    { scenario: `3. every nextLink, $top=100, ${p.rows} rows`, reference: `early pages: ${ms(p.earlyPageMs)}/page`, mock: `late pages: ${ms(p.latePageMs)}/page`, result: `late/early ${p.lateOverEarly.toFixed(2)}; ${p.pages} pages in ${ms(p.totalMs)} = ${p.microsecondsPerRow.toFixed(1)} µs/session`, target: 'late/early ≤ 1.25', met: p.lateOverEarly <= 1.25 },
    { scenario: '4a. start-up, bundled fixtures', reference: 'spawn → first 200', mock: `median ${ms(r.startup.bundled.medianMs)}`, result: `runs ${r.startup.bundled.runsMs.map((x) => x.toFixed(0)).join(' ')} ms`, target: '< 1000 ms', met: r.startup.bundled.medianMs < 1000 },
    { scenario: `4b. start-up, ${count} sessions`, reference: 'spawn → first 200', mock: `median ${ms(r.startup.large.medianMs)}`, result: `runs ${r.startup.large.runsMs.map((x) => x.toFixed(0)).join(' ')} ms`, target: '–', met: undefined },
    { scenario: `5a. RSS after load, ${count} sessions`, reference: `JSON ${mb(r.memory.fixtureBytes)}; 3× = ${mb(limit)}`, mock: `${mb(r.memory.idle.rss)} (settled ${mb(r.memory.idle.rssSettled)}, heap ${mb(r.memory.idle.heapSettled)}); built server ${mb(r.memory.builtServerAfterLoad)}`, result: `${(r.memory.idle.rss / r.memory.fixtureBytes).toFixed(2)}× the JSON`, target: '< 3×', met: r.memory.idle.rss < limit },
    { scenario: '5b. RSS after scenarios 2 and 3', reference: `JSON ${mb(r.memory.fixtureBytes)}`, mock: `${mb(r.memory.afterScenarios.rss)} (settled ${mb(r.memory.afterScenarios.rssSettled)}, heap ${mb(r.memory.afterScenarios.heapSettled)})`, result: `settled ${(r.memory.afterScenarios.rssSettled / r.memory.fixtureBytes).toFixed(2)}× the JSON (at once ${(r.memory.afterScenarios.rss / r.memory.fixtureBytes).toFixed(2)}×)`, target: '< 3× settled', met: r.memory.afterScenarios.rssSettled < limit }
  ]
}

async function main (): Promise<void> {
  const tmp = await mkdtemp(join(tmpdir(), 'graph-mock-bench-'))
  const large = join(tmp, 'large')
  try {
    log(`generating ${count} sessions into ${large}`)
    const generation = await generate(large)
    log(`generated ${generation.bytes} bytes in ${generation.ms.toFixed(0)} ms`)

    const command = serverCommand()
    log(`scenario 4: start-up of ${command.label}`)
    const startup = {
      bundled: await measureStartup(command, join(ROOT, 'fixtures'), `${LIST}?$top=1`, AUTH, startupRuns),
      large: await measureStartup(command, large, `${LIST}?$top=1`, AUTH, Math.max(1, Math.ceil(startupRuns / 2)))
    }

    log('scenario 1: mock vs the ceiling')
    const ceiling = await scenarioCeiling(tmp)

    log(`scenarios 2, 3, 5: mock over ${count} sessions`)
    const mock = await startChild('mock', [large], { BENCH_LOG_LEVEL: LOG_LEVEL })
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const idle = await mock.memory()
    const query = await scenarioQuery(mock, large)
    log('scenario 3: following every nextLink')
    const firstUrl = `${mock.origin}${LIST}?$top=100`
    const paging = { warmup: await followAllPages(firstUrl, AUTH), measured: await followAllPages(firstUrl, AUTH) }
    const after = await mock.memory()
    await mock.stop()

    const results: Results = {
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, platform: `${process.platform} ${process.arch}`, memoryBytes: totalmem() },
      settings: { ...load, count, logLevel: LOG_LEVEL, startupRuns, server: command.label },
      generation,
      ceiling,
      query,
      paging,
      startup,
      memory: { fixtureBytes: generation.bytes, idle, afterScenarios: after, builtServerAfterLoad: startup.large.rssBytes }
    }
    const machine = `${results.machine.cpus} × ${results.machine.cpuModel}, ${results.machine.platform}, Node ${results.machine.node}`
    process.stdout.write(`\ngraph-mock benchmark: ${machine}; LOG_LEVEL=${LOG_LEVEL}; ${load.connections} connections, ${load.rounds} × ${load.window} s windows per side, alternating\n`)
    process.stdout.write(`fixtures: ${count} sessions generated in ${(generation.ms / 1000).toFixed(1)} s (${mb(generation.bytes)})\n\n`)
    process.stdout.write(formatTable(tableOf(results)) + '\n')
    const outDir = join(ROOT, 'test/bench/results')
    await mkdir(outDir, { recursive: true })
    const json = JSON.stringify({ date: new Date().toISOString(), ...results }, null, 2) + '\n'
    await writeFile(join(outDir, 'latest.json'), json)
    await writeFile(join(outDir, `bench-${new Date().toISOString().replaceAll(':', '-')}.json`), json)
    process.stdout.write('\nfigures written to test/bench/results/latest.json\n')
  } finally {
    await stopAll()
    await rm(tmp, { recursive: true, force: true })
  }
}

process.once('SIGINT', () => { void stopAll().finally(() => process.exit(130)) })
await main()
