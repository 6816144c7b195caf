// Scenarios 9 to 11: what the test-control plane costs. Each first checks that its feature is there
// (the admin route answers 200, the setting exists, a namespace isolates) and otherwise reports it
// as not available, with the reason, so that the benchmark runs before and after the feature lands.
//   9   the request journal on (the default) against off: the list's throughput, ratio;
//   10  the fault check with no fault rules: the share of the mock's CPU samples (node --cpu-prof)
//       in the fault module's functions under list load (0: it costs nothing the profiler can see);
//   11  1,000 namespaces that each wrote one session: heap and RSS per namespace, against what a
//       session written to the default namespace costs and against the seed's heap.

import { readFileSync, readdirSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { settings } from '../../src/config.js'
import { compare, measure, type Comparison, type LoadSettings } from './load.js'
import { AUTH, JSON_AUTH, answers200, expectJson, keepAlive, send } from './http.js'
import type { ServerChild } from './processes.js'
import type { MemoryFigures } from './protocol.js'

const BASE = '/beta/solutions/backupRestore'
const LIST = `${BASE}/exchangeRestoreSessions`

/** Starts a mock child over the scenario's fixtures with these settings (and Node options). */
export type StartMock = (options: Record<string, unknown>, nodeOptions?: readonly string[]) => Promise<ServerChild>

export interface Unavailable {
  readonly available: false
  readonly reason: string
}

export interface JournalResult {
  readonly available: true
  /** The settings that turned the journal off. */
  readonly off: Record<string, unknown>
  /** reference: journal off; mock: journal on (the default). */
  readonly comparison: Comparison
  /** Entries the journal-on mock counted after the run, and the journal-off one. */
  readonly entries: { readonly on: number, readonly off: number | undefined }
}

/** The setting that turns the journal off, from the mock's own table of settings. */
function journalOff (): Record<string, unknown> | undefined {
  const keys = new Set((settings as ReadonlyArray<{ key: string }>).map((s) => s.key))
  if (keys.has('journalLimit')) return { journalLimit: 0 }
  if (keys.has('journal')) return { journal: false }
  return undefined
}

async function journalCount (mock: ServerChild): Promise<number | undefined> {
  const agent = keepAlive()
  try {
    const answer = await send(agent, 'GET', `${mock.origin}/__admin/requests/count`)
    return answer.status === 200 ? (JSON.parse(answer.body.toString('utf8')) as { count: number }).count : undefined
  } finally {
    agent.destroy()
  }
}

export async function scenarioJournal (start: StartMock, load: LoadSettings): Promise<JournalResult | Unavailable> {
  const off = journalOff()
  if (off === undefined) return { available: false, reason: 'no setting turns the journal off (journalLimit or journal)' }
  const on = await start({})
  try {
    if (!await answers200(`${on.origin}/__admin/requests`)) return { available: false, reason: 'GET /__admin/requests does not answer 200' }
    const without = await start(off)
    try {
      const url = `${LIST}?$top=10`
      const comparison = await compare({ url: `${without.origin}${url}`, headers: AUTH }, { url: `${on.origin}${url}`, headers: AUTH }, load)
      return { available: true, off, comparison, entries: { on: await journalCount(on) ?? 0, off: await journalCount(without) } }
    } finally {
      await without.stop()
    }
  } finally {
    await on.stop()
  }
}

export interface FaultCheckResult {
  readonly available: true
  /** CPU samples of the profile (idle left out), and those with a frame of the fault module on the stack. */
  readonly samples: number
  readonly faultSamples: number
  readonly share: number
  /** The same for every file of src/control (journal, namespaces, throttling, faults). */
  readonly controlShares: Readonly<Record<string, number>>
  readonly requestsPerSecond: number
  readonly intervalUs: number
}

interface CpuProfile {
  nodes: Array<{ id: number, callFrame: { functionName: string, url: string }, children?: number[] }>
  samples: number[]
}

const CONTROL_FILE = /\/src\/control\/([^/]+)\.[jt]s$/
/** The fault module's files together (faults, fault-routes, …): a sample counts once however many it has. */
const FAULTS = 'fault*'
const PROFILE_INTERVAL_US = 100

/** Samples whose stack holds a frame of each src/control file, and all samples but idle ones. */
function controlSamples (profile: CpuProfile): { busy: number, byFile: Map<string, number> } {
  const parent = new Map<number, number>()
  const files = new Map<number, string | undefined>()
  const idle = new Set<number>()
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id)
    files.set(node.id, CONTROL_FILE.exec(node.callFrame.url)?.[1])
    if (node.callFrame.functionName === '(idle)') idle.add(node.id)
  }
  const byFile = new Map<string, number>()
  let busy = 0
  for (const sample of profile.samples) {
    if (idle.has(sample)) continue
    busy++
    const seen = new Set<string>()
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const file = files.get(id)
      if (file !== undefined) seen.add(file)
    }
    if ([...seen].some((file) => file.startsWith('fault'))) seen.add(FAULTS)
    for (const file of seen) byFile.set(file, (byFile.get(file) ?? 0) + 1)
  }
  return { busy, byFile }
}

export async function scenarioFaultCheck (start: StartMock, load: LoadSettings, profileDir: string): Promise<FaultCheckResult | Unavailable> {
  await mkdir(profileDir, { recursive: true })
  const mock = await start({}, ['--cpu-prof', '--cpu-prof-dir', profileDir, '--cpu-prof-interval', String(PROFILE_INTERVAL_US)])
  let requestsPerSecond = 0
  try {
    if (!await answers200(`${mock.origin}/__admin/faults`)) return { available: false, reason: 'GET /__admin/faults does not answer 200' }
    const agent = keepAlive()
    const faults = expectJson<{ faults: unknown[] }>(await send(agent, 'GET', `${mock.origin}/__admin/faults`), 200, 'GET /__admin/faults')
    agent.destroy()
    if (faults.faults.length !== 0) return { available: false, reason: `the mock starts with ${faults.faults.length} fault rules` }
    const target = { url: `${mock.origin}${LIST}?$top=10`, headers: AUTH }
    await measure(target, load, load.warmup)
    const figures = await measure(target, load, load.window * load.rounds)
    requestsPerSecond = figures.requests / figures.seconds
  } finally {
    await mock.stop()
  }
  const file = readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile') && name.includes(`.${mock.pid}.`))[0]
  if (file === undefined) throw new Error(`no CPU profile of process ${mock.pid} in ${profileDir}`)
  const { busy, byFile } = controlSamples(JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile)
  const faultSamples = byFile.get(FAULTS) ?? 0
  return {
    available: true,
    samples: busy,
    faultSamples,
    share: faultSamples / Math.max(busy, 1),
    controlShares: Object.fromEntries([...byFile].map(([name, count]) => [name, count / Math.max(busy, 1)])),
    requestsPerSecond,
    intervalUs: PROFILE_INTERVAL_US
  }
}

export interface NamespaceStep {
  readonly namespaces: number
  readonly memory: MemoryFigures
}

export interface NamespacesResult {
  readonly available: true
  /** Settled memory with the seed loaded, nothing written. */
  readonly seed: MemoryFigures
  /** After `sessions` sessions written to the default namespace. */
  readonly defaultWritten: MemoryFigures
  readonly sessions: number
  /** Settled memory after each batch of namespaces, each of which wrote one session. */
  readonly steps: readonly NamespaceStep[]
  /** Heap and RSS per session written to the default namespace, and per namespace (one session each). */
  readonly perSession: { readonly heap: number, readonly rss: number }
  readonly perNamespace: { readonly heap: number, readonly rss: number }
  /** Whether the batches stopped early: the projection for 1,000 namespaces passed the memory bound. */
  readonly stoppedAt: number | undefined
}

/** More than this much heap for the 1,000 namespaces (projected from a batch): stop, the rest would not fit. */
const NAMESPACE_MEMORY_BOUND = 4e9
const NAMESPACE_BATCHES = [10, 100, 1000]
const PROBE = 'bench-probe'

async function post (agent: ReturnType<typeof keepAlive>, url: string, body: string): Promise<string> {
  return expectJson<{ id: string }>(await send(agent, 'POST', url, body, JSON_AUTH), 201, `POST ${url}`).id
}

/** Whether /_ns/{name} is its own namespace: a session written there is not in the default one. */
async function probeNamespaces (mock: ServerChild, body: string): Promise<string | undefined> {
  if (!await answers200(`${mock.origin}/__admin/namespaces`)) return 'GET /__admin/namespaces does not answer 200'
  const agent = keepAlive()
  try {
    const created = await send(agent, 'POST', `${mock.origin}/_ns/${PROBE}${LIST}`, body, JSON_AUTH)
    if (created.status !== 201) return `POST /_ns/${PROBE}${LIST} answers ${created.status}`
    const id = (JSON.parse(created.body.toString('utf8')) as { id: string }).id
    const there = await send(agent, 'GET', `${mock.origin}/_ns/${PROBE}${LIST}/${id}`)
    const here = await send(agent, 'GET', `${mock.origin}${LIST}/${id}`)
    if (there.status !== 200 || here.status !== 404) return `a session written in /_ns/${PROBE} answers ${there.status} there and ${here.status} in the default namespace (expected 200 and 404)`
    const removed = await send(agent, 'DELETE', `${mock.origin}/__admin/namespaces/${PROBE}`)
    if (removed.status !== 204) return `DELETE /__admin/namespaces/${PROBE} answers ${removed.status}`
    return undefined
  } finally {
    agent.destroy()
  }
}

/** `restorePoint`: a mailbox restore point of the mock's tenant, for the sessions' one artifact. */
export async function scenarioNamespaces (start: StartMock, restorePoint: string, count: number): Promise<NamespacesResult | Unavailable> {
  const body = JSON.stringify({ mailboxRestoreArtifacts: [{ restorePoint: { id: restorePoint }, destinationType: 'new' }] })
  const mock = await start({})
  const agent = keepAlive()
  try {
    const problem = await probeNamespaces(mock, body)
    if (problem !== undefined) return { available: false, reason: problem }
    const seed = await mock.memory()
    for (let i = 0; i < count; i++) await post(agent, `${mock.origin}${LIST}`, body)
    const defaultWritten = await mock.memory()
    const steps: NamespaceStep[] = []
    let made = 0
    let stoppedAt: number | undefined
    for (const target of NAMESPACE_BATCHES.filter((n) => n <= count).concat(count).filter((n, i, all) => all.indexOf(n) === i)) {
      for (; made < target; made++) await post(agent, `${mock.origin}/_ns/bench-${String(made).padStart(4, '0')}${LIST}`, body)
      const memory = await mock.memory()
      steps.push({ namespaces: made, memory })
      const perNamespace = (memory.heapSettled - defaultWritten.heapSettled) / made
      if (made < count && perNamespace * count > NAMESPACE_MEMORY_BOUND) {
        stoppedAt = made
        break
      }
    }
    const last = steps.at(-1)
    const n = last?.namespaces ?? 1
    return {
      available: true,
      seed,
      defaultWritten,
      sessions: count,
      steps,
      perSession: { heap: (defaultWritten.heapSettled - seed.heapSettled) / count, rss: (defaultWritten.rssSettled - seed.rssSettled) / count },
      perNamespace: { heap: ((last?.memory.heapSettled ?? 0) - defaultWritten.heapSettled) / n, rss: ((last?.memory.rssSettled ?? 0) - defaultWritten.rssSettled) / n },
      stoppedAt
    }
  } finally {
    agent.destroy()
    await mock.stop()
  }
}
