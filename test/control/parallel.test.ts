// Parallel test files against one server, each in its own namespace, the way a CI suite uses one
// container: this file starts one mock, reads its seed, then runs tap as a child process on the four
// files of test/control/parallel/ with --jobs 4 (the URL in GRAPH_MOCK_URL). Each file resets,
// writes, lists, counts and resets its own namespace while the others do the same with other
// counts, and checks at every step that it sees only its own data and its own requests (see
// parallel/shared.ts). They do run at the same time: each waits, after its first write, until all
// four namespaces exist, which one file at a time could never reach. Once the child run has
// passed, this file checks the server's side through the admin API: the namespaces listed, each
// journal holding only its own namespace's requests, each namespace's data its own.
//
// The child tap gets a --save list: a tap run without one starts by deleting the project's
// .tap/coverage and .tap/processinfo, which would take the coverage of the run this file is in.

import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { MARKERS, NAMESPACE_HEADER, scenarios, SESSIONS, type ParallelSeed, type Scenario } from './parallel/shared.js'

// Starting the mock through tap's loaders can take longer than the default 30 s on a busy machine.
t.setTimeout(300000)
const { startGraphMock } = await import('../../src/index.js')

const root = fileURLToPath(new URL('../../', import.meta.url))
const files = Object.keys(scenarios).map((file) => `test/control/parallel/${file}.ts`)
const all: Scenario[] = Object.values(scenarios)
const AUTH = { authorization: 'Bearer parallel-parent' }

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

async function getJson (url: string, headers: Record<string, string> = {}): Promise<{ status: number, body: unknown }> {
  const response = await fetch(url, { headers: { ...AUTH, ...headers } })
  return { status: response.status, body: await response.json() }
}

/** Every item of a Graph collection, through its nextLinks. */
async function everyItem (first: string, headers: Record<string, string> = {}): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = []
  let next: string | undefined = first
  while (next !== undefined) {
    const { status, body } = await getJson(next, headers)
    if (status !== 200 || !isRecord(body) || !Array.isArray(body['value'])) throw new Error(`${next}: ${status} ${JSON.stringify(body)}`)
    items.push(...(body['value'] as unknown[]).filter(isRecord))
    const link = body['@odata.nextLink']
    next = typeof link === 'string' ? link : undefined
  }
  return items
}

/** What the files need from the seed: the session count, the drafts, and restore points none of them shares. */
async function readSeed (origin: string): Promise<ParallelSeed> {
  const graph = `${origin}/beta`
  const count = await fetch(`${graph}${SESSIONS}/$count`, { headers: AUTH })
  const drafts = await everyItem(`${graph}${SESSIONS}?$filter=status eq 'draft'&$select=id`)
  const points = await everyItem(`${graph}/solutions/backupRestore/restorePoints?$expand=protectionUnit&$select=id`)
  const byMailbox = new Map<string, string[]>()
  for (const point of points) {
    const unit = point['protectionUnit']
    if (!isRecord(unit) || unit['@odata.type'] !== '#microsoft.graph.mailboxProtectionUnit') continue
    const list = byMailbox.get(String(unit['id'])) ?? []
    list.push(String(point['id']))
    byMailbox.set(String(unit['id']), list)
  }
  const [one, two] = [...byMailbox.values()]
  if (one === undefined || two === undefined || one.length < all.length || two.length < all.length) {
    throw new Error(`the seed needs two mailboxes with ${all.length} restore points each`)
  }
  return {
    sessions: Number(await count.text()),
    drafts: drafts.map((draft) => String(draft['id'])),
    points: Object.fromEntries(all.map((scenario, i) => [scenario.name, [one[i] ?? '', two[i] ?? '']]))
  }
}

/** Runs tap on the four files with --jobs 4, as a top-level run (without this run's tap variables). */
async function runTap (t: Test, origin: string, seed: ParallelSeed): Promise<{ code: number | null, output: string, saveListLeft: boolean }> {
  const saveList = join(t.testdir({ 'parallel-files': `${files.join('\n')}\n` }), 'parallel-files')
  const env: Record<string, string | undefined> = { ...process.env }
  for (const name of Object.keys(env)) {
    if (name === 'NODE_OPTIONS' || /^(TAP|_TAPJS_|TS_NODE_)/.test(name)) delete env[name]
  }
  const args = ['--jobs', '4', '--disable-coverage', '--reporter', 'tap', '--timeout', '120', `--save=${saveList}`, ...files]
  return await new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules/.bin/tap'), args, {
      cwd: root,
      env: { ...env, GRAPH_MOCK_URL: origin, PARALLEL_SEED: JSON.stringify(seed) },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
    const killer = setTimeout(() => { child.kill('SIGKILL') }, 240000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(killer)
      // tap removes the save list once every file in it has passed.
      resolve({ code, output, saveListLeft: existsSync(saveList) })
    })
  })
}

/** How a namespace's own requests reach it: the URL prefix, or the header. */
function route (scenario: Scenario, origin: string): { graph: string, admin: string, headers: Record<string, string> } {
  const prefix = scenario.by === 'prefix' ? `/_ns/${scenario.name}` : ''
  const headers: Record<string, string> = scenario.by === 'header' ? { [NAMESPACE_HEADER]: scenario.name } : {}
  return { graph: `${origin}${prefix}/beta`, admin: `${origin}${prefix}/__admin`, headers }
}

t.test('four test files in parallel, each in its own namespace of one server', async (t) => {
  const mock = await startGraphMock()
  t.teardown(mock.close)
  const seed = await readSeed(mock.url)
  t.ok(seed.sessions > 0 && seed.drafts.length > 0, `the seed: ${seed.sessions} sessions, ${seed.drafts.length} drafts`)
  mock.clearRequests()

  const run = await runTap(t, mock.url, seed)
  t.equal(run.code, 0, 'the child tap run (four files, --jobs 4) passed', run.code === 0 ? {} : { output: run.output })
  t.match(run.output, /# \{ total: \d+, pass: \d+ \}/, 'every assertion passed, none failed or skipped')
  t.equal(run.saveListLeft, false, 'tap removed its save list: every file passed')
  if (run.code !== 0) return

  await t.test('GET /__admin/namespaces lists the default one first, then the four', async (t) => {
    const { status, body } = await getJson(`${mock.url}/__admin/namespaces`)
    t.equal(status, 200)
    const listed = isRecord(body) && Array.isArray(body['namespaces']) ? (body['namespaces'] as unknown[]).filter(isRecord) : []
    t.equal(listed[0]?.['name'], 'default')
    t.strictSame(listed.map((entry) => entry['name']).sort(), ['default', ...all.map((scenario) => scenario.name)].sort())
    for (const entry of listed) {
      const name = String(entry['name'])
      const clockMode = name === scenarios['faults-delta'].name ? 'manual' : 'real'
      t.match(entry, { requests: name === 'default' ? 0 : MARKERS.length, dropped: 0, faults: 0, clock: { mode: clockMode } }, `${name}: its journal size, no rules, its clock`)
    }
  })

  await t.test('each journal holds only its own namespace\'s requests: the two each file ended with', async (t) => {
    for (const scenario of all) {
      const { admin, headers } = route(scenario, mock.url)
      const { status, body } = await getJson(`${admin}/requests`, headers)
      t.equal(status, 200)
      const entries = isRecord(body) && Array.isArray(body['requests']) ? (body['requests'] as unknown[]).filter(isRecord) : []
      const prefix = scenario.by === 'prefix' ? `/_ns/${scenario.name}` : ''
      t.strictSame(entries.map((entry) => ({ namespace: entry['namespace'], method: entry['method'], url: entry['url'], status: entry['status'], header: isRecord(entry['headers']) ? entry['headers'][NAMESPACE_HEADER] ?? null : 'no headers' })),
        MARKERS.map((path) => ({ namespace: scenario.name, method: 'GET', url: `${prefix}/beta${path}`, status: 200, header: scenario.by === 'header' ? scenario.name : null })),
        `${scenario.name}: its markers, by ${scenario.by}`)
      t.equal(isRecord(body) ? body['dropped'] : undefined, 0)
    }
    const gamma = scenarios['header-gamma'].name
    const byPrefix = await getJson(`${mock.url}/_ns/${gamma}/__admin/requests/count`)
    t.strictSame(byPrefix, { status: 200, body: { count: MARKERS.length } }, 'a namespace made by the header is the same one by the prefix')
    t.strictSame(await getJson(`${mock.url}/__admin/requests`), { status: 200, body: { requests: [], dropped: 0 } }, 'the default namespace saw none of the files\' requests')
    t.strictSame(mock.requests(), [], 'nor does mock.requests() show any')
  })

  await t.test('each namespace holds its own data: the same ids in every namespace, different sessions', async (t) => {
    const created = new Map<string, string[]>()
    for (const scenario of all) {
      const { graph, headers } = route(scenario, mock.url)
      const count = await fetch(`${graph}${SESSIONS}/$count`, { headers: { ...AUTH, ...headers } })
      t.equal(await count.text(), String(seed.sessions + scenario.after), `${scenario.name}: the seed's sessions and the ${scenario.after} it created last`)
      const drafts = (await everyItem(`${graph}${SESSIONS}?$filter=status eq 'draft'&$select=id`, headers)).map((draft) => String(draft['id']))
      const own = drafts.filter((id) => !seed.drafts.includes(id))
      t.equal(own.length, scenario.after)
      created.set(scenario.name, own)
      for (const id of own) {
        const artifacts = await everyItem(`${graph}${SESSIONS}/${id}/mailboxRestoreArtifacts?$expand=restorePoint&$select=id`, headers)
        t.strictSame(artifacts.map((artifact) => isRecord(artifact['restorePoint']) ? artifact['restorePoint']['id'] : null), [seed.points[scenario.name]?.[0]], `${scenario.name} ${id}: its own restore point`)
      }
    }
    // Every namespace starts the same id sequence, so the first session each created has the same id.
    const firsts = new Set(all.map((scenario) => [...(created.get(scenario.name) ?? [])].sort().find((id) => all.every((other) => created.get(other.name)?.includes(id) === true))))
    t.equal(firsts.size, 1, 'one id that every namespace has')
    t.notOk(firsts.has(undefined), 'and it is there')
    const defaultCount = await fetch(`${mock.url}/beta${SESSIONS}/$count`, { headers: AUTH })
    t.equal(await defaultCount.text(), String(seed.sessions), 'the default namespace still holds the seed')
  })
})
