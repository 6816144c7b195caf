// Microsoft's Go Graph SDK (msgraph-sdk-go with msgraph-sdk-go-core and Kiota's modules, pinned by
// test/clients/go/go.mod and go.sum), unmodified, against a mock this test starts on its /v1.0
// surface: test/clients/go/main.go drives the SDK's fluent request builders and prints what it got,
// and each scenario is compared with what the mock answers to the same requests over plain HTTP.
// The reads are fetched before the Go run (its writes come after its reads), the written entities
// after it. The beta SDK (msgraph-beta-sdk-go) is not used: its models package alone did not compile
// in 10 minutes and 9 GB of memory on 2 cores (README.md, "Go: msgraph-sdk-go").
//
// The binaries come from test/clients/go/build.sh (`npm run clients:go`), which this test runs too: it
// does nothing when they are up to date, fails without a Go toolchain, and builds them otherwise.

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startGraphMock } from '../../src/index.js'
import type { ExchangeRestoreSession } from '../../schemas/index.js'

// A cold build compiles the SDK (minutes of CPU, more on a loaded machine); the scenarios then take
// about a second, and wait Retry-After once.
t.setTimeout(1_800_000)

const here = fileURLToPath(new URL('./go/', import.meta.url))
const buildScript = `${here}build.sh`
const program = `${here}bin/graph-mock-go-client`
const snippetProgram = `${here}bin/readme-snippet`
const readme = fileURLToPath(new URL('../../README.md', import.meta.url))
const ROOT = 'solutions/backupRestore'
const AUTH = { authorization: 'Bearer any-token' }
const PREFER = { prefer: 'include-unknown-enum-members' }
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** The bundled tenant's times are near this instant; the mock's clock starts there and runs. */
const CLOCK_START = '2026-12-01T09:00:00Z'
const PAGE_SIZE = 3
/** The plan main.go runs, from the bundled tenant (its defaults are the same ids). */
const plan = {
  token: 'any-token',
  list: { filter: "status eq 'completed' or status eq 'failed'", select: ['id', 'status', 'createdDateTime'], orderby: ['createdDateTime desc'], top: 4 },
  // A failed session (evolvable: unknownFutureValue without Prefer) and a completed one.
  getIds: ['5d4e54bd-a034-44ed-ab51-2bc224c30df7', 'a5c8d9e3-c016-42fc-8b77-99e18f7d9a4d'],
  missingId: '00000000-0000-4000-8000-00000000ffff',
  invalidId: 'not-a-guid',
  // Restore points of two different mailboxes (Lew Reynolds', Orland Stoltenberg's).
  restorePoints: ['316e4105-09a7-4b8b-b3b8-b7807226952b', 'd3ccccd6-9ccf-4f97-ad3c-3997d8760519'],
  // The bundled tenant's active Exchange policy: Graph supports one active policy per service.
  deactivatePolicyId: '85330ba7-b1fd-4a66-b7ed-78efab5ed8dd',
  mailboxes: ['cdd3a849-dcaf-4a85-af82-7e39fc14019a', '9bc069da-b746-41a4-89ab-26125c6373c7'],
  throttleHeader: 'x-client-scenario',
  pollTimeoutMs: 30000
}
/** The query the SDK's URI template writes for scenario 1 (parameters in its template's order). */
const LIST_QUERY = '$count=true&$filter=status%20eq%20%27completed%27%20or%20status%20eq%20%27failed%27' +
  '&$orderby=createdDateTime%20desc&$select=id,status,createdDateTime&$top=4'
const PAGING_QUERY = '$orderby=createdDateTime&$select=id,createdDateTime'
const THROTTLED_QUERY = '$select=id&$top=2'
/** The members msgraph-sdk-go v1.0's enums know; another member reads as no value (nil). */
const SDK_MEMBERS: Record<string, string[]> = {
  status: ['draft', 'activating', 'active', 'completedWithError', 'completed', 'unknownFutureValue', 'failed'],
  restoreJobType: ['standard', 'bulk', 'unknownFutureValue']
}

type Wire = Record<string, unknown>
interface WireArtifact { id: string, status: string, destinationType: string, restorePoint: { id: string } | null, startDateTime: string | null, completionDateTime: string | null, restoredFolderName: string | null, error: { code: string } | null }
interface WirePolicy { id: string, displayName: string, status: string, createdDateTime: string, lastModifiedDateTime: string, retentionSettings: Array<{ interval: string, period: string }> }
interface WireUnit { id: string, directoryObjectId: string, policyId: string, status: string }
interface Page<T> { '@odata.count'?: number, '@odata.nextLink'?: string, value: T[] }
interface WireError { error: { code: string, message: string, innerError: { 'request-id': string, date: string } } }
interface JournalEntry { url: string, status: number, headers: Record<string, string>, responseHeaders: Record<string, string>, fault: { id: string, kind: string } | null, earlyRetry: boolean }

/** A Graph instant as main.go writes the time.Time Kiota parsed: RFC 3339, the fraction's trailing zeros dropped. */
function goTime (text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(text)
  if (match === null) return `not a Graph instant: ${text}`
  const fraction = (match[2] ?? '').replace(/0+$/, '')
  return `${match[1] ?? ''}${fraction === '' ? '' : `.${fraction}`}Z`
}

/** An enum member as main.go reports it: its name, or null where the SDK's enum has no such member. */
function member (property: string, value: string | null | undefined): string | null {
  return value != null && (SDK_MEMBERS[property]?.includes(value) ?? true) ? value : null
}

/** main.go's sessionView, from the mock's JSON. */
function sessionOf (s: ExchangeRestoreSession): Wire {
  const count = s.restoreSessionArtifactCount
  const view: Wire = {
    type: '*models.ExchangeRestoreSession',
    odataType: '#microsoft.graph.exchangeRestoreSession',
    id: s.id,
    status: member('status', s.status),
    restoreJobType: member('restoreJobType', s.restoreJobType),
    createdDateTime: goTime(s.createdDateTime),
    completedDateTime: goTime(s.completedDateTime),
    lastModifiedDateTime: goTime(s.lastModifiedDateTime)
  }
  if (count != null) view['artifactCount'] = { total: count.total, completed: count.completed, failed: count.failed, inProgress: count.inProgress }
  if (s.createdBy?.user != null) view['createdByUser'] = s.createdBy.user.displayName
  if (s.error != null) view['error'] = { code: s.error.code, message: s.error.message }
  return view
}

/** Each status once, in the order given: `seen` must be an ordered subsequence of it. */
function inOrder (seen: unknown[], order: string[]): boolean {
  const positions = seen.map((status) => order.indexOf(String(status)))
  return positions.every((position, i) => position >= 0 && (i === 0 || position > (positions[i - 1] ?? -1)))
}

interface Run { code: number | null, stdout: string, stderr: string, seconds: number }

async function run (command: string, args: string[], timeoutMs: number): Promise<Run> {
  const started = Date.now()
  return await new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const killer = setTimeout(() => { child.kill('SIGKILL') }, timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(killer)
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 })
    })
  })
}

t.test('msgraph-sdk-go against the mock (/v1.0)', async (t) => {
  const build = await run('bash', [buildScript], 1_700_000)
  t.comment((build.stdout + build.stderr).trim())
  t.equal(build.code, 0, 'test/clients/go/build.sh builds the Go client (or finds it up to date)', { stderr: build.stderr })
  if (build.code !== 0) return

  const mock = await startGraphMock({
    port: 0,
    pageSize: PAGE_SIZE,
    clockStart: CLOCK_START,
    // Real time with short steps: a restore ends about 0.15 s after activation, a policy is active 0.1 s after.
    restoreStep: 'PT0.05S',
    protectionStep: 'PT0.1S'
  })
  t.teardown(mock.close)
  const v1 = `${mock.url}/v1.0/${ROOT}`
  const graph = async <T>(path: string, headers: Record<string, string> = {}): Promise<{ status: number, body: T }> => {
    const response = await fetch(path.startsWith('http') ? path : `${v1}/${path}`, { headers: { ...AUTH, ...headers } })
    return { status: response.status, body: await response.json() as T }
  }
  const journal = async (query: string): Promise<JournalEntry[]> => {
    const response = await fetch(`${mock.url}/__admin/requests?${query}`)
    return (await response.json() as { requests: JournalEntry[] }).requests
  }

  // The mock's answers to the reads, before the Go program writes anything.
  const listed = await graph<Page<ExchangeRestoreSession>>(`exchangeRestoreSessions?${LIST_QUERY}`)
  const pages: Array<Page<ExchangeRestoreSession>> = []
  for (let next: string | undefined = `${v1}/exchangeRestoreSessions?${PAGING_QUERY}`; next !== undefined;) {
    const page: Page<ExchangeRestoreSession> = (await graph<Page<ExchangeRestoreSession>>(next)).body
    pages.push(page)
    next = page['@odata.nextLink']
  }
  const gets = await Promise.all(plan.getIds.map(async (id) => ({
    plain: await graph<ExchangeRestoreSession>(`exchangeRestoreSessions/${id}`),
    shown: await graph<ExchangeRestoreSession>(`exchangeRestoreSessions/${id}`, PREFER)
  })))
  const missing = await graph<WireError>(`exchangeRestoreSessions/${plan.missingId}`)
  const invalid = await graph<WireError>(`exchangeRestoreSessions/${plan.invalidId}`)
  const throttled = await graph<Page<ExchangeRestoreSession>>(`exchangeRestoreSessions?${THROTTLED_QUERY}`)
  await fetch(`${mock.url}/__admin/requests`, { method: 'DELETE' })

  // The throttled scenario's request alone carries its header: the rule answers it once with 429.
  const faults = await fetch(`${mock.url}/__admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      match: { method: 'GET', path: `/v1.0/${ROOT}/exchangeRestoreSessions`, headers: { [plan.throttleHeader]: 'throttle' } },
      respond: { status: 429, retryAfter: 1 },
      times: 1
    })
  })
  const rule = await faults.json() as { id?: string }

  const go = await run(program, ['-plan', JSON.stringify(plan), `${mock.url}/v1.0`], 300_000)
  t.comment(`graph-mock-go-client ran in ${go.seconds} s`)
  t.equal(go.code, 0, 'graph-mock-go-client exits 0', { stderr: go.stderr, stdout: go.stdout })
  let results: Record<string, unknown> = {}
  try {
    results = JSON.parse(go.stdout) as Record<string, unknown>
  } catch {
    t.fail('graph-mock-go-client printed one JSON object', { stdout: go.stdout, stderr: go.stderr })
    return
  }
  t.strictSame(Object.keys(results).sort(), ['get', 'list', 'missing', 'paging', 'protection', 'restore', 'throttle'], 'a result for every scenario')

  t.test('the requests are the SDK\'s own', async (t) => {
    const [first] = await journal(`method=GET&path=${encodeURIComponent(`/v1.0/${ROOT}/exchangeRestoreSessions`)}`)
    t.equal(first?.url, `/v1.0/${ROOT}/exchangeRestoreSessions?${LIST_QUERY}`, 'the query parameter struct became this query')
    t.match(first?.headers['sdkversion'], /^graph-go\/1\.89\.0, graph-go-core\/1\.4\.0/, 'SdkVersion: msgraph-sdk-go and its core')
    t.equal(first?.headers['authorization']?.startsWith('Bearer '), true, 'the bearer token from the AccessTokenProvider')
    t.match(first?.headers['client-request-id'], GUID, 'a client-request-id per request')
  })

  t.test('1. $filter/$select/$orderby/$top/$count through the query parameter struct', async (t) => {
    t.equal(listed.status, 200)
    t.equal(listed.body.value.length, 4, '$top=4')
    t.ok((listed.body['@odata.count'] ?? 0) > 4, '$count: the whole filtered set, more than a page')
    t.strictSame(results['list'], {
      count: listed.body['@odata.count'],
      // The nextLink echoes the query: the SDK sent exactly LIST_QUERY.
      nextLink: listed.body['@odata.nextLink'],
      items: listed.body.value.map((s) => ({
        id: s.id,
        status: member('status', s.status),
        createdDateTime: goTime(s.createdDateTime),
        restoreJobType: null
      }))
    })
    t.ok(listed.body.value.some((s) => s.status === 'unknownFutureValue'), 'a failed session reads as unknownFutureValue without Prefer')
  })

  t.test('2. every page through msgraph-sdk-go-core PageIterator', async (t) => {
    const items = pages.flatMap((page) => page.value)
    t.ok(pages.length > 2, `${pages.length} pages of ${PAGE_SIZE}`)
    t.strictSame(results['paging'], { firstPage: PAGE_SIZE, ids: items.map((s) => s.id) })
    const followed = await journal(`method=GET&pathRegex=${encodeURIComponent('exchangeRestoreSessions$')}`)
    const nextLinks = followed.filter((e) => e.url.includes('$skiptoken='))
    t.equal(nextLinks.length, pages.length - 1, 'the iterator requested every nextLink, once each')
    t.strictSame(nextLinks.map((e) => e.status), nextLinks.map(() => 200))
  })

  t.test('3. one session by id: time.Time and typed enums', async (t) => {
    t.strictSame(gets.map((g) => [g.plain.status, g.shown.status]), gets.map(() => [200, 200]))
    t.strictSame(results['get'], gets.map((g) => ({ ...sessionOf(g.plain.body), statusWithPrefer: member('status', g.shown.body.status) })))
    const [failed] = results['get'] as Wire[]
    t.equal(failed?.['status'], 'unknownFutureValue', 'failed is evolvable: hidden without Prefer')
    t.equal(failed?.['statusWithPrefer'], 'failed', 'shown with Prefer: include-unknown-enum-members')
    t.equal(failed?.['createdDateTime'], goTime(gets[0]?.plain.body.createdDateTime), 'a time.Time with the 100 ns digits Graph sends')
  })

  t.test('4. unknown ids: *odataerrors.ODataError with Graph\'s status and code', async (t) => {
    t.equal(missing.status, 404)
    t.equal(invalid.status, 400)
    const got = results['missing'] as Record<string, Wire>
    for (const [name, direct] of [['missing', missing], ['invalid', invalid]] as const) {
      const answer = got[name] ?? {}
      t.strictSame({ ...answer, requestId: undefined, requestIdHeader: undefined, innerDate: undefined }, {
        type: '*odataerrors.ODataError',
        status: direct.status,
        code: direct.body.error.code,
        message: direct.body.error.message,
        requestId: undefined,
        requestIdHeader: undefined,
        innerDate: undefined
      }, name)
      t.match(answer['requestId'], GUID, `${name}: innerError.request-id`)
      t.equal(answer['requestId'], answer['requestIdHeader'], `${name}: the same as the request-id header`)
      // Graph writes innerError.date without a zone; Kiota reads it in the local zone.
      t.match(answer['innerDate'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `${name}: innerError.date as a time.Time`)
    }
    t.equal(got['missing']?.['code'], 'RestoreSessionNotFound')
    t.equal(got['invalid']?.['code'], 'InvalidRestoreSessionId')
  })

  t.test('5. restore: create, add a mailbox, activate, poll to a terminal status', async (t) => {
    const got = results['restore'] as { created: Wire, activated: Wire, seen: unknown[] } & Wire
    const id = String(got.created['id'])
    t.match(id, GUID)
    const session = await graph<ExchangeRestoreSession>(`exchangeRestoreSessions/${id}`, PREFER)
    const artifacts = await graph<Page<WireArtifact>>(`exchangeRestoreSessions/${id}/mailboxRestoreArtifacts?$expand=restorePoint&$top=50`, PREFER)
    t.equal(session.body.status, 'completed')
    t.strictSame(session.body.restoreSessionArtifactCount, { completed: 2, failed: 0, inProgress: 0, total: 2 })
    t.strictSame(artifacts.body.value.map((a) => [a.restorePoint?.id, a.status]), plan.restorePoints.map((point) => [point, 'succeeded']))
    const final = sessionOf(session.body)
    t.strictSame(got, {
      created: { ...final, status: 'draft', completedDateTime: null, lastModifiedDateTime: final['createdDateTime'], artifactCount: { total: 1, completed: 0, failed: 0, inProgress: 0 } },
      added: artifacts.body.value.slice(1).map((a) => ({ id: a.id, status: 'added', destinationType: 'new' })),
      activated: { ...final, status: 'activating', completedDateTime: null, lastModifiedDateTime: got.activated['lastModifiedDateTime'], artifactCount: { total: 2, completed: 0, failed: 0, inProgress: 2 } },
      seen: got.seen,
      final,
      artifacts: artifacts.body.value.map((a) => ({
        id: a.id,
        status: a.status,
        destinationType: a.destinationType,
        startDateTime: goTime(a.startDateTime),
        completionDateTime: goTime(a.completionDateTime),
        restoredFolderName: a.restoredFolderName,
        restorePointId: a.restorePoint?.id ?? null,
        error: a.error?.code ?? null
      }))
    })
    const activatedAt = String(got.activated['lastModifiedDateTime'])
    const [createdMs, activatedMs, endedMs] = [final['createdDateTime'], activatedAt, final['lastModifiedDateTime']].map((time) => Date.parse(String(time)))
    t.ok(createdMs !== undefined && activatedMs !== undefined && endedMs !== undefined && createdMs <= activatedMs && activatedMs < endedMs, `activated at ${activatedAt}, after creation and before the end`)
    t.equal(got.seen.at(-1), 'completed', 'the last poll')
    t.ok(inOrder(got.seen, ['activating', 'active', 'completed']), `statuses in order, none twice: ${got.seen.join(' → ')}`)
  })

  t.test('6. protection: deactivate the active policy, create one with mailboxes, activate, poll to active', async (t) => {
    const got = results['protection'] as { created: Wire, deactivated: { seen: unknown[] } & Wire, seen: unknown[] } & Wire
    const id = String(got.created['id'])
    t.match(id, GUID)
    const old = await graph<WirePolicy>(`protectionPolicies/${plan.deactivatePolicyId}`)
    const policy = await graph<WirePolicy>(`exchangeProtectionPolicies/${id}`)
    const units = await graph<Page<WireUnit>>(`exchangeProtectionPolicies/${id}/mailboxProtectionUnits`)
    t.equal(old.body.status, 'inactive')
    t.equal(policy.body.status, 'active')
    t.strictSame(units.body.value.map((u) => [u.directoryObjectId, u.policyId, u.status]), plan.mailboxes.map((m) => [m, id, 'protected']))
    t.strictSame(got, {
      deactivated: { type: '*models.ExchangeProtectionPolicy', status: 'updating', seen: got.deactivated.seen },
      created: {
        type: '*models.ExchangeProtectionPolicy',
        id,
        displayName: policy.body.displayName,
        status: 'inactive',
        createdDateTime: goTime(policy.body.createdDateTime),
        retentionSettings: policy.body.retentionSettings.map((r) => ({ interval: r.interval, period: r.period }))
      },
      activated: { type: '*models.ExchangeProtectionPolicy', status: 'updating' },
      seen: got.seen,
      final: { status: 'active', lastModifiedDateTime: goTime(policy.body.lastModifiedDateTime) },
      units: units.body.value.map((u) => ({ id: u.id, directoryObjectId: u.directoryObjectId, status: u.status, policyId: u.policyId }))
    })
    t.equal(got.deactivated.seen.at(-1), 'inactive')
    t.ok(inOrder(got.deactivated.seen, ['updating', 'inactive']), `deactivation: ${got.deactivated.seen.join(' → ')}`)
    t.equal(got.seen.at(-1), 'active')
    t.ok(inOrder(got.seen, ['updating', 'active']), `activation: ${got.seen.join(' → ')}`)
  })

  t.test('7. a 429 with Retry-After from a fault rule, retried by the SDK\'s retry handler', async (t) => {
    t.equal(faults.status, 201, 'POST /__admin/faults', { body: rule })
    const entries = await journal(`header=${encodeURIComponent(plan.throttleHeader)}`)
    t.strictSame(entries.map((e) => [e.url, e.status, e.headers['retry-attempt'] ?? null, e.responseHeaders['retry-after'] ?? null, e.fault?.id ?? null, e.earlyRetry]), [
      [`/v1.0/${ROOT}/exchangeRestoreSessions?${THROTTLED_QUERY}`, 429, null, '1', rule.id, false],
      [`/v1.0/${ROOT}/exchangeRestoreSessions?${THROTTLED_QUERY}`, 200, '1', null, null, false]
    ], 'one throttled answer, then the retry (Retry-Attempt: 1), not before Retry-After')
    const got = results['throttle'] as { ids: unknown[], elapsedMs: number }
    t.strictSame(got.ids, throttled.body.value.map((s) => s.id), 'the SDK returned the page')
    t.ok(got.elapsedMs >= 1000, `waited Retry-After (${got.elapsedMs} ms)`)
  })

  t.test('the README\'s Go snippet is readme/main.go, and it runs', async (t) => {
    const section = readFileSync(readme, 'utf8').split('### Go: msgraph-sdk-go')[1] ?? ''
    const snippet = /```go\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
    t.equal(snippet, readFileSync(`${here}readme/main.go`, 'utf8'), 'the README shows test/clients/go/readme/main.go as it is')
    const provider = /^type staticToken struct[\s\S]*?^func \(s \*staticToken\) GetAllowedHostsValidator\(\)[^\n]*\n[^\n]*\n}\n/m.exec(snippet)?.[0]
    t.ok(provider !== undefined && readFileSync(`${here}main.go`, 'utf8').includes(provider), 'main.go authenticates with the snippet\'s AccessTokenProvider')
    const query = '$count=true&$filter=status%20eq%20%27active%27&$orderby=createdDateTime%20desc&$select=id,status,createdDateTime&$top=2'
    const active: ExchangeRestoreSession[] = []
    let count: number | undefined
    for (let next: string | undefined = `${v1}/exchangeRestoreSessions?${query}`; next !== undefined;) {
      const page: Page<ExchangeRestoreSession> = (await graph<Page<ExchangeRestoreSession>>(next)).body
      count ??= page['@odata.count']
      active.push(...page.value)
      next = page['@odata.nextLink']
    }
    t.ok(active.length > 2, 'more than one page')
    const snippetRun = await run(snippetProgram, [`${mock.url}/v1.0`], 60_000)
    t.equal(snippetRun.code, 0, 'the snippet exits 0', { stderr: snippetRun.stderr })
    t.equal(snippetRun.stdout, `${String(count)} ${active.length} ${String(active[0]?.status)} ${String(goTime(active[0]?.createdDateTime))}\n404 ${missing.body.error.code}\n`)
  })
})
