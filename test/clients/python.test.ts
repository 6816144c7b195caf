// Microsoft's Python Graph beta SDK (msgraph-beta-sdk with msgraph-core and Kiota's packages, pinned
// with hashes in test/clients/python/requirements.txt), unmodified, against a mock this test starts:
// test/clients/python/scenarios.py drives the SDK's fluent request builders and prints what it got,
// and each scenario is compared with what the mock answers to the same requests over plain HTTP.
// The reads are fetched before the Python run (its writes come after its reads), the written
// entities after it. The venv comes from `npm run clients:python`; without it this test fails.

import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startGraphMock } from '../../src/index.js'
import type { ExchangeRestoreSession } from '../../schemas/index.js'
import { data as tenant, DIRECTORY_IDS, MOCK_USER, POINTS } from '../behaviours/restore-tenant.js'
import { failedSession, MISSING_ID, PAGE_SIZE, sessions } from './data.js'

// Installing is `npm run clients:python`; importing the beta SDK's models takes seconds, more on a
// loaded machine, and the scenarios wait on the mock's clock and on Retry-After.
t.setTimeout(600000)

const here = fileURLToPath(new URL('./python/', import.meta.url))
const python = `${here}.venv/bin/python`
const program = `${here}scenarios.py`
const readme = fileURLToPath(new URL('../../README.md', import.meta.url))
const ROOT = 'solutions/backupRestore'
const AUTH = { authorization: 'Bearer any-token' }
const PREFER = { prefer: 'include-unknown-enum-members' }
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** The query the SDK's URI template writes for scenario 1 (parameters in its template's order). */
const LIST_QUERY = '$count=true&$filter=status%20eq%20%27active%27%20or%20status%20eq%20%27completed%27' +
  '&$orderby=createdDateTime%20desc&$select=id,status,createdDateTime&$top=5'
/** Restore points of mailboxes: two restore, the third is annotated to fail (ArtifactCannotBeRestored). */
const RESTORE_POINTS = [POINTS['M1new'] ?? '', POINTS['M2new'] ?? '', POINTS['MFAIL'] ?? '']
const MAILBOXES = [DIRECTORY_IDS.M1, DIRECTORY_IDS.M2]
const POLICY_NAME = 'Python SDK policy'
/** The session whose first two GETs a fault rule answers with 429 and Retry-After: 1. */
const RETRY_ID = sessions[0]?.id ?? ''

type Wire = Record<string, unknown>
interface WireArtifact { id: string, status: string, destinationType: string, restorePoint: { id: string } | null, startDateTime: string | null, completionDateTime: string | null, restoredFolderName: string | null, error: { code: string } | null }
interface WirePolicy { id: string, displayName: string, status: string, isEnabled: boolean, createdDateTime: string, protectionPolicyArtifactCount: { total: number, completed: number, inProgress: number, failed: number } | null }
interface WireUnit { id: string, directoryObjectId: string, policyId: string, status: string }
interface Page<T> { '@odata.count'?: number, '@odata.nextLink'?: string, value: T[] }

/** A Graph instant as Python's datetime.isoformat() writes what Kiota parsed (microseconds, truncated). */
function pythonIso (text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(text)
  if (match === null) return `not a Graph instant: ${text}`
  const micro = (match[2] ?? '').padEnd(6, '0').slice(0, 6)
  return `${match[1] ?? ''}${micro === '000000' ? '' : `.${micro}`}+00:00`
}

/** An enum value as scenarios.py reports it: the SDK's enum class and the member's value. */
function member (type: string, value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : `${type}.${value}`
}

/** scenarios.py's describe_session, from the mock's JSON. */
function sessionOf (s: ExchangeRestoreSession): unknown {
  const count = s.restoreSessionArtifactCount
  const by = s.createdBy
  return {
    type: 'ExchangeRestoreSession',
    id: s.id,
    status: member('RestoreSessionStatus', s.status),
    restoreJobType: member('RestoreJobType', s.restoreJobType),
    createdDateTime: pythonIso(s.createdDateTime),
    completedDateTime: pythonIso(s.completedDateTime),
    lastModifiedDateTime: pythonIso(s.lastModifiedDateTime),
    createdBy: by == null
      ? null
      : {
          user: by.user == null ? null : { id: by.user.id, displayName: by.user.displayName },
          application: by.application == null ? null : { id: by.application.id, displayName: by.application.displayName }
        },
    restoreSessionArtifactCount: count == null ? null : { total: count.total, completed: count.completed, inProgress: count.inProgress, failed: count.failed },
    error: s.error == null ? null : { code: s.error.code, message: s.error.message }
  }
}

function policyOf (p: WirePolicy): unknown {
  const count = p.protectionPolicyArtifactCount
  return {
    type: 'ExchangeProtectionPolicy',
    id: p.id,
    displayName: p.displayName,
    status: member('ProtectionPolicyStatus', p.status),
    isEnabled: p.isEnabled,
    createdDateTime: pythonIso(p.createdDateTime),
    protectionPolicyArtifactCount: count === null ? null : { total: count.total, completed: count.completed, inProgress: count.inProgress, failed: count.failed }
  }
}

function unitsOf (units: WireUnit[]): unknown[] {
  return units.map((u) => ({ type: 'MailboxProtectionUnit', id: u.id, directoryObjectId: u.directoryObjectId, policyId: u.policyId, status: member('ProtectionUnitStatus', u.status) }))
}

/** Each status once, in the order given: `seen` must be an ordered subsequence of it. */
function inOrder (seen: unknown[], order: string[]): boolean {
  const positions = seen.map((status) => order.indexOf(String(status)))
  return positions.every((position, i) => position >= 0 && (i === 0 || position > (positions[i - 1] ?? -1)))
}

interface Run { code: number | null, stdout: string, stderr: string, seconds: number }

/** Runs the venv's Python with `args` (a script and its arguments, or `-` to read `input`). */
async function runPython (args: string[], input?: string): Promise<Run> {
  const started = Date.now()
  return await new Promise((resolve, reject) => {
    // The mock is on loopback: no proxy from the environment may stand between.
    const child = spawn(python, args, { env: { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost' }, stdio: ['pipe', 'pipe', 'pipe'] })
    child.stdin.end(input)
    let stdout = ''
    let stderr = ''
    const killer = setTimeout(() => { child.kill('SIGKILL') }, 300000)
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(killer)
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 })
    })
  })
}

t.test('msgraph-beta-sdk (Python) against the mock', async (t) => {
  if (!existsSync(python)) {
    t.fail(`no Python venv at ${python}: run \`npm run clients:python\` first (it needs python3 3.11+)`)
    return
  }
  const mock = await startGraphMock({
    port: 0,
    data: { ...tenant, exchangeRestoreSessions: sessions },
    pageSize: PAGE_SIZE,
    // Real time with short steps: a restore ends about 0.15 s after activation, a policy is active 0.2 s after.
    restoreStep: 'PT0.05S',
    protectionStep: 'PT0.2S'
  })
  t.teardown(mock.close)
  const beta = `${mock.url}/beta/${ROOT}`
  const graph = async <T>(path: string, headers: Record<string, string> = {}): Promise<{ status: number, body: T }> => {
    const response = await fetch(path.startsWith('http') ? path : `${beta}/${path}`, { headers: { ...AUTH, ...headers } })
    return { status: response.status, body: await response.json() as T }
  }

  // The mock's answers to the reads, before the Python program writes anything.
  const listed = await graph<Page<ExchangeRestoreSession>>(`exchangeRestoreSessions?${LIST_QUERY}`)
  const pages: Array<Page<ExchangeRestoreSession>> = []
  for (let next: string | undefined = `${beta}/exchangeRestoreSessions?$count=true`; next !== undefined;) {
    const page: Page<ExchangeRestoreSession> = (await graph<Page<ExchangeRestoreSession>>(next, PREFER)).body
    pages.push(page)
    next = page['@odata.nextLink']
  }
  const plain = await graph<ExchangeRestoreSession>(`exchangeRestoreSessions/${failedSession.id}`)
  const shown = await graph<ExchangeRestoreSession>(`exchangeRestoreSessions/${failedSession.id}`, PREFER)
  const missing = await graph<{ error: { code: string, message: string } }>(`exchangeRestoreSessions/${MISSING_ID}`)
  const retried = await graph<ExchangeRestoreSession>(`exchangeRestoreSessions/${RETRY_ID}`)

  const faults = await fetch(`${mock.url}/__admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ match: { method: 'GET', path: `/beta/${ROOT}/exchangeRestoreSessions/${RETRY_ID}` }, respond: { status: 429, retryAfter: 1 }, times: 2 })
  })
  const rule = await faults.json() as { id?: string }

  const run = await runPython([
    program,
    mock.url,
    '--session-id', failedSession.id ?? '',
    '--missing-id', MISSING_ID,
    ...RESTORE_POINTS.flatMap((point) => ['--restore-point', point]),
    ...MAILBOXES.flatMap((mailbox) => ['--mailbox', mailbox]),
    '--policy-name', POLICY_NAME,
    '--retry-id', RETRY_ID
  ])
  t.comment(`scenarios.py ran in ${run.seconds} s`)
  t.equal(run.code, 0, 'scenarios.py exits 0', { stderr: run.stderr, stdout: run.stdout })
  let results: Record<string, Wire> = {}
  try {
    results = JSON.parse(run.stdout) as Record<string, Wire>
  } catch {
    t.fail('scenarios.py printed one JSON object', { stdout: run.stdout, stderr: run.stderr })
    return
  }
  t.strictSame(Object.keys(results), ['list', 'paging', 'get', 'missing', 'restore', 'protection', 'retry'], 'a result for every scenario')

  t.test('1. $filter/$select/$orderby/$top/$count through the query-parameter class', async (t) => {
    t.equal(listed.status, 200)
    t.equal(listed.body.value.length, 5, '$top=5')
    t.equal(listed.body['@odata.count'], sessions.filter((s) => s.status === 'active' || s.status === 'completed').length, '$count: the whole filtered set')
    t.strictSame(results['list'], {
      count: listed.body['@odata.count'],
      // The nextLink echoes the query: the SDK sent exactly LIST_QUERY.
      nextLink: listed.body['@odata.nextLink'],
      type: 'ExchangeRestoreSessionCollectionResponse',
      value: listed.body.value.map((s) => ({
        type: 'ExchangeRestoreSession',
        odataType: '#microsoft.graph.exchangeRestoreSession',
        id: s.id,
        status: member('RestoreSessionStatus', s.status),
        createdDateTime: pythonIso(s.createdDateTime),
        restoreJobType: null,
        createdBy: null
      }))
    })
  })

  t.test('2. every page through msgraph_core PageIterator', async (t) => {
    const items = pages.flatMap((page) => page.value)
    t.equal(pages.length, Math.ceil(sessions.length / PAGE_SIZE), `${pages.length} pages of ${PAGE_SIZE}`)
    t.equal(items.length, sessions.length, 'the mock pages through every session')
    t.strictSame(results['paging'], {
      count: sessions.length,
      firstPage: PAGE_SIZE,
      items: items.map((s) => ({ id: s.id, status: member('RestoreSessionStatus', s.status) }))
    })
    t.ok(items.some((s) => s.status === 'failed'), 'the Prefer header went with every page (failed, not unknownFutureValue)')
  })

  t.test('3. one session by id: datetime objects and enum members', async (t) => {
    t.equal(plain.status, 200)
    t.strictSame(results['get'], { plain: sessionOf(plain.body), withPrefer: sessionOf(shown.body) })
    const got = results['get'] as { plain: Wire, withPrefer: Wire }
    t.equal(got.plain['status'], 'RestoreSessionStatus.unknownFutureValue', 'failed is evolvable: hidden without Prefer')
    t.equal(got.withPrefer['status'], 'RestoreSessionStatus.failed')
    t.equal(got.withPrefer['restoreJobType'], 'RestoreJobType.granular')
    t.equal(got.plain['createdDateTime'], pythonIso(failedSession.createdDateTime), 'a timezone-aware datetime')
  })

  t.test('4. a missing id raises ODataError with Graph\'s code and 404', async (t) => {
    t.equal(missing.status, 404)
    const got = results['missing'] ?? {}
    t.strictSame({ ...got, innerErrorRequestId: undefined, innerErrorDate: undefined }, {
      raised: 'ODataError',
      status: missing.status,
      code: missing.body.error.code,
      message: missing.body.error.message,
      innerErrorRequestId: undefined,
      innerErrorDate: undefined
    })
    t.equal(got['code'], 'RestoreSessionNotFound')
    t.match(got['innerErrorRequestId'], GUID, 'innerError.request-id')
    t.match(got['innerErrorDate'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, 'innerError.date, a datetime without a zone as Graph writes it')
  })

  t.test('5. restore: create, add artifacts, activate, poll to a terminal status', async (t) => {
    const got = results['restore'] as { created: { id: string }, seen: unknown[] } & Wire
    const id = got.created.id
    t.match(id, GUID)
    const session = await graph<ExchangeRestoreSession>(`exchangeRestoreSessions/${id}`, PREFER)
    const artifacts = await graph<Page<WireArtifact>>(`exchangeRestoreSessions/${id}/mailboxRestoreArtifacts?$expand=restorePoint&$top=50`, PREFER)
    t.equal(session.body.status, 'completedWithError')
    t.strictSame(session.body.restoreSessionArtifactCount, { completed: 2, failed: 1, inProgress: 0, total: 3 })
    t.strictSame(artifacts.body.value.map((a) => [a.restorePoint?.id, a.status, a.error?.code ?? null]), [
      [RESTORE_POINTS[0], 'succeeded', null], [RESTORE_POINTS[1], 'succeeded', null], [RESTORE_POINTS[2], 'failed', 'ArtifactCannotBeRestored']
    ])
    const created = session.body.createdDateTime
    t.strictSame(got, {
      created: {
        ...(sessionOf(session.body) as object),
        status: 'RestoreSessionStatus.draft',
        completedDateTime: null,
        lastModifiedDateTime: pythonIso(created),
        createdBy: { user: MOCK_USER.user, application: null },
        restoreSessionArtifactCount: { total: 1, completed: 0, inProgress: 0, failed: 0 }
      },
      added: artifacts.body.value.slice(1).map((a) => ({ type: 'MailboxRestoreArtifact', id: a.id, status: 'ArtifactRestoreStatus.added', destinationType: 'DestinationType.new' })),
      activated: { type: 'ExchangeRestoreSession', id, status: 'RestoreSessionStatus.activating' },
      seen: got.seen,
      final: sessionOf(session.body),
      artifacts: artifacts.body.value.map((a) => ({
        id: a.id,
        status: member('ArtifactRestoreStatus', a.status),
        destinationType: member('DestinationType', a.destinationType),
        restorePointId: a.restorePoint?.id,
        startDateTime: pythonIso(a.startDateTime),
        completionDateTime: pythonIso(a.completionDateTime),
        restoredFolderName: a.restoredFolderName,
        error: a.error?.code ?? null
      }))
    })
    t.equal(got.seen[0], 'RestoreSessionStatus.activating', 'the activate answer')
    t.equal(got.seen.at(-1), 'RestoreSessionStatus.completedWithError', 'the last poll')
    t.ok(inOrder(got.seen, ['activating', 'active', 'completedWithError'].map((s) => `RestoreSessionStatus.${s}`)), `statuses in order, none twice: ${got.seen.join(' → ')}`)
  })

  t.test('6. protection: a policy with mailbox units, activated, polled until active', async (t) => {
    const got = results['protection'] as { created: { id: string }, seen: unknown[] } & Wire
    const id = got.created.id
    t.match(id, GUID)
    const policy = await graph<WirePolicy>(`exchangeProtectionPolicies/${id}`)
    const units = await graph<Page<WireUnit>>(`exchangeProtectionPolicies/${id}/mailboxProtectionUnits`)
    t.equal(policy.body.status, 'active')
    t.strictSame(units.body.value.map((u) => [u.directoryObjectId, u.policyId, u.status]), MAILBOXES.map((m) => [m, id, 'protected']))
    const unitsOfPolicy = unitsOf(units.body.value) as Wire[]
    t.strictSame(got, {
      created: {
        ...(policyOf(policy.body) as object),
        status: 'ProtectionPolicyStatus.inactive',
        isEnabled: false,
        protectionPolicyArtifactCount: { total: 2, completed: 2, inProgress: 0, failed: 0 }
      },
      unitsBefore: unitsOfPolicy.map((u) => ({ ...u, status: 'ProtectionUnitStatus.unprotected' })),
      activated: {
        ...(policyOf(policy.body) as object),
        status: 'ProtectionPolicyStatus.updating',
        protectionPolicyArtifactCount: { total: 2, completed: 0, inProgress: 2, failed: 0 }
      },
      seen: got.seen,
      final: policyOf(policy.body),
      units: unitsOfPolicy
    })
    t.strictSame(got.seen, ['ProtectionPolicyStatus.updating', 'ProtectionPolicyStatus.active'], 'updating, then active')
  })

  t.test('7. a 429 with Retry-After from a fault rule, retried by the SDK\'s retry handler', async (t) => {
    t.equal(faults.status, 201, 'POST /__admin/faults', { body: rule })
    const log = await fetch(`${mock.url}/__admin/requests?method=GET&path=${encodeURIComponent(`/beta/${ROOT}/exchangeRestoreSessions/${RETRY_ID}`)}`)
    const entries = (await log.json() as { requests: Array<{ status: number, headers: Record<string, string>, responseHeaders: Record<string, string>, fault: { id: string } | null }> }).requests
    // The test's own GET came first, before the rule.
    const sdk = entries.slice(1)
    t.strictSame(sdk.map((e) => [e.status, e.headers['retry-attempt'] ?? null, e.responseHeaders['retry-after'] ?? null, e.fault?.id ?? null]), [
      [429, null, '1', rule.id],
      [429, '1', '1', rule.id],
      [200, '2', null, null]
    ], 'two throttled answers, then the retry with Retry-Attempt: 2 gets the session')
    const got = results['retry'] ?? {}
    t.equal(got['id'], retried.body.id, 'the SDK returned the session')
    t.ok(Number(got['seconds']) >= 2, `waited Retry-After twice (${String(got['seconds'])} s)`)
  })
  t.test('the README\'s Python snippet, run as it is there', async (t) => {
    const section = readFileSync(readme, 'utf8').split('### Python: msgraph-beta-sdk')[1] ?? ''
    const snippet = /```python\n([\s\S]*?)```/.exec(section)?.[1] ?? ''
    const setup = /^class StaticToken[\s\S]*?return GraphServiceClient\(request_adapter=adapter\)$/m.exec(snippet)?.[0]
    t.ok(setup !== undefined && readFileSync(program, 'utf8').includes(setup), 'scenarios.py begins with the same setup as the snippet')
    t.ok(snippet.includes('"http://127.0.0.1:8080"'), 'the snippet targets the port the README uses')
    const run = await runPython(['-'], snippet.replace('"http://127.0.0.1:8080"', JSON.stringify(mock.url)))
    t.equal(run.code, 0, 'the snippet exits 0', { stderr: run.stderr })
    const query = '$count=true&$filter=status%20eq%20%27active%27&$orderby=createdDateTime%20desc&$select=id,status,createdDateTime&$top=2'
    const active: ExchangeRestoreSession[] = []
    let count: number | undefined
    for (let next: string | undefined = `${beta}/exchangeRestoreSessions?${query}`; next !== undefined;) {
      const page: Page<ExchangeRestoreSession> = (await graph<Page<ExchangeRestoreSession>>(next)).body
      count ??= page['@odata.count']
      active.push(...page.value)
      next = page['@odata.nextLink']
    }
    t.ok(active.length > 2, 'more than one page')
    // print() writes a datetime with a space where isoformat() has the T.
    const created = (pythonIso(active[0]?.createdDateTime) ?? '').replace('T', ' ')
    t.equal(run.stdout, `${String(count)} ${active.length} ${String(active[0]?.status)} ${created}\n404 ${missing.body.error.code}\n`)
  })
})
