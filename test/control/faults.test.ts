import t from 'tap'
import { AdminError } from '../../src/control/admin-error.js'
import { FaultRules, globToRegExp, parseFaultRule, throttledError, type FaultRequest } from '../../src/control/faults.js'
import { graphErrorBody } from '../../src/graph/error-body.js'

const NOW = Date.parse('2026-01-01T00:00:00.000Z')
const LIST = '/beta/solutions/backupRestore/exchangeRestoreSessions'

function request (overrides: Partial<FaultRequest> = {}): FaultRequest {
  return { method: 'GET', path: LIST, query: {}, headers: {}, namespace: 'default', ...overrides }
}

/** The AdminError `fn` throws, as plain data. */
function refusal (fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    if (error instanceof AdminError) return { statusCode: error.statusCode, code: error.code, message: error.message }
    throw error
  }
  return 'nothing thrown'
}

t.test('parseFaultRule normalises a full rule: method upper case, header names lower case, defaults filled in', async (t) => {
  t.strictSame(parseFaultRule({
    match: { method: 'get', path: `${LIST}*`, query: { $top: '5', $filter: true }, headers: { 'X-Name': ' value ', Prefer: true }, namespace: 'team1' },
    respond: { status: 429, headers: { 'X-Extra': 'yes' } },
    latency: { minMs: 10, maxMs: 20 },
    times: 2,
    probability: 0.5,
    seed: 7,
    from: '2026-01-01T01:00:00+01:00',
    until: '2026-01-02T00:00:00.5Z'
  }), {
    match: { method: 'GET', path: `${LIST}*`, query: { $top: '5', $filter: true }, headers: { 'x-name': 'value', prefer: true }, namespace: 'team1' },
    respond: { status: 429, code: 'activityLimitReached', message: 'The request has been throttled', retryAfter: 1, headers: { 'x-extra': 'yes' } },
    latency: { minMs: 10, maxMs: 20 },
    times: 2,
    probability: 0.5,
    seed: 7,
    from: '2026-01-01T00:00:00.000Z',
    until: '2026-01-02T00:00:00.500Z'
  })
})

t.test("each status's defaults: Graph's code and wording, Retry-After for 429 and 503", async (t) => {
  const respond = (r: unknown) => parseFaultRule({ respond: r }).respond
  t.strictSame(respond({ status: 429 }), { status: 429, code: 'activityLimitReached', message: 'The request has been throttled', retryAfter: 1 })
  t.strictSame(respond({ status: 503 }), { status: 503, code: 'serviceNotAvailable', message: 'The service is not available. Try the request again after a delay.', retryAfter: 1 })
  t.strictSame(respond({ status: 504 }), { status: 504, code: 'gatewayTimeout', message: 'The gateway did not receive a response from the service in time.' })
  t.strictSame(respond({ status: 500 }), { status: 500, code: 'generalException', message: 'An unspecified error has occurred.' })
  t.strictSame(respond({ status: 429, retryAfter: 30 }), { status: 429, code: 'activityLimitReached', message: 'The request has been throttled', retryAfter: 30 }, 'retryAfter overrides')
  t.strictSame(respond({ status: 429, retryAfter: 0 }), { status: 429, code: 'activityLimitReached', message: 'The request has been throttled', retryAfter: 0 })
  t.strictSame(respond({ status: 429, code: 'TooManyRequests' }), { status: 429, code: 'TooManyRequests', message: 'A fault rule answered this request with 429 TooManyRequests.', retryAfter: 1 }, 'another code: a message saying so')
  t.strictSame(respond({ status: 409, code: 'conflict', message: '' }), { status: 409, code: 'conflict', message: '' })
  t.strictSame(respond({ status: 418, code: 'teapot' }), { status: 418, code: 'teapot', message: 'A fault rule answered this request with 418 teapot.' })
  t.strictSame(respond({ status: 500, retryAfter: 3 }), { status: 500, code: 'generalException', message: 'An unspecified error has occurred.', retryAfter: 3 })
  t.strictSame(parseFaultRule({ connection: 'reset' }), { match: {}, connection: 'reset' }, 'no match: every request')
  t.strictSame(parseFaultRule({ latency: { ms: 0 } }), { match: {}, latency: { ms: 0 } })
})

t.test('every field is checked: a 400 invalidRequest naming it', async (t) => {
  const cases: Array<[string, unknown, string]> = [
    ['not an object', [], 'A fault rule must be a JSON object, not a list.'],
    ['null', null, 'A fault rule must be a JSON object, not null.'],
    ['unknown key', { respond: { status: 500 }, repeat: 2 }, "Unknown property 'repeat' in the fault rule; it takes match, respond, latency, connection, times, probability, seed, from, until."],
    ['unknown match key', { match: { url: '/x' }, respond: { status: 500 } }, "Unknown property 'url' in match; it takes method, path, pathRegex, query, headers, namespace."],
    ['match not an object', { match: '/beta/*', respond: { status: 500 } }, "match must be an object, not '/beta/*'."],
    ['no effect', { match: { method: 'GET' } }, 'A fault rule needs an effect: respond (a status), latency, or connection.'],
    ['empty rule', {}, 'A fault rule needs an effect: respond (a status), latency, or connection.'],
    ['bad method', { match: { method: 'GET /x' }, respond: { status: 500 } }, "match.method must be an HTTP method such as GET, not 'GET /x'."],
    ['empty path', { match: { path: '' }, respond: { status: 500 } }, 'match.path must not be empty.'],
    ['path a number', { match: { path: 5 }, respond: { status: 500 } }, 'match.path must be a string, not 5.'],
    ['path and pathRegex', { match: { path: '/a', pathRegex: '^/a' }, respond: { status: 500 } }, 'match.path and match.pathRegex cannot both be given: a glob or a regular expression, not both.'],
    ['bad regex', { match: { pathRegex: '(' }, respond: { status: 500 } }, 'match.pathRegex is not a valid regular expression: Invalid regular expression: /(/i: Unterminated group.'],
    ['long regex', { match: { pathRegex: 'a'.repeat(1001) }, respond: { status: 500 } }, 'match.pathRegex is longer than 1000 characters.'],
    ['query not an object', { match: { query: '$top=5' }, respond: { status: 500 } }, "match.query must be an object of parameter name → value or true, not '$top=5'."],
    ['query value', { match: { query: { $top: 5 } }, respond: { status: 500 } }, 'match.query.$top must be a string or true, not 5.'],
    ['query false', { match: { query: { $top: false } }, respond: { status: 500 } }, 'match.query.$top must be a string or true, not false.'],
    ['header name', { match: { headers: { 'x y': true } }, respond: { status: 500 } }, "match.headers has 'x y', which is not a header name."],
    ['namespace', { match: { namespace: 3 }, respond: { status: 500 } }, 'match.namespace must be a string, not 3.'],
    ['respond not an object', { respond: 429 }, 'respond must be an object, not 429.'],
    ['no status', { respond: { code: 'x' } }, 'respond.status is required: the status to answer with, from 400 to 599.'],
    ['status 200', { respond: { status: 200 } }, 'respond.status must be a whole number from 400 to 599, not 200.'],
    ['status 600', { respond: { status: 600 } }, 'respond.status must be a whole number from 400 to 599, not 600.'],
    ['status text', { respond: { status: '429' } }, "respond.status must be a whole number from 400 to 599, not '429'."],
    ['status fraction', { respond: { status: 429.5 } }, 'respond.status must be a whole number from 400 to 599, not 429.5.'],
    ['no code for 418', { respond: { status: 418 } }, 'respond.code is required for status 418: only 429, 500, 503, 504 have a default code.'],
    ['empty code', { respond: { status: 418, code: '' } }, 'respond.code must not be empty.'],
    ['unknown respond key', { respond: { status: 429, body: {} } }, "Unknown property 'body' in respond; it takes status, code, message, retryAfter, headers."],
    ['retryAfter negative', { respond: { status: 429, retryAfter: -1 } }, 'respond.retryAfter must be a whole number from 0 to 86400, not -1.'],
    ['retryAfter text', { respond: { status: 429, retryAfter: '1' } }, "respond.retryAfter must be a whole number from 0 to 86400, not '1'."],
    ['header value', { respond: { status: 429, headers: { 'x-a': 1 } } }, 'respond.headers.x-a must be a string that can be sent in a header, not 1.'],
    ['header value newline', { respond: { status: 429, headers: { 'x-a': 'a\r\nb' } } }, "respond.headers.x-a must be a string that can be sent in a header, not 'a\r\nb'."],
    ['framing header', { respond: { status: 429, headers: { 'Content-Length': '5' } } }, "respond.headers cannot set content-length: it frames the answer; use connection 'truncated' to cut an answer short."],
    ['latency not an object', { latency: 100 }, 'latency must be an object, not 100.'],
    ['latency empty', { latency: {} }, 'latency needs ms (a fixed delay), or minMs and maxMs (a uniform one).'],
    ['latency min only', { latency: { minMs: 5 } }, 'latency needs ms (a fixed delay), or minMs and maxMs (a uniform one).'],
    ['latency both', { latency: { ms: 5, maxMs: 9 } }, 'latency takes either ms, or minMs and maxMs, not both.'],
    ['latency min > max', { latency: { minMs: 300, maxMs: 100 } }, 'latency.minMs (300) must not be above latency.maxMs (100).'],
    ['latency negative', { latency: { ms: -5 } }, 'latency.ms must be a whole number from 0 to 600000, not -5.'],
    ['latency too long', { latency: { ms: 600001 } }, 'latency.ms must be a whole number from 0 to 600000, not 600001.'],
    ['latency unknown key', { latency: { ms: 5, jitter: 1 } }, "Unknown property 'jitter' in latency; it takes ms, minMs, maxMs."],
    ['connection', { connection: 'drop' }, "connection must be one of reset, empty, truncated, not 'drop'."],
    ['reset with respond', { connection: 'reset', respond: { status: 500 } }, "connection 'reset' closes the connection before any answer, so it cannot have respond; connection 'truncated' cuts the respond answer short."],
    ['empty with respond', { connection: 'empty', respond: { status: 500 } }, "connection 'empty' closes the connection before any answer, so it cannot have respond; connection 'truncated' cuts the respond answer short."],
    ['times 0', { respond: { status: 500 }, times: 0 }, 'times must be a whole number from 1 to 1000000000, not 0.'],
    ['times fraction', { respond: { status: 500 }, times: 1.5 }, 'times must be a whole number from 1 to 1000000000, not 1.5.'],
    ['probability above 1', { respond: { status: 500 }, probability: 1.5 }, 'probability must be a number from 0 to 1, not 1.5.'],
    ['probability below 0', { respond: { status: 500 }, probability: -0.1 }, 'probability must be a number from 0 to 1, not -0.1.'],
    ['probability text', { respond: { status: 500 }, probability: '0.5' }, "probability must be a number from 0 to 1, not '0.5'."],
    ['seed', { respond: { status: 500 }, seed: -1 }, 'seed must be a whole number from 0 to 4294967295, not -1.'],
    ['from not ISO', { respond: { status: 500 }, from: 'tomorrow' }, "from must be an ISO 8601 instant with a time zone, such as 2026-01-01T00:00:00Z, not 'tomorrow'."],
    ['from without zone', { respond: { status: 500 }, from: '2026-01-01T00:00:00' }, "from must be an ISO 8601 instant with a time zone, such as 2026-01-01T00:00:00Z, not '2026-01-01T00:00:00'."],
    ['from epoch ms', { respond: { status: 500 }, from: 1767225600000 }, 'from must be an ISO 8601 instant with a time zone, such as 2026-01-01T00:00:00Z, not 1767225600000.'],
    ['until not ISO', { respond: { status: 500 }, until: '2026-13-45T00:00:00Z' }, "until must be an ISO 8601 instant with a time zone, such as 2026-01-01T00:00:00Z, not '2026-13-45T00:00:00Z'."],
    ['until before from', { respond: { status: 500 }, from: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' }, 'until (2026-01-01T00:00:00Z) must be after from (2026-01-02T00:00:00Z).']
  ]
  for (const [name, body, message] of cases) {
    t.strictSame(refusal(() => parseFaultRule(body)), { statusCode: 400, code: 'invalidRequest', message }, name)
  }
})

t.test('globs: * any characters (/ included), ? one, case-insensitive, the whole path', async (t) => {
  const glob = globToRegExp('/beta/*/exchange?estoreSessions')
  t.ok(glob.test('/beta/solutions/backupRestore/exchangeRestoreSessions'))
  t.ok(glob.test('/BETA/Solutions/backupRestore/EXCHANGERESTORESESSIONS'))
  t.notOk(glob.test('/beta/solutions/backupRestore/exchangeRestoreSessions/x'), 'anchored at the end')
  t.notOk(glob.test('/v1.0/beta/x/exchangeRestoreSessions'), 'anchored at the start')
  t.notOk(glob.test('/beta/x/exchangeestoreSessions'), '? is exactly one character')
  t.ok(globToRegExp('/a.b(c)+[d]').test('/a.b(c)+[d]'), 'regex characters are literal')
  t.notOk(globToRegExp('/a.b').test('/axb'))
  t.ok(globToRegExp('*').test(''))
})

t.test('ids count from f1; list, get, delete and clear; size counts the rules held', async (t) => {
  const rules = new FaultRules()
  t.equal(rules.size, 0)
  const first = rules.add({ respond: { status: 503 } }, NOW)
  t.strictSame(first, {
    id: 'f1',
    match: {},
    respond: { status: 503, code: 'serviceNotAvailable', message: 'The service is not available. Try the request again after a delay.', retryAfter: 1 },
    remaining: null,
    seed: first.seed,
    hits: 0,
    created: '2026-01-01T00:00:00.000Z'
  })
  t.type(first.seed, 'number')
  const second = rules.add({ match: { path: '/x' }, connection: 'reset', times: 3, seed: 9 }, NOW + 1000)
  t.strictSame(second, { id: 'f2', match: { path: '/x' }, connection: 'reset', times: 3, remaining: 3, seed: 9, hits: 0, created: '2026-01-01T00:00:01.000Z' })
  t.equal(rules.size, 2)
  t.strictSame(rules.list().map((r) => r.id), ['f1', 'f2'])
  t.strictSame(rules.get('f2'), second)
  t.equal(rules.get('f3'), undefined)
  t.equal(rules.delete('f1'), true)
  t.equal(rules.delete('f1'), false)
  t.strictSame(rules.list().map((r) => r.id), ['f2'])
  t.equal(rules.add({ respond: { status: 500 } }, NOW).id, 'f3', 'ids are not reused after a delete')
  rules.clear()
  t.equal(rules.size, 0)
  t.strictSame(rules.list(), [])
  t.equal(rules.add({ respond: { status: 500 } }, NOW).id, 'f1', 'clear starts the ids again')
  t.strictSame(refusal(() => rules.add({ respond: { status: 200 } }, NOW)), { statusCode: 400, code: 'invalidRequest', message: 'respond.status must be a whole number from 400 to 599, not 200.' }, 'add validates too')
  const [listed] = rules.list()
  if (listed !== undefined) listed.hits = 99
  t.equal(rules.get('f1')?.hits, 0, 'what list gives is a copy')
})

t.test('a status match carries the GraphError to answer with, Retry-After and innerError code included', async (t) => {
  const rules = new FaultRules()
  rules.add({ respond: { status: 429, headers: { 'x-ms-throttle-scope': 'Tenant' } } }, NOW)
  const match = rules.match(request(), NOW)
  t.strictSame({ ...match, error: undefined }, { ruleId: 'f1', kind: 'status', latencyMs: 0, error: undefined })
  const error = match?.error
  if (error === undefined) throw new Error('no error')
  t.strictSame({ status: error.statusCode, code: error.code, message: error.message, headers: error.headers, innerCode: error.innerCode }, {
    status: 429, code: 'activityLimitReached', message: 'The request has been throttled', headers: { 'retry-after': '1', 'x-ms-throttle-scope': 'Tenant' }, innerCode: 'throttledRequest'
  })
  t.strictSame(JSON.parse(graphErrorBody(error, { requestId: 'r', clientRequestId: 'c', now: new Date(NOW) })), {
    error: { code: 'activityLimitReached', message: 'The request has been throttled', innerError: { code: 'throttledRequest', date: '2026-01-01T00:00:00', 'request-id': 'r', 'client-request-id': 'c' } }
  }, "Graph's throttled body")

  const other = new FaultRules()
  other.add({ respond: { status: 503, retryAfter: 9, headers: { 'Retry-After': 'Wed, 21 Oct 2026 07:28:00 GMT' } } }, NOW)
  const e503 = other.match(request(), NOW)?.error
  t.strictSame(e503 && { status: e503.statusCode, code: e503.code, headers: e503.headers, innerCode: e503.innerCode }, {
    status: 503, code: 'serviceNotAvailable', headers: { 'retry-after': 'Wed, 21 Oct 2026 07:28:00 GMT' }, innerCode: undefined
  }, 'respond.headers win over retryAfter')

  const plain = new FaultRules()
  plain.add({ respond: { status: 500 } }, NOW)
  t.strictSame(plain.match(request(), NOW)?.error?.headers, {}, 'no Retry-After on a 500 unless asked')

  t.strictSame(throttledError(4, { 'ratelimit-limit': '5' }).headers, { 'retry-after': '4', 'ratelimit-limit': '5' })
  t.equal(throttledError(4).innerCode, 'throttledRequest')
})

t.test('conditions: method, path glob or regex (without the query string), query, headers, namespace', async (t) => {
  const fires = (match: unknown, req: Partial<FaultRequest>): boolean => {
    const rules = new FaultRules()
    rules.add({ match, respond: { status: 500 } } as never, NOW)
    return rules.match(request(req), NOW) !== undefined
  }
  t.ok(fires({}, {}), 'no conditions: every request')
  t.ok(fires({ method: 'get' }, { method: 'GET' }))
  t.notOk(fires({ method: 'POST' }, { method: 'GET' }))
  t.ok(fires({ path: `${LIST}*` }, { path: `${LIST}/abc?$select=id` }))
  t.ok(fires({ path: LIST.toUpperCase() }, { path: `${LIST}?$top=1` }), 'the query string is not part of the path; case-insensitive')
  t.notOk(fires({ path: LIST }, { path: `${LIST}/abc` }))
  t.ok(fires({ pathRegex: 'restoresessions$' }, { path: LIST }), 'a regex, case-insensitive')
  t.notOk(fires({ pathRegex: '^/v1\\.0/' }, { path: LIST }))
  t.ok(fires({ query: { $top: '5' } }, { query: { $top: '5' } }))
  t.notOk(fires({ query: { $top: '5' } }, { query: { $top: '6' } }))
  t.notOk(fires({ query: { $top: '5' } }, { query: {} }))
  t.ok(fires({ query: { $top: true } }, { query: { $top: '1' } }))
  t.ok(fires({ query: { tag: 'b' } }, { query: { tag: ['a', 'b'] } }), 'a repeated parameter: any of its values')
  t.ok(fires({ headers: { 'Retry-Attempt': true } }, { headers: { 'retry-attempt': '1' } }))
  t.notOk(fires({ headers: { 'retry-attempt': true } }, { headers: {} }))
  t.ok(fires({ headers: { prefer: 'return=minimal' } }, { headers: { prefer: 'return=minimal' } }))
  t.notOk(fires({ headers: { prefer: 'return=minimal' } }, { headers: { prefer: 'return=representation' } }))
  t.ok(fires({ namespace: 'team1' }, { namespace: 'team1' }))
  t.notOk(fires({ namespace: 'team1' }, { namespace: 'default' }))
  t.notOk(fires({ method: 'GET', path: '/other' }, {}), 'every condition must hold')
})

t.test('the first rule in the order added answers; times count down and a used-up rule stays listed', async (t) => {
  const rules = new FaultRules()
  rules.add({ match: { method: 'POST' }, respond: { status: 500 } }, NOW)
  rules.add({ respond: { status: 429 }, times: 2 }, NOW)
  rules.add({ respond: { status: 503 } }, NOW)
  t.equal(rules.match(request({ method: 'POST' }), NOW)?.ruleId, 'f1')
  t.equal(rules.match(request(), NOW)?.ruleId, 'f2')
  t.equal(rules.get('f2')?.remaining, 1)
  t.equal(rules.match(request(), NOW)?.ruleId, 'f2')
  t.equal(rules.match(request(), NOW)?.ruleId, 'f3', 'f2 is used up')
  t.equal(rules.match(request(), NOW)?.ruleId, 'f3')
  t.strictSame(rules.list().map((r) => [r.id, r.remaining, r.hits]), [['f1', null, 1], ['f2', 0, 2], ['f3', null, 2]])
  t.equal(rules.size, 3, 'the used-up rule is still held')
})

t.test('a window on the mock clock: from inclusive, until exclusive', async (t) => {
  const rules = new FaultRules()
  rules.add({ respond: { status: 500 }, from: '2026-01-01T00:00:10Z', until: '2026-01-01T00:00:20Z' }, NOW)
  t.equal(rules.match(request(), NOW + 9_999), undefined)
  t.equal(rules.match(request(), NOW + 10_000)?.ruleId, 'f1')
  t.equal(rules.match(request(), NOW + 19_999)?.ruleId, 'f1')
  t.equal(rules.match(request(), NOW + 20_000), undefined)
  t.equal(rules.get('f1')?.hits, 2)
})

t.test('probability: seeded, so the same rules and requests give the same outcomes', async (t) => {
  const outcomes = (rule: Record<string, unknown>, n = 200): string => {
    const rules = new FaultRules()
    rules.add({ respond: { status: 500 }, ...rule }, NOW)
    return Array.from({ length: n }, () => rules.match(request(), NOW) === undefined ? '.' : 'x').join('')
  }
  const seven = outcomes({ probability: 0.5, seed: 7 })
  t.equal(outcomes({ probability: 0.5, seed: 7 }), seven, 'the same seed: the same sequence')
  t.not(outcomes({ probability: 0.5, seed: 8 }), seven, 'another seed: another sequence')
  const hits = [...seven].filter((c) => c === 'x').length
  t.ok(hits > 70 && hits < 130, `about half fire (${hits} of 200)`)
  t.equal(outcomes({ probability: 0.5 }), outcomes({ probability: 0.5 }), 'no seed: derived from the id, still the same')
  t.equal(outcomes({ probability: 0 }), '.'.repeat(200))
  t.equal(outcomes({ probability: 1 }), 'x'.repeat(200))
  t.equal(outcomes({ probability: 0.5, seed: 7, times: 3 }).replaceAll('.', ''), 'xxx', 'times counts the requests that fired')

  // A rule whose draw says no leaves the request to the next rules.
  const rules = new FaultRules()
  rules.add({ respond: { status: 500 }, probability: 0.5, seed: 7 }, NOW)
  rules.add({ respond: { status: 503 } }, NOW)
  const ids = Array.from({ length: 200 }, () => rules.match(request(), NOW)?.ruleId)
  t.strictSame(ids.map((id) => id === 'f1' ? 'x' : '.').join(''), seven)
  t.notOk(ids.includes(undefined))
})

t.test('latency: fixed, or uniform between minMs and maxMs from the seeded PRNG', async (t) => {
  const rules = new FaultRules()
  rules.add({ latency: { ms: 250 } }, NOW)
  t.strictSame(rules.match(request(), NOW), { ruleId: 'f1', kind: 'latency', latencyMs: 250 })

  const draws = (seed: number): number[] => {
    const r = new FaultRules()
    r.add({ latency: { minMs: 100, maxMs: 300 }, seed }, NOW)
    return Array.from({ length: 300 }, () => r.match(request(), NOW)?.latencyMs ?? -1)
  }
  const first = draws(3)
  t.strictSame(draws(3), first, 'deterministic')
  t.ok(first.every((ms) => Number.isInteger(ms) && ms >= 100 && ms <= 300), 'within [minMs, maxMs]')
  t.ok(first.some((ms) => ms < 150) && first.some((ms) => ms > 250), 'spread over the range')
  const equal = new FaultRules()
  equal.add({ latency: { minMs: 40, maxMs: 40 } }, NOW)
  t.equal(equal.match(request(), NOW)?.latencyMs, 40)

  const both = new FaultRules()
  both.add({ latency: { ms: 5 }, respond: { status: 504 } }, NOW)
  both.add({ latency: { ms: 5 }, connection: 'truncated', respond: { status: 500 } }, NOW)
  both.add({ connection: 'empty' }, NOW)
  const m = both.match(request(), NOW)
  t.strictSame([m?.kind, m?.latencyMs, m?.error?.code, m?.connection], ['status', 5, 'gatewayTimeout', undefined])
  both.delete('f1')
  const truncated = both.match(request(), NOW)
  t.strictSame([truncated?.kind, truncated?.connection, truncated?.error?.statusCode], ['connection', 'truncated', 500])
  both.delete('f2')
  t.strictSame(both.match(request(), NOW), { ruleId: 'f3', kind: 'connection', latencyMs: 0, connection: 'empty' })
})
