// What the parallel files share: the scenario each file runs in its own namespace, against the one
// server test/control/parallel.test.ts started (its URL in GRAPH_MOCK_URL, the seed it read in
// PARALLEL_SEED). The files are clients only, over plain fetch: they import nothing of the mock, as
// test files against a container would not.
//
// Each file resets its namespace, then creates and patches sessions, lists and counts them, resets
// again in the middle and writes some more, while the other files do the same with other counts;
// at every step its $count must be the seed's plus its own writes, its drafts the seed's plus its
// own, and its journal exactly the requests it sent. Namespaces share the id sequence (each starts
// from the same seed), so the first session every file creates has the same id in every namespace:
// a leak between them would show as foreign artifacts on it.

import type { Test } from 'tap'

export type NamedBy = 'prefix' | 'header'

export interface Scenario {
  /** The namespace. */
  name: string
  /** By the base URL `/_ns/{name}/beta`, or by the X-Graph-Mock-Namespace header on `/beta`. */
  by: NamedBy
  /** Sessions created (and patched) before the reset in the middle. */
  creates: number
  /** Sessions created after it: the namespace ends with the seed's plus these. */
  after: number
  /** Adds a fault rule of its own for a while (every $count of its namespace answered 503). */
  faults?: boolean
  /** Ends with its clock manual and a day ahead. */
  clock?: boolean
}

/** The files, by their base name; each number different, so data leaking across would change a count. */
export const scenarios = {
  'prefix-alpha': { name: 'parallel-alpha', by: 'prefix', creates: 3, after: 2 },
  'prefix-beta': { name: 'parallel-beta', by: 'prefix', creates: 5, after: 1 },
  'header-gamma': { name: 'parallel-gamma', by: 'header', creates: 4, after: 3 },
  'faults-delta': { name: 'parallel-delta', by: 'prefix', creates: 2, after: 4, faults: true, clock: true }
} as const satisfies Record<string, Scenario>

export type ScenarioFile = keyof typeof scenarios

/** What the parent read from the seed (the default namespace) before the files started. */
export interface ParallelSeed {
  /** $count of exchangeRestoreSessions. */
  sessions: number
  /** Ids of the draft sessions. */
  drafts: string[]
  /** Two mailbox restore points (of two mailboxes) per namespace, none shared between namespaces. */
  points: Record<string, [string, string]>
}

export const SESSIONS = '/solutions/backupRestore/exchangeRestoreSessions'
export const NAMESPACE_HEADER = 'x-graph-mock-namespace'

/** The two requests each file ends with, after emptying its journal: what the parent finds there. */
export const MARKERS = [`${SESSIONS}/$count`, `${SESSIONS}?$select=id&$top=1`]

export interface Answer {
  status: number
  headers: Headers
  body: unknown
  text: string
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

async function answerOf (response: Response): Promise<Answer> {
  const text = await response.text()
  let body: unknown = text
  if ((response.headers.get('content-type') ?? '').startsWith('application/json') && text !== '') body = JSON.parse(text) as unknown
  return { status: response.status, headers: response.headers, body, text }
}

/** A client of one namespace: its Graph base URL and admin base, and the request ids its Graph answers carried. */
export class NamespaceClient {
  readonly graph: string
  readonly admin: string
  /** The `request-id` of every Graph answer since the last reset, in order. */
  sent: string[] = []

  constructor (readonly origin: string, readonly name: string, readonly by: NamedBy) {
    const prefix = by === 'prefix' ? `/_ns/${name}` : ''
    this.graph = `${origin}${prefix}/beta`
    this.admin = `${origin}${prefix}/__admin`
  }

  #headers (json: boolean): Record<string, string> {
    return {
      ...(json ? { 'content-type': 'application/json' } : {}),
      ...(this.by === 'header' ? { [NAMESPACE_HEADER]: this.name } : {})
    }
  }

  /** A Graph call: `path` under the base URL, or an absolute URL (a nextLink). */
  async call (method: string, path: string, body?: unknown): Promise<Answer> {
    const url = path.startsWith('http') ? path : `${this.graph}${path}`
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer token-of-${this.name}`, ...this.#headers(body !== undefined) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    this.sent.push(response.headers.get('request-id') ?? 'no request-id')
    return await answerOf(response)
  }

  /** An admin call on this namespace (not journaled). */
  async control (method: string, path: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${this.admin}${path}`, {
      method,
      headers: this.#headers(body !== undefined),
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    return await answerOf(response)
  }
}

export function readSeed (): { origin: string, seed: ParallelSeed } {
  const origin = process.env['GRAPH_MOCK_URL']
  const seed = process.env['PARALLEL_SEED']
  if (origin === undefined || seed === undefined) throw new Error('run by test/control/parallel.test.ts: GRAPH_MOCK_URL and PARALLEL_SEED are not set')
  return { origin, seed: JSON.parse(seed) as ParallelSeed }
}

const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

/** Holds until GET /__admin/namespaces lists every namespace of the scenarios: all files are running. */
async function allStarted (origin: string, timeoutMs: number): Promise<string[]> {
  const wanted = Object.values(scenarios).map((scenario) => scenario.name)
  const until = Date.now() + timeoutMs
  let names: string[] = []
  while (Date.now() < until) {
    const answer = await answerOf(await fetch(`${origin}/__admin/namespaces`))
    const listed = isRecord(answer.body) && Array.isArray(answer.body['namespaces']) ? answer.body['namespaces'] as unknown[] : []
    names = listed.map((entry) => isRecord(entry) ? String(entry['name']) : '')
    if (wanted.every((name) => names.includes(name))) return names
    await pause(50)
  }
  throw new Error(`not every file started within ${timeoutMs} ms: the namespaces are ${names.join(', ')}`)
}

/** The ids of the namespace's drafts, through every page ($top=3), each nextLink checked to stay in the namespace. */
async function draftIds (t: Test, ns: NamespaceClient): Promise<string[]> {
  const ids: string[] = []
  let next: string | undefined = `${SESSIONS}?$filter=status eq 'draft'&$select=id&$top=3`
  let pages = 0
  while (next !== undefined) {
    const page: Answer = await ns.call('GET', next)
    if (page.status !== 200 || !isRecord(page.body) || !Array.isArray(page.body['value'])) {
      t.fail(`a page of drafts: ${page.status} ${page.text}`)
      return ids
    }
    for (const item of page.body['value'] as unknown[]) ids.push(isRecord(item) ? String(item['id']) : 'not an object')
    const link = page.body['@odata.nextLink']
    next = typeof link === 'string' ? link : undefined
    if (next !== undefined && !next.startsWith(`${ns.graph}${SESSIONS}?`)) t.fail(`a nextLink left the namespace's base URL ${ns.graph}: ${next}`)
    if (++pages > 50) throw new Error('more than 50 pages of drafts')
  }
  return ids
}

async function assertCount (t: Test, ns: NamespaceClient, expected: number, when: string): Promise<void> {
  const answer = await ns.call('GET', `${SESSIONS}/$count`)
  t.strictSame({ status: answer.status, text: answer.text }, { status: 200, text: String(expected) }, `$count ${when}: the seed's plus this file's own`)
}

async function assertDrafts (t: Test, ns: NamespaceClient, seed: ParallelSeed, own: string[], when: string): Promise<void> {
  t.strictSame((await draftIds(t, ns)).sort(), [...seed.drafts, ...own].sort(), `the drafts ${when}: the seed's and this file's own, no one else's`)
}

/** Creates a draft with one mailbox artifact (restore point `point`); returns its id. */
async function create (t: Test, ns: NamespaceClient, point: string): Promise<string> {
  const answer = await ns.call('POST', SESSIONS, { mailboxRestoreArtifacts: [{ restorePoint: { id: point }, destinationType: 'new' }] })
  const body = isRecord(answer.body) ? answer.body : {}
  const id = String(body['id'])
  t.strictSame({ status: answer.status, sessionStatus: body['status'], location: answer.headers.get('location') },
    { status: 201, sessionStatus: 'draft', location: `${ns.graph}${SESSIONS}('${id}')` }, 'created, Location in the namespace')
  return id
}

/** The restore points of a session's artifacts, in order. */
async function artifactPoints (t: Test, ns: NamespaceClient, id: string): Promise<string[]> {
  const answer = await ns.call('GET', `${SESSIONS}/${id}/mailboxRestoreArtifacts?$expand=restorePoint&$select=id`)
  if (answer.status !== 200 || !isRecord(answer.body) || !Array.isArray(answer.body['value'])) {
    t.fail(`the artifacts of ${id}: ${answer.status} ${answer.text}`)
    return []
  }
  return (answer.body['value'] as unknown[]).map((item) => isRecord(item) && isRecord(item['restorePoint']) ? String(item['restorePoint']['id']) : 'none')
}

/** The namespace's journal is exactly what this file sent since its last reset. */
async function assertJournal (t: Test, ns: NamespaceClient, when: string): Promise<void> {
  const answer = await ns.control('GET', '/requests')
  const body = isRecord(answer.body) ? answer.body : {}
  const entries = (Array.isArray(body['requests']) ? body['requests'] as unknown[] : []).filter(isRecord)
  t.equal(answer.status, 200)
  t.equal(body['dropped'], 0, 'nothing dropped')
  t.strictSame(entries.map((entry) => entry['requestId']), ns.sent, `the journal ${when}: exactly the requests this file sent, in order`)
  t.strictSame([...new Set(entries.map((entry) => entry['namespace']))], ns.sent.length === 0 ? [] : [ns.name], 'all of this namespace')
  const prefix = ns.by === 'prefix' ? `/_ns/${ns.name}/beta/` : '/beta/'
  t.ok(entries.every((entry) => String(entry['url']).startsWith(prefix) && String(entry['path']).startsWith('/beta/')), `every URL as sent (${prefix}…), every path without the prefix`)
  if (ns.by === 'header') {
    t.ok(entries.every((entry) => isRecord(entry['headers']) && entry['headers'][NAMESPACE_HEADER] === ns.name), 'every request named the namespace by its header')
  }
}

/** Runs the scenario of `file` in its namespace. */
export async function runScenario (t: Test, file: ScenarioFile): Promise<void> {
  const scenario: Scenario = scenarios[file]
  const { origin, seed } = readSeed()
  const ns = new NamespaceClient(origin, scenario.name, scenario.by)
  const [first, second] = seed.points[scenario.name] ?? ['none', 'none']
  const own: string[] = []

  await t.test('reset: the seed, an empty journal', async (t) => {
    const reset = await ns.control('POST', '/reset')
    t.strictSame({ status: reset.status, body: reset.body }, { status: 200, body: { reset: [scenario.name] } }, 'only this namespace reset')
    await assertCount(t, ns, seed.sessions, 'after the reset')
    await assertDrafts(t, ns, seed, own, 'after the reset')
  })

  await t.test('writes while the other files write', async (t) => {
    own.push(await create(t, ns, first))
    await assertCount(t, ns, seed.sessions + 1, 'after the first create')
    // From here on every file is running: each one's namespace exists.
    await allStarted(origin, 60000)
    for (let i = 1; i < scenario.creates; i++) {
      own.push(await create(t, ns, first))
      await assertCount(t, ns, seed.sessions + own.length, `after create ${own.length}`)
      await assertDrafts(t, ns, seed, own, `after create ${own.length}`)
      await pause(30)
    }
    for (const id of own) {
      const patched = await ns.call('PATCH', `${SESSIONS}/${id}`, { 'mailboxRestoreArtifacts@delta': [{ restorePoint: { id: second }, destinationType: 'new' }] })
      t.equal(patched.status, 200, `PATCH ${id}`)
      t.strictSame(await artifactPoints(t, ns, id), [first, second], `${id}: its two artifacts, from this file's restore points only`)
    }
    await assertCount(t, ns, seed.sessions + own.length, 'after the patches')
    await assertJournal(t, ns, 'after the writes')
  })

  if (scenario.faults === true) {
    await t.test('a fault rule of its own: its $count fails, the other files\' do not', async (t) => {
      const added = await ns.control('POST', '/faults', { match: { path: '*/$count' }, respond: { status: 503 } })
      t.match({ status: added.status, body: added.body }, { status: 201, body: { id: 'f1', remaining: null } }, 'the namespace\'s first rule')
      // Held for a while the other files go on counting: a rule leaking into their namespaces would fail them.
      for (let i = 0; i < 10; i++) {
        const answer = await ns.call('GET', `${SESSIONS}/$count`)
        t.match({ status: answer.status, retryAfter: answer.headers.get('retry-after'), body: answer.body },
          { status: 503, retryAfter: '1', body: { error: { code: 'serviceNotAvailable' } } }, `$count ${i + 1} faulted`)
        await pause(100)
      }
      const deleted = await ns.control('DELETE', '/faults/f1')
      t.equal(deleted.status, 204)
      await assertCount(t, ns, seed.sessions + own.length, 'once the rule is gone')
      await assertJournal(t, ns, 'with the faulted requests')
    })
  }

  await t.test('reset in the middle, while the others keep their data', async (t) => {
    const reset = await ns.control('POST', '/reset')
    t.strictSame({ status: reset.status, body: reset.body }, { status: 200, body: { reset: [scenario.name] } })
    ns.sent = []
    own.length = 0
    await assertJournal(t, ns, 'after the reset')
    await assertCount(t, ns, seed.sessions, 'after the second reset')
    await assertDrafts(t, ns, seed, own, 'after the second reset')
    for (let i = 0; i < scenario.after; i++) {
      own.push(await create(t, ns, first))
      await assertCount(t, ns, seed.sessions + own.length, `after create ${own.length} past the reset`)
    }
    await assertDrafts(t, ns, seed, own, 'at the end')
    t.strictSame(await artifactPoints(t, ns, own[0] ?? 'none'), [first], 'the first session again (the same id as before the reset): one artifact, this file\'s')
    await assertJournal(t, ns, 'at the end')
    const faults = await ns.control('GET', '/faults')
    t.strictSame(faults.body, { faults: [] }, 'no fault rules')
  })

  await t.test('its clock', async (t) => {
    const before = await ns.control('GET', '/clock')
    t.match(before.body, { mode: 'real', speed: 1 }, 'real time, whatever the others did to theirs')
    if (scenario.clock !== true) return
    const manual = await ns.control('PUT', '/clock', { mode: 'manual' })
    t.match(manual.body, { mode: 'manual' })
    const start = Date.parse(String(isRecord(manual.body) ? manual.body['now'] : ''))
    const advanced = await ns.control('POST', '/clock/advance', { by: 'P1D' })
    t.equal(advanced.status, 200)
    t.equal(Date.parse(String(isRecord(advanced.body) ? advanced.body['now'] : '')) - start, 86_400_000, 'a day ahead')
  })

  // The parent finds exactly these in the journal once every file is done.
  await t.test('the journal emptied, then the two marker requests', async (t) => {
    const cleared = await ns.control('DELETE', '/requests')
    t.equal(cleared.status, 204)
    ns.sent = []
    for (const path of MARKERS) t.equal((await ns.call('GET', path)).status, 200, path)
    await assertJournal(t, ns, 'with the markers')
  })
}
