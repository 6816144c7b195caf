// Throttling over a real connection, as a client meets it: THROTTLE_LIMIT=3 per THROTTLE_WINDOW=PT2S
// and namespace. The 4th request in the window is Graph's 429 with Retry-After and the RateLimit
// headers; coming back before Retry-After has passed is refused again and journaled as an early
// retry; after Retry-After, a new window. Each namespace has its own budget; a reset gives a fresh one.

import t, { type Test } from 'tap'
import { startGraphMock, type GraphMock } from '../../src/index.js'

const SESSIONS = '/beta/solutions/backupRestore/exchangeRestoreSessions'
const S1 = '11111111-aaaa-4000-8000-000000000001'
const AUTH = { authorization: 'Bearer test-token' }
const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'
const ONE = { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions(id)/$entity', '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: S1 }

interface Answer {
  status: number
  headers: Record<string, string>
  body: unknown
  /** When the answer arrived (Date.now()). */
  at: number
}

async function start (t: Test): Promise<GraphMock> {
  const mock = await startGraphMock({ sessions: [{ id: S1, status: 'draft' }], throttleLimit: 3, throttleWindow: 'PT2S', logLevel: 'silent' })
  t.teardown(mock.close)
  return mock
}

async function call (mock: GraphMock, path: string, headers: Record<string, string> = AUTH): Promise<Answer> {
  const response = await fetch(`${mock.url}${path}`, { headers })
  const text = await response.text()
  return { status: response.status, headers: Object.fromEntries(response.headers), body: text === '' ? null : JSON.parse(text), at: Date.now() }
}

const one = (mock: GraphMock, prefix = ''): Promise<Answer> => call(mock, `${prefix}${SESSIONS}/${S1}?$select=id`)

/** The headers of a Graph answer that the throttling does not decide, with their values. */
function graphHeaders (answer: Answer): Record<string, string> {
  const requestId = answer.headers['request-id'] ?? ''
  return {
    'request-id': requestId,
    'client-request-id': requestId,
    'odata-version': '4.0',
    'cache-control': 'no-cache',
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'request-id, client-request-id, Location, Retry-After, Preference-Applied, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset',
    'content-type': GRAPH_JSON,
    'content-length': String(Buffer.byteLength(JSON.stringify(answer.body))),
    date: answer.headers.date ?? '',
    connection: 'keep-alive',
    'keep-alive': 'timeout=72'
  }
}

function throttledBody (answer: Answer): unknown {
  const requestId = answer.headers['request-id']
  const date = (answer.body as { error?: { innerError?: { date?: unknown } } }).error?.innerError?.date
  return { error: { code: 'activityLimitReached', message: 'The request has been throttled', innerError: { code: 'throttledRequest', date, 'request-id': requestId, 'client-request-id': requestId } } }
}

function rateLimit (remaining: number, reset: string): Record<string, string> {
  return { 'ratelimit-limit': '3', 'ratelimit-remaining': String(remaining), 'ratelimit-reset': reset }
}

const sleep = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }

t.test('past the budget: 429 with Retry-After and the RateLimit headers; early retries refused and marked; after Retry-After, 200', async (t) => {
  const mock = await start(t)
  // Warm the request path in a namespace of its own, whose budget is not the default one's.
  for (let i = 0; i < 3; i++) t.equal((await one(mock, '/_ns/warm')).status, 200)

  const first = await one(mock)
  const second = await one(mock)
  const third = await one(mock)
  const throttled = await one(mock)
  const early = await one(mock)
  t.ok(throttled.at - first.at < 1000, `the first four answers within a second (${throttled.at - first.at} ms), so the window has two seconds left, rounded up`)

  for (const answer of [first, second]) {
    t.equal(answer.status, 200)
    t.strictSame(answer.body, ONE)
    t.strictSame(answer.headers, graphHeaders(answer), 'below 80% of the budget: no RateLimit headers')
  }
  t.equal(third.status, 200)
  t.strictSame(third.body, ONE)
  t.strictSame(third.headers, { ...graphHeaders(third), ...rateLimit(0, '2') }, 'the budget used up: the RateLimit headers, nothing remaining')

  t.equal(throttled.status, 429)
  t.strictSame(throttled.body, throttledBody(throttled), "Graph's throttled body")
  t.match((throttled.body as { error: { innerError: { date: string } } }).error.innerError.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/)
  t.strictSame(throttled.headers, { ...graphHeaders(throttled), 'retry-after': '2', ...rateLimit(0, '2') }, 'Retry-After: the rest of the window')

  t.equal(early.status, 429)
  t.strictSame(early.body, throttledBody(early))
  t.strictSame(early.headers, { ...graphHeaders(early), 'retry-after': '2', ...rateLimit(0, '2') }, 'an early retry is told the time still left')

  t.equal((await fetch(`${mock.url}/healthz`)).status, 200, '/healthz is not throttled')
  const journal = await fetch(`${mock.url}/__admin/requests?status=429`)
  t.equal(journal.status, 200, 'nor is the control plane')
  const refused = (await journal.json() as { requests: Array<Record<string, unknown>> }).requests
  t.strictSame(refused.map((entry) => [entry.namespace, entry.requestId, entry.status, entry.fault, entry.earlyRetry]), [
    ['default', throttled.headers['request-id'], 429, null, false],
    ['default', early.headers['request-id'], 429, null, true]
  ], 'the journal marks the retry that came before Retry-After')
  t.match(refused[0]?.responseHeaders, { 'retry-after': '2', 'ratelimit-limit': '3', 'ratelimit-remaining': '0', 'ratelimit-reset': '2' })
  t.equal(mock.countRequests({ status: 429 }), 2)

  // A client that honours Retry-After: back once it has passed (counted from the 429).
  await sleep(Math.max(0, throttled.at + 2000 + 20 - Date.now()))
  const after = await one(mock)
  t.equal(after.status, 200, 'after Retry-After: a new window')
  t.strictSame(after.body, ONE)
  t.strictSame(after.headers, graphHeaders(after), 'the first request of a new window')
  t.strictSame(mock.requests().slice(-1).map((entry) => [entry.status, entry.earlyRetry]), [[200, false]])
})

t.test('each namespace has its own budget; requests the bearer check refuses use none; a reset gives a fresh one', async (t) => {
  const mock = await start(t)
  for (let i = 0; i < 3; i++) t.equal((await one(mock)).status, 200)
  t.equal((await one(mock)).status, 429, 'default: used up')

  for (let i = 0; i < 4; i++) t.equal((await call(mock, `/_ns/b${SESSIONS}/${S1}`, {})).status, 401, 'no token: 401, not 429')
  const inB = [await one(mock, '/_ns/b'), await one(mock, '/_ns/b'), await one(mock, '/_ns/b')]
  t.strictSame(inB.map((answer) => answer.status), [200, 200, 200], 'b: its own three, untouched by the 401s')
  t.strictSame(inB[2]?.headers['ratelimit-remaining'], '0')
  const byHeader = await call(mock, `${SESSIONS}/${S1}?$select=id`, { ...AUTH, 'x-graph-mock-namespace': 'b' })
  t.equal(byHeader.status, 429, 'b by header: the same budget as b by prefix')
  t.equal(byHeader.headers['retry-after'], byHeader.headers['ratelimit-reset'])
  t.strictSame(byHeader.body, throttledBody(byHeader))

  const reset = await fetch(`${mock.url}/_ns/b/__admin/reset`, { method: 'POST' })
  t.equal(reset.status, 200)
  t.strictSame(await reset.json(), { reset: ['b'] })
  const fresh = await one(mock, '/_ns/b')
  t.equal(fresh.status, 200, 'b after its reset: a fresh budget, no wait')
  t.strictSame(fresh.headers, graphHeaders(fresh))
  t.equal((await one(mock)).status, 429, 'default: still waiting out its Retry-After')
  mock.reset()
  t.equal((await one(mock)).status, 200, 'default after mock.reset(): a fresh budget')
})
