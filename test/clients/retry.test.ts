// Microsoft's JavaScript SDKs' own retry handlers against the mock's fault rules, configured the way
// a user configures them: @microsoft/microsoft-graph-client (over HTTPS, in this process through
// mock.dispatcher) with its default chain, a chain of its own with RetryHandlerOptions, and options
// per request; Kiota (GraphBetaRequestAdapter over plain HTTP) with its default Graph chain, the
// chain from msgraph-sdk-core with a RetryHandler of its own, and RetryHandlerOptions per request.
// Each case asserts what the client got (the entity, or the error with Graph's status, code, body
// and headers) and what the journal saw: how many requests, which rule faulted them, the
// Retry-Attempt header each retry carried, and that the client waited Retry-After (1 real second)
// before retrying. Retry-After is what both handlers sleep for, so each retry costs a second.

import type { ErrorMappings, RequestInformation as RequestInformationType } from '@microsoft/kiota-abstractions'
import type { ExchangeRestoreSession } from '@microsoft/msgraph-beta-sdk/models/index.js'
import type { ODataError } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js'
import type { GraphBetaRequestAdapter as GraphBetaRequestAdapterType } from '@microsoft/msgraph-beta-sdk'
import t, { type Test } from 'tap'
import type { GraphMock, JournalEntry } from '../../src/index.js'
import { session } from '../helper.js'

// Loading the SDKs and the mock through tap's loaders can take longer than tap's default 30 s on a
// busy machine: the timeout is raised first, then they are imported.
t.setTimeout(120000)
const {
  AuthenticationHandler,
  Client,
  GraphError,
  HTTPMessageHandler,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler
} = await import('@microsoft/microsoft-graph-client')
const { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider, HttpMethod, RequestInformation } = await import('@microsoft/kiota-abstractions')
const { RetryHandler: KiotaRetryHandler, RetryHandlerOptions: KiotaRetryHandlerOptions } = await import('@microsoft/kiota-http-fetchlibrary')
const { GraphBetaRequestAdapter } = await import('@microsoft/msgraph-beta-sdk')
const { createExchangeRestoreSessionFromDiscriminatorValue, serializeExchangeRestoreSession } = await import('@microsoft/msgraph-beta-sdk/models/index.js')
const { createODataErrorFromDiscriminatorValue } = await import('@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js')
const { getDefaultMiddlewares, GraphHttpClient } = await import('@microsoft/msgraph-sdk-core')
const { startGraphMock } = await import('../../src/index.js')

const ID = '0b5e5f30-1a2b-4c3d-8e9f-00000000a001'
const SET = '/solutions/backupRestore/exchangeRestoreSessions'
const ENTITY = `${SET}/${ID}`
const TOKEN = 'retry-test-token'
const sessions = [session(ID)]
const ENTITY_BODY = {
  '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions/$entity',
  '@odata.type': '#microsoft.graph.exchangeRestoreSession',
  ...session(ID)
}
const THROTTLED = { code: 'activityLimitReached', message: 'The request has been throttled' }
const UNAVAILABLE = { code: 'serviceNotAvailable', message: 'The service is not available. Try the request again after a delay.' }
const GENERAL = { code: 'generalException', message: 'An unspecified error has occurred.' }

/** What the journal shows of one request, for whole-array comparisons. */
interface Seen {
  method: string
  url: string
  status: number
  fault: JournalEntry['fault']
  earlyRetry: boolean
  retryAttempt: string | null
  retryAfter: string | null
}

function seen (entry: JournalEntry): Seen {
  return {
    method: entry.method,
    url: entry.url,
    status: entry.status,
    fault: entry.fault,
    earlyRetry: entry.earlyRetry,
    retryAttempt: entry.headers['retry-attempt'] ?? null,
    retryAfter: entry.responseHeaders['retry-after'] ?? null
  }
}

/** What the journal should show for attempt `n` (0: the first try): an answer from rule f1, or the route's own answer. */
function attempt (method: string, url: string, n: number, answer: { status: number, retryAfter?: string } | 'ok', okStatus = 200): Seen {
  return {
    method,
    url,
    status: answer === 'ok' ? okStatus : answer.status,
    fault: answer === 'ok' ? null : { id: 'f1', kind: 'status' },
    earlyRetry: false,
    retryAttempt: n === 0 ? null : String(n),
    retryAfter: answer === 'ok' ? null : answer.retryAfter ?? null
  }
}

/** Each retry came `seconds` (the Retry-After) after the attempt before it: the journal's times are the mock's real clock. */
function assertWaited (t: Test, entries: JournalEntry[], seconds: number): void {
  for (let i = 1; i < entries.length; i++) {
    const gap = Date.parse(entries[i]?.time ?? '') - Date.parse(entries[i - 1]?.time ?? '')
    // Date.parse works in whole milliseconds: a wait of 1000 ms can show as 999.
    t.ok(gap >= seconds * 1000 - 2, `retry ${i} came ${gap} ms after the attempt before it (Retry-After: ${seconds})`)
    // Both handlers' own delay is 3 s by default (and grows): a gap well under it shows the header won.
    t.ok(gap < seconds * 1000 + 1500, `retry ${i} did not wait much longer than Retry-After (${gap} ms)`)
  }
}

/** GraphError.body: the error object of Graph's answer, as JSON text. */
function errorBody (error: { body: unknown }): { innerError: Record<string, unknown> } & Record<string, unknown> {
  return JSON.parse(String(error.body)) as { innerError: Record<string, unknown> } & Record<string, unknown>
}

function caught (promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => 'no error', (error: unknown) => error)
}

// ---- @microsoft/microsoft-graph-client ----

t.test('@microsoft/microsoft-graph-client: RetryHandler against 429, 503 and 500 fault rules', async (t) => {
  const mock = await startGraphMock({ tls: true, sessions })
  t.teardown(mock.close)
  const dispatcher = mock.dispatcher
  if (dispatcher === undefined) throw new Error('an HTTPS mock has a dispatcher')
  const common = {
    baseUrl: `${mock.url}/`,
    defaultVersion: 'beta',
    customHosts: new Set([new URL(mock.url).hostname]),
    fetchOptions: { dispatcher }
  }
  // Client.init: the default chain, RetryHandler with RetryHandlerOptions() (delay 3 s, 3 retries).
  const defaultClient = Client.init({ ...common, authProvider: (done) => { done(null, TOKEN) } })
  // A chain of one's own (the documented order), retrying at most twice, 1 s apart without Retry-After.
  const authProvider = { getAccessToken: async () => TOKEN }
  const configured = Client.initWithMiddleware({
    ...common,
    middleware: [
      new AuthenticationHandler(authProvider),
      new RetryHandler(new RetryHandlerOptions(1, 2)),
      new RedirectHandler(),
      new TelemetryHandler(),
      new HTTPMessageHandler()
    ]
  })
  const url = `/beta${ENTITY}`
  const journal = (): JournalEntry[] => mock.requests({ path: url })
  t.beforeEach(() => { mock.reset() })

  t.test('a 429 with Retry-After: 1, once: the default chain retries after a second and gets the session', async (t) => {
    mock.faults.add({ match: { method: 'GET', path: '/beta/solutions/backupRestore/exchangeRestoreSessions/*' }, respond: { status: 429, retryAfter: 1 }, times: 1 })
    const body = await defaultClient.api(ENTITY).get() as unknown
    t.strictSame(body, ENTITY_BODY, 'the session, as an unfaulted GET answers it')
    const entries = journal()
    t.strictSame(entries.map(seen), [attempt('GET', url, 0, { status: 429, retryAfter: '1' }), attempt('GET', url, 1, 'ok')])
    assertWaited(t, entries, 1)
    const ids = entries.map((entry) => entry.headers['client-request-id'])
    t.match(ids[0], /^[0-9a-f-]{36}$/, 'the client sent a client-request-id')
    t.equal(ids[1], ids[0], 'the retry is the same request: the same client-request-id')
    t.equal(entries[1]?.headers['authorization'], 'Bearer retry-te…', 'the retry carries the token too (redacted in the journal)')
    t.match(mock.faults.get('f1'), { hits: 1, remaining: 0 }, 'the rule fired once and is used up')
  })

  t.test('a 429 that keeps coming: a chain with RetryHandlerOptions(1, 2) gives up after 2 retries with the 429', async (t) => {
    mock.faults.add({ match: { path: '/beta/solutions/backupRestore/exchangeRestoreSessions/*' }, respond: { status: 429, retryAfter: 1 }, times: 1000 })
    const error = await caught(configured.api(ENTITY).get())
    const entries = journal()
    t.strictSame(entries.map(seen), [0, 1, 2].map((n) => attempt('GET', url, n, { status: 429, retryAfter: '1' })), 'maxRetries + 1 = 3 requests, each faulted')
    assertWaited(t, entries, 1)
    if (!(error instanceof GraphError)) throw new Error(`not a GraphError: ${String(error)}`)
    const last = entries[2]
    t.strictSame({ statusCode: error.statusCode, code: error.code, message: error.message, requestId: error.requestId }, { statusCode: 429, ...THROTTLED, requestId: last?.requestId ?? 'none' }, 'the last answer, surfaced')
    const body = errorBody(error)
    t.strictSame(body, {
      ...THROTTLED,
      innerError: { code: 'throttledRequest', date: body.innerError['date'], 'request-id': last?.requestId, 'client-request-id': last?.headers['client-request-id'] }
    }, "Graph's throttled body, innerError.code throttledRequest")
    t.match(body.innerError['date'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, 'innerError.date as Graph writes it')
    t.equal(error.headers?.get('retry-after'), '1', 'Retry-After on the error the client surfaces')
    t.match(mock.faults.get('f1'), { hits: 3, remaining: 997 })
  })

  t.test('a 500 generalException is not retried: one request, the error at once', async (t) => {
    mock.faults.add({ match: { method: 'GET' }, respond: { status: 500 }, times: 1 })
    const error = await caught(configured.api(ENTITY).get())
    t.strictSame(journal().map(seen), [attempt('GET', url, 0, { status: 500 })], 'one request, no Retry-After')
    if (!(error instanceof GraphError)) throw new Error(`not a GraphError: ${String(error)}`)
    t.strictSame({ statusCode: error.statusCode, code: error.code, message: error.message }, { statusCode: 500, ...GENERAL })
    t.strictSame(Object.keys(errorBody(error).innerError), ['date', 'request-id', 'client-request-id'], 'a 500 has no innerError.code')
    t.equal(error.headers?.get('retry-after'), null)
  })

  t.test('a 503 with Retry-After: 1, with RetryHandlerOptions(1, 1) for this request only: retried once, succeeds', async (t) => {
    mock.faults.add({ match: { method: 'GET' }, respond: { status: 503, retryAfter: 1 }, times: 1 })
    const body = await defaultClient.api(ENTITY).middlewareOptions([new RetryHandlerOptions(1, 1)]).get() as unknown
    t.strictSame(body, ENTITY_BODY)
    const entries = journal()
    t.strictSame(entries.map(seen), [attempt('GET', url, 0, { status: 503, retryAfter: '1' }), attempt('GET', url, 1, 'ok')])
    assertWaited(t, entries, 1)
  })

  t.test('a 503 that keeps coming, with RetryHandlerOptions(1, 1) for this request: 2 requests, then the 503', async (t) => {
    mock.faults.add({ match: { method: 'GET' }, respond: { status: 503, retryAfter: 1 }, times: 5 })
    const error = await caught(defaultClient.api(ENTITY).middlewareOptions([new RetryHandlerOptions(1, 1)]).get())
    t.strictSame(journal().map(seen), [0, 1].map((n) => attempt('GET', url, n, { status: 503, retryAfter: '1' })))
    t.match(error, { statusCode: 503, ...UNAVAILABLE })
    t.ok(error instanceof GraphError)
  })
})

t.test('@microsoft/microsoft-graph-client against the throttling budget: it waits Retry-After, so no early retry', async (t) => {
  // Two requests per 2 s: the third gets the budget's 429 with Retry-After the rest of the window
  // (2 s, or 1 s on a machine slow enough to take a second over the first two reads).
  const mock = await startGraphMock({ tls: true, sessions, throttleLimit: 2, throttleWindow: 'PT2S' })
  t.teardown(mock.close)
  const dispatcher = mock.dispatcher
  if (dispatcher === undefined) throw new Error('an HTTPS mock has a dispatcher')
  const client = Client.init({
    authProvider: (done) => { done(null, TOKEN) },
    baseUrl: `${mock.url}/`,
    defaultVersion: 'beta',
    customHosts: new Set([new URL(mock.url).hostname]),
    fetchOptions: { dispatcher }
  })
  for (let i = 0; i < 3; i++) t.strictSame(await client.api(ENTITY).get(), ENTITY_BODY, `read ${i + 1}`)
  const entries = mock.requests()
  const url = `/beta${ENTITY}`
  const retryAfter = entries[2]?.responseHeaders['retry-after'] ?? 'none'
  t.match(retryAfter, /^[12]$/, 'Retry-After: the seconds left in the window')
  t.strictSame(entries.map((entry) => ({ ...seen(entry), remaining: entry.responseHeaders['ratelimit-remaining'] ?? null })), [
    { ...attempt('GET', url, 0, 'ok'), remaining: null },
    { ...attempt('GET', url, 0, 'ok'), remaining: '0' },
    { ...attempt('GET', url, 0, { status: 429, retryAfter }), fault: null, remaining: '0' },
    { ...attempt('GET', url, 1, 'ok'), remaining: null }
  ], 'the third read refused by the budget (no fault rule), retried in a new window; no entry is an early retry')
  assertWaited(t, entries.slice(2), Number(retryAfter))
  t.equal(mock.countRequests({ status: 429 }), 1)
})

// ---- Kiota: GraphBetaRequestAdapter ----

const errorMappings: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue }

function kiotaAuth (origin: string): InstanceType<typeof BaseBearerTokenAuthenticationProvider> {
  return new BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: async () => TOKEN,
    getAllowedHostsValidator: () => new AllowedHostsValidator(new Set([new URL(origin).hostname]))
  })
}

function entityRequest (): RequestInformationType {
  const info = new RequestInformation(HttpMethod.GET, '{+baseurl}/solutions/backupRestore/exchangeRestoreSessions/{id}')
  info.pathParameters['id'] = ID
  info.headers.tryAdd('Accept', 'application/json')
  return info
}

function isODataError (error: unknown): error is ODataError {
  return typeof error === 'object' && error !== null && 'responseStatusCode' in error && 'errorEscaped' in error
}

/** An ODataError as plain values: status, Graph's code and message, the inner error, the headers. */
function describeODataError (error: unknown): unknown {
  if (!isODataError(error)) return `not an ODataError: ${error instanceof Error ? error.message : String(error)}`
  const inner = error.errorEscaped?.innerError
  return {
    responseStatusCode: error.responseStatusCode,
    code: error.errorEscaped?.code,
    message: error.errorEscaped?.message,
    innerError: {
      requestId: inner?.requestId,
      clientRequestId: inner?.clientRequestId,
      dateIsDate: inner?.date instanceof Date,
      additionalData: inner?.additionalData
    },
    retryAfter: error.responseHeaders?.['retry-after']
  }
}

t.test('Kiota (GraphBetaRequestAdapter): RetryHandler against 429, 503 and 500 fault rules', async (t) => {
  const mock: GraphMock = await startGraphMock({ sessions })
  t.teardown(mock.close)
  const baseUrl = `${mock.url}/beta`
  // The adapter as the SDK builds it: msgraph-sdk-core's default chain, RetryHandler with its defaults (3 s, 3 retries).
  const defaultAdapter = new GraphBetaRequestAdapter(kiotaAuth(mock.url))
  defaultAdapter.baseUrl = baseUrl
  // The same chain with a RetryHandler of one's own: at most 2 retries, 1 s apart without Retry-After.
  const telemetry = { graphServiceTargetVersion: 'beta', graphServiceLibraryClientVersion: '1.0.0' }
  const middlewares = getDefaultMiddlewares({ graphTelemetryOption: telemetry })
  const index = middlewares.findIndex((middleware) => middleware instanceof KiotaRetryHandler)
  t.ok(index >= 0, 'the default chain has a RetryHandler to replace')
  middlewares.splice(index, 1, new KiotaRetryHandler(new KiotaRetryHandlerOptions({ delay: 1, maxRetries: 2 })))
  const configured = new GraphBetaRequestAdapter(kiotaAuth(mock.url), undefined, undefined, new GraphHttpClient(telemetry, undefined, ...middlewares))
  configured.baseUrl = baseUrl
  const url = `/beta${ENTITY}`
  const journal = (): JournalEntry[] => mock.requests({ path: url })
  const read = async (adapter: GraphBetaRequestAdapterType, info = entityRequest()): Promise<ExchangeRestoreSession | undefined> =>
    await adapter.send<ExchangeRestoreSession>(info, createExchangeRestoreSessionFromDiscriminatorValue, errorMappings)
  t.beforeEach(() => { mock.reset() })

  t.test('a 429 with Retry-After: 1, once: the default chain retries after a second and gets the typed session', async (t) => {
    mock.faults.add({ match: { method: 'GET', path: '/beta/solutions/backupRestore/exchangeRestoreSessions/*' }, respond: { status: 429, retryAfter: 1 }, times: 1 })
    const entity = await read(defaultAdapter)
    t.strictSame({ id: entity?.id, status: entity?.status, created: entity?.createdDateTime?.toISOString(), by: entity?.createdBy?.user?.displayName },
      { id: ID, status: 'active', created: '2025-03-01T10:00:00.000Z', by: 'Megan Bowen' })
    const entries = journal()
    t.strictSame(entries.map(seen), [attempt('GET', url, 0, { status: 429, retryAfter: '1' }), attempt('GET', url, 1, 'ok')])
    assertWaited(t, entries, 1)
    t.equal(entries[1]?.headers['authorization'], 'Bearer retry-te…', 'the retry carries the token too')
  })

  t.test('a 429 that keeps coming: RetryHandlerOptions({ delay: 1, maxRetries: 2 }) in the chain gives up after 2 retries', async (t) => {
    mock.faults.add({ match: { path: '/beta/solutions/backupRestore/exchangeRestoreSessions/*' }, respond: { status: 429, retryAfter: 1 }, times: 1000 })
    const error = await caught(read(configured))
    const entries = journal()
    t.strictSame(entries.map(seen), [0, 1, 2].map((n) => attempt('GET', url, n, { status: 429, retryAfter: '1' })), 'maxRetries + 1 = 3 requests')
    assertWaited(t, entries, 1)
    const last = entries[2]
    t.strictSame(describeODataError(error), {
      responseStatusCode: 429,
      ...THROTTLED,
      innerError: { requestId: last?.requestId, clientRequestId: last?.responseHeaders['client-request-id'], dateIsDate: true, additionalData: { code: 'throttledRequest' } },
      retryAfter: ['1']
    }, 'the last 429 as an ODataError: Graph\'s code, innerError.code throttledRequest, Retry-After')
  })

  t.test('a 500 generalException is not retried', async (t) => {
    mock.faults.add({ match: { method: 'GET' }, respond: { status: 500 }, times: 1 })
    const error = await caught(read(configured))
    const entries = journal()
    t.strictSame(entries.map(seen), [attempt('GET', url, 0, { status: 500 })], 'one request')
    t.strictSame(describeODataError(error), {
      responseStatusCode: 500,
      ...GENERAL,
      innerError: { requestId: entries[0]?.requestId, clientRequestId: entries[0]?.responseHeaders['client-request-id'], dateIsDate: true, additionalData: undefined },
      retryAfter: undefined
    })
  })

  t.test('a 503 with Retry-After: 1, with RetryHandlerOptions for this request only: retried once, succeeds', async (t) => {
    mock.faults.add({ match: { method: 'GET' }, respond: { status: 503, retryAfter: 1 }, times: 1 })
    const info = entityRequest()
    info.addRequestOptions([new KiotaRetryHandlerOptions({ maxRetries: 1 })])
    const entity = await read(defaultAdapter, info)
    t.equal(entity?.id, ID)
    const entries = journal()
    t.strictSame(entries.map(seen), [attempt('GET', url, 0, { status: 503, retryAfter: '1' }), attempt('GET', url, 1, 'ok')])
    assertWaited(t, entries, 1)
  })

  t.test('a create throttled once is retried with the same body, and creates one session', async (t) => {
    mock.faults.add({ match: { method: 'POST', path: '/beta/solutions/backupRestore/exchangeRestoreSessions' }, respond: { status: 429, retryAfter: 1 }, times: 1 })
    const info = new RequestInformation(HttpMethod.POST, '{+baseurl}/solutions/backupRestore/exchangeRestoreSessions')
    info.headers.tryAdd('Accept', 'application/json')
    info.setContentFromParsable(defaultAdapter, 'application/json', {}, serializeExchangeRestoreSession)
    const created = await defaultAdapter.send<ExchangeRestoreSession>(info, createExchangeRestoreSessionFromDiscriminatorValue, errorMappings)
    t.equal(created?.status, 'draft')
    const entries = mock.requests({ method: 'POST' })
    const setUrl = `/beta${SET}`
    t.strictSame(entries.map(seen), [attempt('POST', setUrl, 0, { status: 429, retryAfter: '1' }), attempt('POST', setUrl, 1, 'ok', 201)])
    t.strictSame(entries[1]?.body, entries[0]?.body, 'the retry sent the same body')
    const count = await fetch(`${baseUrl}${SET}/$count`, { headers: { authorization: `Bearer ${TOKEN}` } })
    t.equal(await count.text(), '2', 'the faulted attempt wrote nothing: one session more than the seed')
  })
})
