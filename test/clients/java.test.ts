// Microsoft's Java Graph beta SDK (com.microsoft.graph:microsoft-graph-beta, unmodified) against the
// mock, as a user's Java program would run it: test/clients/java/ is built (build.sh, a no-op when up
// to date; a missing JDK or Maven fails here, never skips), started as a child process with the
// mock's origin, and its one JSON result is compared, value by value, with the mock's own HTTP
// answers fetched here. The mock runs on the real clock with short steps, so the program's polls see
// the restore session and the protection policy move on by themselves.

import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startGraphMock } from '../../src/index.js'

const javaDir = fileURLToPath(new URL('./java/', import.meta.url))
const ROOT = '/beta/solutions/backupRestore'
const AUTH = { authorization: 'Bearer direct-check' }
const PREFER = { prefer: 'include-unknown-enum-members' }
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const MISSING_ID = '00000000-0000-4000-8000-00000000ffff'
const NEW_MAILBOXES = ['cdd3a849-dcaf-4a85-af82-7e39fc14019a', '9bc069da-b746-41a4-89ab-26125c6373c7']
const MODELS = 'com.microsoft.graph.beta.models'
const ODT = 'java.time.OffsetDateTime'
// Each restore step and each protection step on the mock's clock: the workflows end in well under a second.
const RESTORE_STEP = 'PT0.05S'
const PROTECTION_STEP = 'PT0.1S'

type Json = Record<string, unknown>
interface Run { code: number | null, stdout: string, stderr: string, ms: number }

function run (command: string, args: string[], timeoutMs: number, cwd?: string): Promise<Run> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const killer = setTimeout(() => { child.kill('SIGKILL') }, timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('error', (error) => { clearTimeout(killer); reject(error) })
    child.on('close', (code) => { clearTimeout(killer); resolve({ code, stdout, stderr, ms: Date.now() - started }) })
  })
}

/** The mock's own answer to a GET, straight over HTTP. */
async function direct (url: string, headers: Record<string, string> = {}): Promise<{ status: number, body: Json, headers: Headers }> {
  const response = await fetch(url, { headers: { ...AUTH, ...headers } })
  return { status: response.status, body: await response.json() as Json, headers: response.headers }
}

function items (body: Json): Json[] {
  return body['value'] as Json[]
}

/** A Graph date-time as the program prints an OffsetDateTime: its type, offset and nine fraction digits in UTC. */
function dateTime (value: unknown): unknown {
  if (value === null || value === undefined) return null
  const match = typeof value === 'string' ? /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(value) : null
  if (match === null) throw new Error(`not a UTC date-time the test can compare: ${JSON.stringify(value)}`)
  return { javaType: ODT, offset: 'Z', utc: `${match[1] ?? ''}.${(match[2] ?? '').padEnd(9, '0')}Z` }
}

/** An enum member as the SDK types it: its enum class, its Java constant and its wire value. */
function enumOf (type: string, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (typeof value !== 'string') throw new Error(`not an enum member: ${JSON.stringify(value)}`)
  const text = value
  return { javaType: `${MODELS}.${type}`, constant: text.charAt(0).toUpperCase() + text.slice(1), value: text }
}

function counts (value: unknown): unknown {
  if (value === null || value === undefined) return null
  const c = value as Json
  return { total: c['total'], completed: c['completed'], inProgress: c['inProgress'], failed: c['failed'] }
}

function publicError (value: unknown): unknown {
  if (value === null || value === undefined) return null
  const e = value as Json
  return { code: e['code'], message: e['message'] }
}

function artifact (a: Json): Json {
  return {
    javaType: `${MODELS}.MailboxRestoreArtifact`,
    id: a['id'],
    status: enumOf('ArtifactRestoreStatus', a['status']),
    destinationType: enumOf('DestinationType', a['destinationType']),
    startDateTime: dateTime(a['startDateTime']),
    completionDateTime: dateTime(a['completionDateTime']),
    restoredFolderName: a['restoredFolderName'],
    error: publicError(a['error'])
  }
}

/** Every page from `url` on, following nextLinks, with `headers` on each request. */
async function allPages (url: string, headers: Record<string, string>): Promise<Json[][]> {
  const pages: Json[][] = []
  let next: string | undefined = url
  while (next !== undefined) {
    const page = await direct(next, headers)
    pages.push(items(page.body))
    next = page.body['@odata.nextLink'] as string | undefined
  }
  return pages
}

/** A URL's query as sorted decoded pairs, without $skiptoken (compared apart). */
function queryOf (url: string): string[][] {
  return [...new URL(url).searchParams.entries()].filter(([name]) => name !== '$skiptoken').sort()
}

/** A status sequence that starts at `first`, ends at `last` and follows `order` without going back. */
function inOrder (seen: unknown, order: string[], first: string, last: string): boolean {
  if (!Array.isArray(seen) || seen[0] !== first || seen.at(-1) !== last) return false
  const positions = seen.map((status) => order.indexOf(String(status)))
  return positions.every((position, i) => position >= 0 && (i === 0 || position > (positions[i - 1] ?? -1)))
}

t.setTimeout(20 * 60_000)

const build = await run('bash', [`${javaDir}build.sh`], 15 * 60_000)
t.equal(build.code, 0, `test/clients/java builds (${build.ms} ms): ${build.stdout.trim()} ${build.stderr.trim()}`)
if (build.code !== 0) throw new Error(`test/clients/java/build.sh failed: ${build.stderr}`)

const mock = await startGraphMock({ port: 0, restoreStep: RESTORE_STEP, protectionStep: PROTECTION_STEP })
t.teardown(mock.close)
const base = `${mock.url}${ROOT}`

// The read scenarios run first in the program, before it changes the tenant: their answers are fetched now.
const sessionFilter = "status eq 'completed' or status eq 'completedWithError'"
const listUrl = `${base}/exchangeRestoreSessions?$filter=${encodeURIComponent(sessionFilter)}&$select=id,status,createdDateTime,restoreSessionArtifactCount&$orderby=createdDateTime%20desc&$top=3&$count=true`
const listed = await direct(listUrl)
const listedFirstId = String(items(listed.body)[0]?.['id'])
const pages = await allPages(`${base}/exchangeRestoreSessions?$orderby=createdDateTime&$select=id,status&$top=6`, PREFER)
const one = await direct(`${base}/exchangeRestoreSessions/${listedFirstId}?$expand=mailboxRestoreArtifacts`)
const missing = await direct(`${base}/exchangeRestoreSessions/${MISSING_ID}`)
const notAGuid = await direct(`${base}/exchangeRestoreSessions/not-a-guid`)
const activePolicies = await direct(`${base}/exchangeProtectionPolicies?$filter=${encodeURIComponent("status eq 'active' or status eq 'activeWithErrors'")}&$select=id`)

// Scenario 7 needs the control plane's fault rules: one 429 with Retry-After 1 on the unit list.
const unitsPath = `${ROOT}/mailboxProtectionUnits`
const fault = await fetch(`${mock.url}/__admin/faults`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ match: { method: 'GET', path: unitsPath }, respond: { status: 429, retryAfter: 1 }, times: 1 })
})

const classPath = `${javaDir}target/graph-mock-java-client.jar:${javaDir}target/lib/*`
// The README's snippet, run before the scenarios too (a session the workflow completes would join its list).
const completed = (await allPages(`${base}/exchangeRestoreSessions?$filter=${encodeURIComponent("status eq 'completed'")}&$orderby=createdDateTime%20desc&$top=2`, {})).flat()
const readmeRun = await run('java', ['-cp', classPath, 'graphmock.client.ReadmeExample', mock.url], 2 * 60_000)
const program = await run('java', ['-cp', classPath, 'graphmock.client.Scenarios', mock.url], 5 * 60_000)
let result: Json = {}
try {
  result = JSON.parse(program.stdout) as Json
} catch {
  t.fail(`the program printed no JSON (exit ${String(program.code)}): ${program.stdout} ${program.stderr}`)
}
const scenario = (name: string): Json => (result[name] ?? {}) as Json

t.test('the program ran every scenario without an exception', async (t) => {
  t.equal(program.code, 0, `exit status (stderr: ${program.stderr.slice(0, 4000)})`)
  for (const name of ['list', 'page', 'get', 'missing', 'restore', 'protect', 'retry']) {
    t.equal(scenario(name)['exception'], undefined, `${name}: no exception`)
  }
  t.comment(`java run ${program.ms} ms; per scenario ms: ${JSON.stringify(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, (v as Json)['elapsedMs']])))}; jvm ${JSON.stringify(result['jvm'])}`)
})

t.test('the README\'s Java snippet is ReadmeExample.java, and it prints what the mock serves', async (t) => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
  const section = readme.slice(readme.indexOf('### Java: microsoft-graph-beta'))
  const snippet = /```java\n([\s\S]*?)```/.exec(section)?.[1]
  const source = await readFile(new URL('./java/src/main/java/graphmock/client/ReadmeExample.java', import.meta.url), 'utf8')
  t.equal(snippet, source.replace(/^package graphmock\.client;\n\n/, ''), 'the README shows the file as built')
  t.equal(readmeRun.code, 0, `exit status (stderr: ${readmeRun.stderr.slice(0, 4000)})`)
  // OffsetDateTime.toInstant() prints the fraction in groups of three digits: compared at nine.
  const lines = readmeRun.stdout.trim().split('\n')
  const sessionLines = lines.slice(0, -1).map((line) => line.replace(/\S+$/, (instant) => String((dateTime(instant) as Json)['utc'])))
  t.ok(completed.length > 2, `more completed sessions (${completed.length}) than one page of $top=2`)
  t.strictSame(sessionLines, completed.map((c) => `${String(c['id'])} completed ${String((dateTime(c['createdDateTime']) as Json)['utc'])}`))
  t.equal(lines.at(-1), `404 ${String((missing.body['error'] as Json)['code'])}`)
})

t.test('1. list: $filter, $select, $orderby, $top and $count through queryParameters', async (t) => {
  const got = scenario('list')
  const { elapsedMs, nextLink, ...rest } = got
  t.strictSame(rest, {
    count: listed.body['@odata.count'],
    value: items(listed.body).map((s) => ({
      id: s['id'],
      status: enumOf('RestoreSessionStatus', s['status']),
      createdDateTime: dateTime(s['createdDateTime']),
      restoreSessionArtifactCount: counts(s['restoreSessionArtifactCount']),
      // Not selected: not sent, so the SDK leaves them null.
      restoreJobType: null,
      lastModifiedDateTime: null
    }))
  })
  t.equal(items(listed.body).length, 3, 'a page of $top')
  t.ok(Number(listed.body['@odata.count']) > 3, 'more sessions match than one page holds')
  const directNext = String(listed.body['@odata.nextLink'])
  t.type(nextLink, 'string')
  t.equal(new URL(String(nextLink)).origin + new URL(String(nextLink)).pathname, new URL(directNext).origin + new URL(directNext).pathname, 'the nextLink points at the mock')
  t.strictSame(queryOf(String(nextLink)), queryOf(directNext), 'the nextLink keeps the SDK\'s query options')
  // The SDK encodes its query its own way; its nextLink still leads to the same second page.
  t.strictSame(items((await direct(String(nextLink))).body), items((await direct(directNext)).body), 'the same second page')
})

t.test('2. PageIterator: every session, every page, the Prefer header on each', async (t) => {
  const all = pages.flat()
  t.ok(pages.length >= 3, `several pages (${pages.length})`)
  t.strictSame(scenario('page'), {
    ids: all.map((s) => s['id']),
    statuses: all.map((s) => s['status']),
    firstPageSize: pages[0]?.length,
    nextPageRequests: pages.length - 1,
    state: 'COMPLETE',
    elapsedMs: scenario('page')['elapsedMs']
  })
  t.ok(all.some((s) => s['status'] === 'failed'), 'failed sessions come through as failed, not unknownFutureValue')
})

t.test('3. get one: OffsetDateTime, enums, identity set, counts, expanded artifacts', async (t) => {
  const s = one.body
  t.equal(one.status, 200)
  t.strictSame(scenario('get'), {
    javaType: `${MODELS}.ExchangeRestoreSession`,
    odataType: '#microsoft.graph.exchangeRestoreSession',
    id: s['id'],
    status: enumOf('RestoreSessionStatus', s['status']),
    restoreJobType: enumOf('RestoreJobType', s['restoreJobType']),
    createdDateTime: dateTime(s['createdDateTime']),
    completedDateTime: dateTime(s['completedDateTime']),
    lastModifiedDateTime: dateTime(s['lastModifiedDateTime']),
    createdByUser: ((s['createdBy'] as Json)['user'] as Json | null)?.['displayName'] ?? null,
    restoreSessionArtifactCount: counts(s['restoreSessionArtifactCount']),
    error: publicError(s['error']),
    mailboxRestoreArtifacts: (s['mailboxRestoreArtifacts'] as Json[]).map(artifact),
    elapsedMs: scenario('get')['elapsedMs']
  })
  t.ok((s['mailboxRestoreArtifacts'] as Json[]).length > 0, 'the session has artifacts to compare')
})

t.test('4. a missing id raises ODataError with Graph\'s code and status', async (t) => {
  const got = scenario('missing')
  for (const [name, answer, status] of [['unknownGuid', missing, 404], ['notAGuid', notAGuid, 400]] as const) {
    const error = answer.body['error'] as Json
    const raised = got[name] as Json
    t.equal(answer.status, status, `${name}: the mock answers ${status}`)
    t.strictSame(raised, {
      raised: `${MODELS}.odataerrors.ODataError`,
      responseStatusCode: status,
      code: error['code'],
      message: error['message'],
      exceptionMessage: error['message'],
      innerRequestId: raised['requestIdHeader'],
      innerDate: raised['innerDate'],
      requestIdHeader: raised['requestIdHeader']
    }, `${name}: ${String(error['code'])}`)
    t.match(raised['requestIdHeader'], GUID, `${name}: innerError.request-id is the request-id header`)
    t.match(raised['innerDate'], { javaType: ODT, offset: 'Z' }, `${name}: innerError.date is an OffsetDateTime`)
  }
  t.equal((missing.body['error'] as Json)['code'], 'RestoreSessionNotFound')
  t.equal((notAGuid.body['error'] as Json)['code'], 'InvalidRestoreSessionId')
})

t.test('5. restore: create, add an artifact, activate, poll to a terminal status', async (t) => {
  const got = scenario('restore')
  const id = String(got['id'])
  t.match(id, GUID)
  // The program picked the newest restore points of two mailboxes, by the expanded unit's type. (Which
  // ones are newest is not recomputed here: protected units get new points on the clock meanwhile.)
  const picked = (got['restorePointIds'] ?? []) as string[]
  t.equal(picked.length, 2, 'two restore points')
  const pickedUnits = await Promise.all(picked.map(async (point) => (await direct(`${base}/restorePoints/${point}?$expand=protectionUnit`)).body['protectionUnit'] as Json))
  t.strictSame(pickedUnits.map((u) => u['@odata.type']), ['#microsoft.graph.mailboxProtectionUnit', '#microsoft.graph.mailboxProtectionUnit'], 'both of mailboxes')
  t.not(pickedUnits[0]?.['id'], pickedUnits[1]?.['id'], 'of two different mailboxes')
  const now = await direct(`${base}/exchangeRestoreSessions/${id}?$expand=mailboxRestoreArtifacts`, PREFER)
  t.equal(now.status, 200)
  const s = now.body
  const artifacts = s['mailboxRestoreArtifacts'] as Json[]
  const pointOf = await Promise.all(artifacts.map(async (a) => (await direct(`${base}/exchangeRestoreSessions/${id}/mailboxRestoreArtifacts/${String(a['id'])}/restorePoint`)).body['id']))
  const terminal = ['completed', 'completedWithError', 'failed']
  t.ok(terminal.includes(String(s['status'])), `the mock's session ended: ${String(s['status'])}`)
  t.strictSame(got, {
    restorePointIds: picked,
    id,
    createdStatus: enumOf('RestoreSessionStatus', 'draft'),
    createdCounts: { total: 1, completed: 0, inProgress: 0, failed: 0 },
    added: {
      javaType: `${MODELS}.MailboxRestoreArtifact`,
      id: artifacts[1]?.['id'],
      status: enumOf('ArtifactRestoreStatus', 'added'),
      destinationType: enumOf('DestinationType', 'new'),
      startDateTime: null,
      completionDateTime: null,
      restoredFolderName: null,
      error: null
    },
    countsBeforeActivation: { total: 2, completed: 0, inProgress: 0, failed: 0 },
    activatedJavaType: `${MODELS}.ExchangeRestoreSession`,
    activatedStatus: enumOf('RestoreSessionStatus', 'activating'),
    seen: got['seen'],
    finalStatus: enumOf('RestoreSessionStatus', s['status']),
    finalCounts: counts(s['restoreSessionArtifactCount']),
    completedDateTime: dateTime(s['completedDateTime']),
    lastModifiedDateTime: dateTime(s['lastModifiedDateTime']),
    mailboxRestoreArtifacts: artifacts.map((a, i) => ({ ...artifact(a), restorePointId: pointOf[i] })),
    elapsedMs: got['elapsedMs']
  })
  t.strictSame(pointOf, picked, 'each artifact restores the restore point it was given')
  t.equal((s['restoreSessionArtifactCount'] as Json)['inProgress'], 0, 'nothing left in progress')
  t.ok(inOrder(got['seen'], ['activating', 'active', ...terminal], 'activating', String(s['status'])), `statuses in the documented order, none twice: ${JSON.stringify(got['seen'])}`)
})

t.test('6. protection: a policy with two mailboxes, activated, polled until active', async (t) => {
  const got = scenario('protect')
  const id = String(got['id'])
  t.match(id, GUID)
  const policy = (await direct(`${base}/exchangeProtectionPolicies/${id}`)).body
  const units = items((await direct(`${base}/exchangeProtectionPolicies/${id}/mailboxProtectionUnits?$orderby=directoryObjectId`)).body)
  const previous = items(activePolicies.body).map((p) => String(p['id']))
  t.ok(previous.length > 0, 'the tenant had an active Exchange policy to deactivate')
  for (const old of previous) {
    t.equal((await direct(`${base}/exchangeProtectionPolicies/${old}`)).body['status'], 'inactive', `${old} is inactive now`)
  }
  const artifactCount = policy['protectionPolicyArtifactCount'] as Json
  t.strictSame(got, {
    deactivated: previous.map((old, i) => ({ id: old, seen: ((got['deactivated'] as Json[])[i] ?? {})['seen'] })),
    id,
    displayName: 'Java SDK protection policy',
    createdStatus: enumOf('ProtectionPolicyStatus', 'inactive'),
    createdIsEnabled: false,
    createdRetentionSettings: (policy['retentionSettings'] as unknown[]).length,
    activatedJavaType: `${MODELS}.ExchangeProtectionPolicy`,
    activatedStatus: enumOf('ProtectionPolicyStatus', 'updating'),
    seen: got['seen'],
    finalStatus: enumOf('ProtectionPolicyStatus', policy['status']),
    finalIsEnabled: policy['isEnabled'],
    protectionPolicyArtifactCount: { total: artifactCount['total'], completed: artifactCount['completed'], inProgress: artifactCount['inProgress'], failed: artifactCount['failed'] },
    units: units.map((u) => ({
      javaType: `${MODELS}.MailboxProtectionUnit`,
      id: u['id'],
      directoryObjectId: u['directoryObjectId'],
      policyId: u['policyId'],
      status: enumOf('ProtectionUnitStatus', u['status']),
      protectionSources: String(u['protectionSources']).split(',')
    })),
    elapsedMs: got['elapsedMs']
  })
  t.equal(policy['status'], 'active')
  t.strictSame(units.map((u) => [u['directoryObjectId'], u['status'], u['policyId']]), [...NEW_MAILBOXES].sort().map((m) => [m, 'protected', id]))
  t.ok(inOrder(got['seen'], ['updating', 'active'], 'updating', 'active'), `policy: ${JSON.stringify(got['seen'])}`)
  for (const d of got['deactivated'] as Json[]) t.ok(inOrder(d['seen'], ['updating', 'inactive'], 'updating', 'inactive'), `deactivated: ${JSON.stringify(d['seen'])}`)
})

t.test('7. a 429 with Retry-After from a fault rule, retried by the SDK\'s retry handler', async (t) => {
  t.equal(fault.status, 201, 'POST /__admin/faults took the rule')
  const got = scenario('retry')
  // The log first: the direct listing below is logged too.
  const log = await direct(`${mock.url}/__admin/requests?method=GET&path=${encodeURIComponent(unitsPath)}`)
  const listedUnits = await direct(`${base}/mailboxProtectionUnits?$select=id,status&$orderby=id`)
  t.strictSame(got['ids'], items(listedUnits.body).map((u) => u['id']), 'the retried call answers the list')
  t.equal(got['nextLink'], listedUnits.body['@odata.nextLink'] ?? null)
  const requests = (log.body['requests'] as Json[]).filter((r) => String(r['url']).includes('$select'))
  t.equal(requests.length, 2, 'the throttled request and its retry')
  const [first, second] = requests
  t.match(first, { status: 429, fault: { kind: String } }, 'the first answered 429 by the fault rule')
  t.equal((first?.['responseHeaders'] as Json | undefined)?.['retry-after'], '1')
  t.match(second, { status: 200, fault: null, headers: { 'retry-attempt': '1' } }, 'the retry says retry-attempt: 1')
  const waited = Date.parse(String(second?.['time'])) - Date.parse(String(first?.['time']))
  t.ok(waited >= 1000, `the SDK waited the Retry-After (${waited} ms between the two)`)
  t.ok(Number(got['callMs']) >= 1000, `the call took the wait (${String(got['callMs'])} ms)`)
})
