import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { AdminError } from '../../src/control/admin-error.js'
import {
  Journal, parseJournalFilter, plainHeaders, redactCredentials, redactHeaders,
  type JournalEntry, type NewJournalEntry
} from '../../src/control/journal.js'

function entry (overrides: Partial<NewJournalEntry> = {}): NewJournalEntry {
  return {
    requestId: 'r',
    namespace: 'default',
    time: '2026-01-01T00:00:00.000Z',
    method: 'GET',
    url: '/beta/solutions/backupRestore/exchangeRestoreSessions',
    path: '/beta/solutions/backupRestore/exchangeRestoreSessions',
    headers: {},
    body: null,
    status: 200,
    responseHeaders: {},
    durationMs: 1,
    fault: null,
    earlyRetry: false,
    ...overrides
  }
}

// A wait's timer is unref'd (it never holds a process open on its own), so a test that waits for a
// timeout holds the process open itself.
function keepAlive (t: Test): void {
  const timer = setInterval(() => {}, 1000)
  t.teardown(() => { clearInterval(timer) })
}

const ids = (entries: readonly JournalEntry[]): string[] => entries.map((e) => e.id)

/** The AdminError a call throws, for assertions on status, code and message. */
function adminErrorOf (call: () => unknown): AdminError {
  try {
    call()
  } catch (error) {
    if (error instanceof AdminError) return error
    throw error
  }
  throw new Error('expected an AdminError')
}

t.test('the ring keeps the newest entries, oldest first, and counts the dropped ones', async (t) => {
  const journal = new Journal({ limit: 3 })
  t.equal(journal.size, 0)
  t.strictSame(journal.list(), [])
  const first = journal.record(entry({ requestId: 'a' }))
  t.strictSame(first, { id: '1', ...entry({ requestId: 'a' }) }, 'the journal numbers the entry')
  journal.record(entry())
  journal.record(entry())
  t.strictSame(ids(journal.list()), ['1', '2', '3'])
  t.equal(journal.dropped, 0)
  journal.record(entry())
  journal.record(entry())
  t.strictSame(ids(journal.list()), ['3', '4', '5'], 'the two oldest went')
  t.equal(journal.dropped, 2)
  t.equal(journal.size, 3)
  for (let i = 0; i < 7; i++) journal.record(entry())
  t.strictSame(ids(journal.list()), ['10', '11', '12'], 'still in order after wrapping round several times')
  t.equal(journal.dropped, 9)
  t.equal(journal.count(), 3)

  journal.clear()
  t.strictSame(journal.list(), [])
  t.equal(journal.dropped, 0, 'a clear starts the count of dropped entries again')
  t.equal(journal.count(), 0)
  journal.record(entry())
  t.strictSame(ids(journal.list()), ['13'], 'ids are never reused')
})

t.test('a journal of limit 0 keeps nothing and counts every entry as dropped', async (t) => {
  const journal = new Journal({ limit: 0 })
  journal.record(entry())
  journal.record(entry())
  t.strictSame(journal.list(), [])
  t.equal(journal.dropped, 2)
})

t.test('a limit that is not a whole number of 0 or more is refused', async (t) => {
  t.throws(() => new Journal({ limit: -1 }), new RangeError('A journal limit is a whole number of 0 or more, not -1.'))
  t.throws(() => new Journal({ limit: 1.5 }), new RangeError('A journal limit is a whole number of 0 or more, not 1.5.'))
})

t.test('recording stays cheap however many entries a full journal has seen', async (t) => {
  // A shift of the whole array per entry would make this quadratic: 200k entries into a ring of 100k
  // would take minutes instead of milliseconds.
  const journal = new Journal({ limit: 100_000 })
  const template = entry()
  const started = performance.now()
  for (let i = 0; i < 200_000; i++) journal.record(template)
  const elapsed = performance.now() - started
  t.equal(journal.size, 100_000)
  t.equal(journal.dropped, 100_000)
  t.equal(journal.list()[0]?.id, '100001')
  t.equal(journal.list().at(-1)?.id, '200000')
  t.ok(elapsed < 2000, `200k records took ${elapsed.toFixed(0)} ms`)
})

t.test('filters', async (t) => {
  const journal = new Journal({ limit: 100 })
  journal.record(entry({ method: 'GET', path: '/beta/solutions/backupRestore/exchangeRestoreSessions', status: 200, time: '2026-01-01T00:00:00.000Z', headers: { 'retry-attempt': '1' } }))
  journal.record(entry({ method: 'POST', path: '/beta/solutions/backupRestore/exchangeRestoreSessions', status: 201, time: '2026-01-01T00:00:01.000Z', headers: { 'content-type': 'application/json' } }))
  journal.record(entry({ method: 'GET', path: '/beta/solutions/backupRestore/restorePoints', status: 429, time: '2026-01-01T00:00:02.000Z', headers: { 'retry-attempt': '2' } }))
  journal.record(entry({ method: 'DELETE', path: '/v1.0/solutions/backupRestore/protectionPolicies/p1', status: 404, time: '2026-01-01T00:00:03.000Z', headers: {} }))
  journal.record(entry({ method: 'PATCH', path: '/beta/solutions/backupRestore/protectionPolicies/p1', status: 503, time: '2026-01-01T00:00:04.000Z', headers: { 'retry-attempt': '1', 'x-a': 'b' } }))

  const listed = (query: Record<string, unknown>): string[] => ids(journal.list(parseJournalFilter(query)))
  t.strictSame(listed({}), ['1', '2', '3', '4', '5'], 'no filter: everything')
  t.strictSame(listed({ method: 'get' }), ['1', '3'], 'method, in any case')
  t.strictSame(listed({ method: 'Post' }), ['2'])
  t.strictSame(listed({ path: '/beta/solutions/backupRestore/exchangeRestoreSessions' }), ['1', '2'], 'path is a prefix')
  t.strictSame(listed({ path: '/beta' }), ['1', '2', '3', '5'])
  t.strictSame(listed({ path: '/BETA' }), [], 'the prefix is case-sensitive')
  t.strictSame(listed({ pathRegex: 'protectionPolicies/[^/]+$' }), ['4', '5'], 'pathRegex')
  t.strictSame(listed({ pathRegex: '^/v1\\.0/' }), ['4'])
  t.strictSame(listed({ status: '429' }), ['3'], 'an exact status')
  t.strictSame(listed({ status: '4xx' }), ['3', '4'], 'a status class')
  t.strictSame(listed({ status: '5XX' }), ['5'])
  t.strictSame(listed({ status: '2xx' }), ['1', '2'])
  t.strictSame(listed({ header: 'retry-attempt' }), ['1', '3', '5'], 'a header present')
  t.strictSame(listed({ header: 'Retry-Attempt:1' }), ['1', '5'], 'a header equal (name in any case)')
  t.strictSame(listed({ header: 'retry-attempt: 2' }), ['3'], 'the value is trimmed as Node trims it')
  t.strictSame(listed({ header: ['retry-attempt:1', 'x-a'] }), ['5'], 'several headers: all must hold')
  t.strictSame(listed({ header: 'content-type:application/json' }), ['2'])
  t.strictSame(listed({ header: 'retry-attempt:' }), [], 'name: with an empty value asks for an empty value')
  t.strictSame(listed({ since: '2026-01-01T00:00:03Z' }), ['4', '5'], 'since: at or after')
  t.strictSame(listed({ since: '2026-01-01T01:00:02+01:00' }), ['3', '4', '5'], 'since with an offset')
  t.strictSame(listed({ limit: '2' }), ['4', '5'], 'limit: the most recent, oldest first')
  t.strictSame(listed({ limit: '0' }), [])
  t.strictSame(listed({ limit: '50' }), ['1', '2', '3', '4', '5'])
  t.strictSame(listed({ method: 'GET', path: '/beta', status: '4xx' }), ['3'], 'every condition must hold')
  t.strictSame(listed({ method: 'GET', limit: '1' }), ['3'], 'limit applies after the conditions')

  t.equal(journal.count(parseJournalFilter({ method: 'GET' })), 2)
  t.equal(journal.count(parseJournalFilter({ status: '5xx' })), 1)
  t.equal(journal.count(parseJournalFilter({ limit: '3' })), 3, 'count with limit: at most limit')
  t.equal(journal.count(parseJournalFilter({ method: 'GET', limit: '5' })), 2)
  t.equal(journal.count({ pathRegex: /Sessions$/g }), 2, 'a global regex given directly matches every entry it should, not every other one')
})

t.test('parseJournalFilter: the query string', async (t) => {
  t.strictSame(parseJournalFilter({}), {})
  t.strictSame(parseJournalFilter({
    method: 'get',
    path: '/beta/solutions',
    pathRegex: 'a+',
    status: '429',
    header: ['Retry-Attempt', 'x-a: b:c '],
    since: '2026-01-01T01:00:00+01:00',
    limit: '10'
  }), {
    method: 'GET',
    path: '/beta/solutions',
    pathRegex: /a+/,
    status: 429,
    since: '2026-01-01T00:00:00.000Z',
    limit: 10,
    headers: [{ name: 'retry-attempt' }, { name: 'x-a', value: 'b:c' }]
  })
  t.strictSame(parseJournalFilter({ status: '4XX' }), { status: '4xx' })
  t.strictSame(parseJournalFilter({ since: '2026-01-01T00:00Z' }), { since: '2026-01-01T00:00:00.000Z' })

  const cases: Array<[Record<string, unknown>, string]> = [
    [{ methd: 'GET' }, 'Unknown query parameter \'methd\'; the filters are method, path, pathRegex, status, header, since, limit.'],
    [{ headers: 'x' }, 'Unknown query parameter \'headers\'; the filters are method, path, pathRegex, status, header, since, limit.'],
    [{ method: '' }, 'The query parameter \'method\' must be an HTTP method such as GET, not \'\'.'],
    [{ method: 'GE T' }, 'The query parameter \'method\' must be an HTTP method such as GET, not \'GE T\'.'],
    [{ method: ['GET', 'POST'] }, 'The query parameter \'method\' may be given only once.'],
    [{ path: 'beta' }, 'The query parameter \'path\' must be a path starting with /, not \'beta\'.'],
    [{ pathRegex: 'a'.repeat(1001) }, 'The query parameter \'pathRegex\' is longer than 1000 characters.'],
    [{ status: '42' }, 'The query parameter \'status\' must be a status from 100 to 599 or a class such as 4xx, not \'42\'.'],
    [{ status: '600' }, 'The query parameter \'status\' must be a status from 100 to 599 or a class such as 4xx, not \'600\'.'],
    [{ status: '6xx' }, 'The query parameter \'status\' must be a status from 100 to 599 or a class such as 4xx, not \'6xx\'.'],
    [{ status: 'abc' }, 'The query parameter \'status\' must be a status from 100 to 599 or a class such as 4xx, not \'abc\'.'],
    [{ header: '' }, 'The query parameter \'header\' must be a header name, or name:value, not \'\'.'],
    [{ header: ':value' }, 'The query parameter \'header\' must be a header name, or name:value, not \':value\'.'],
    [{ header: ['ok', 'bad name'] }, 'The query parameter \'header\' must be a header name, or name:value, not \'bad name\'.'],
    [{ since: 'yesterday' }, 'The query parameter \'since\' must be an ISO 8601 instant such as 2026-01-01T00:00:00Z, not \'yesterday\'.'],
    [{ since: '2026-01-01' }, 'The query parameter \'since\' must be an ISO 8601 instant such as 2026-01-01T00:00:00Z, not \'2026-01-01\'.'],
    [{ since: '2026-01-01T00:00:00' }, 'The query parameter \'since\' must be an ISO 8601 instant such as 2026-01-01T00:00:00Z, not \'2026-01-01T00:00:00\'.'],
    [{ since: '2026-13-01T00:00:00Z' }, 'The query parameter \'since\' must be an ISO 8601 instant such as 2026-01-01T00:00:00Z, not \'2026-13-01T00:00:00Z\'.'],
    [{ limit: '-1' }, 'The query parameter \'limit\' must be a whole number of 0 or more, not \'-1\'.'],
    [{ limit: '1.5' }, 'The query parameter \'limit\' must be a whole number of 0 or more, not \'1.5\'.'],
    [{ limit: '' }, 'The query parameter \'limit\' must be a whole number of 0 or more, not \'\'.']
  ]
  for (const [query, message] of cases) {
    const error = adminErrorOf(() => parseJournalFilter(query))
    t.strictSame({ statusCode: error.statusCode, code: error.code, message: error.message }, { statusCode: 400, code: 'invalidRequest', message }, JSON.stringify(query).slice(0, 80))
  }
  const regex = adminErrorOf(() => parseJournalFilter({ pathRegex: '(' }))
  t.equal(regex.statusCode, 400)
  t.equal(regex.code, 'invalidRequest')
  t.match(regex.message, /^The query parameter 'pathRegex' is not a valid regular expression: Invalid regular expression: \/\(\/: Unterminated group\.$/)
})

t.test('parseJournalFilter: the JSON filter of a wait', async (t) => {
  t.strictSame(parseJournalFilter(undefined, 'filter'), {})
  t.strictSame(parseJournalFilter(null, 'filter'), {})
  t.strictSame(parseJournalFilter({
    method: 'post',
    status: 503,
    header: 'retry-attempt:1',
    headers: { 'X-A': 'b', 'x-present': true }
  }, 'filter'), {
    method: 'POST',
    status: 503,
    headers: [{ name: 'retry-attempt', value: '1' }, { name: 'x-a', value: 'b' }, { name: 'x-present' }]
  })
  t.strictSame(parseJournalFilter({ status: '5xx', header: ['a', 'b:c'] }, 'filter'), { status: '5xx', headers: [{ name: 'a' }, { name: 'b', value: 'c' }] })
  t.strictSame(parseJournalFilter({ since: new Date('2026-01-01T00:00:00Z'), pathRegex: /x/i }, 'filter'), { since: '2026-01-01T00:00:00.000Z', pathRegex: /x/i }, 'a Date and a RegExp, from the programmatic API')

  const cases: Array<[unknown, string]> = [
    ['GET', 'The filter must be an object of filters, not \'GET\'.'],
    [[], 'The filter must be an object of filters, not a list.'],
    [{ limit: 1 }, 'Unknown filter \'limit\'; the filters are method, path, pathRegex, status, header, headers, since.'],
    [{ method: 1 }, 'filter.method must be a string, not 1.'],
    [{ path: null }, 'filter.path must be a string, not null.'],
    [{ status: 4.5 }, 'filter.status must be a status from 100 to 599 or a class such as 4xx, not 4.5.'],
    [{ status: 99 }, 'filter.status must be a status from 100 to 599 or a class such as 4xx, not 99.'],
    [{ status: true }, 'filter.status must be a string, not true.'],
    [{ header: 5 }, 'filter.header must be a header name, or name:value, not 5.'],
    [{ header: [{}] }, 'filter.header must be a header name, or name:value, not an object.'],
    [{ headers: ['a'] }, 'filter.headers must be an object of header name → value or true, not a list.'],
    [{ headers: { 'bad name': true } }, 'filter.headers has \'bad name\', which is not a header name.'],
    [{ headers: { a: false } }, 'filter.headers.a must be a string or true, not false.'],
    [{ headers: { a: 1 } }, 'filter.headers.a must be a string or true, not 1.'],
    [{ since: 0 }, 'filter.since must be a string, not 0.'],
    [{ since: new Date(Number.NaN) }, 'filter.since must be a string, not an object.']
  ]
  for (const [filter, message] of cases) {
    const error = adminErrorOf(() => parseJournalFilter(filter, 'filter'))
    t.strictSame({ statusCode: error.statusCode, code: error.code, message: error.message }, { statusCode: 400, code: 'invalidRequest', message }, JSON.stringify(filter))
  }
  t.match(adminErrorOf(() => parseJournalFilter({ pathRegex: '[' }, 'filter')).message, /^filter\.pathRegex is not a valid regular expression: /)
})

t.test('wait: entries already there count', async (t) => {
  const journal = new Journal({ limit: 10 })
  journal.record(entry({ method: 'GET' }))
  journal.record(entry({ method: 'POST' }))
  journal.record(entry({ method: 'GET' }))
  const result = await journal.wait({ method: 'GET' }, 2, 5000)
  t.equal(result.complete, true)
  t.strictSame(ids(result.requests), ['1', '3'])
  t.equal(journal.waiting, 0)
  t.strictSame(await journal.wait({}, 0, 0), { complete: true, requests: journal.list() }, 'a count of 0 is met at once')
})

t.test('wait: resolves as soon as the count-th matching entry arrives, and clears its timer', async (t) => {
  const journal = new Journal({ limit: 10 })
  const cleared: unknown[] = []
  const clear = globalThis.clearTimeout
  t.capture(globalThis, 'clearTimeout', (timer?: Parameters<typeof clearTimeout>[0]) => { cleared.push(timer); clear(timer) })
  journal.record(entry({ status: 429 }))
  const started = performance.now()
  const waiting = journal.wait({ status: '4xx' }, 3, 10_000)
  t.equal(journal.waiting, 1)
  journal.record(entry({ status: 200 }))
  journal.record(entry({ status: 404 }))
  setTimeout(() => { journal.record(entry({ status: 401 })) }, 20)
  const result = await waiting
  t.equal(result.complete, true)
  t.strictSame(ids(result.requests), ['1', '3', '4'])
  t.ok(performance.now() - started < 5000, 'long before the timeout')
  t.equal(journal.waiting, 0)
  t.equal(cleared.length, 1, 'the timeout timer was cleared')
  journal.record(entry({ status: 400 }))
  t.strictSame(ids(result.requests), ['1', '3', '4'], 'a resolved wait takes no more entries')
})

t.test('wait: at the timeout, incomplete with what did arrive', async (t) => {
  keepAlive(t)
  const journal = new Journal({ limit: 10 })
  journal.record(entry({ method: 'GET' }))
  const started = performance.now()
  const waiting = journal.wait({ method: 'GET' }, 3, 60)
  journal.record(entry({ method: 'GET' }))
  journal.record(entry({ method: 'POST' }))
  const result = await waiting
  const elapsed = performance.now() - started
  t.equal(result.complete, false)
  t.strictSame(ids(result.requests), ['1', '2'])
  t.ok(elapsed >= 55, `waited ${elapsed.toFixed(0)} ms of 60`)
  t.equal(journal.waiting, 0)
  t.strictSame(await journal.wait({ method: 'PUT' }, 1, 0), { complete: false, requests: [] }, 'a timeout of 0 only looks')
})

t.test('wait: many at once, each with its own filter and count', async (t) => {
  keepAlive(t)
  const journal = new Journal({ limit: 10 })
  const gets = Array.from({ length: 50 }, async () => await journal.wait({ method: 'GET' }, 2, 5000))
  const posts = journal.wait({ method: 'POST' }, 1, 5000)
  const never = journal.wait({ method: 'PUT' }, 1, 80)
  t.equal(journal.waiting, 52)
  journal.record(entry({ method: 'GET' }))
  journal.record(entry({ method: 'POST' }))
  journal.record(entry({ method: 'GET' }))
  const results = await Promise.all(gets)
  for (const result of results) t.strictSame({ complete: result.complete, ids: ids(result.requests) }, { complete: true, ids: ['1', '3'] })
  t.strictSame(ids((await posts).requests), ['2'])
  t.strictSame(await never, { complete: false, requests: [] })
  t.equal(journal.waiting, 0)
})

t.test('wait: keeps the entries it matched when the ring drops them or the journal is cleared', async (t) => {
  const journal = new Journal({ limit: 1 })
  const waiting = journal.wait({}, 3, 5000)
  journal.record(entry())
  journal.clear()
  journal.record(entry())
  journal.record(entry())
  const result = await waiting
  t.equal(result.complete, true)
  t.strictSame(ids(result.requests), ['1', '2', '3'])
  t.strictSame(ids(journal.list()), ['3'])
})

t.test('wait: an abort signal ends it, incomplete', async (t) => {
  const journal = new Journal({ limit: 10 })
  const controller = new AbortController()
  journal.record(entry())
  const waiting = journal.wait({}, 2, 10_000, controller.signal)
  controller.abort()
  t.strictSame(ids((await waiting).requests), ['1'])
  t.equal((await journal.wait({}, 2, 10_000, controller.signal)).complete, false, 'an aborted signal ends a new wait at once')
  t.equal(journal.waiting, 0)
})

t.test('close: every wait in progress resolves as incomplete, and every later one at once', async (t) => {
  const journal = new Journal({ limit: 10 })
  journal.record(entry({ method: 'GET' }))
  const first = journal.wait({ method: 'GET' }, 2, 10_000)
  const second = journal.wait({ method: 'POST' }, 1, 10_000)
  journal.close()
  t.strictSame(ids((await first).requests), ['1'])
  t.equal((await first).complete, false)
  t.strictSame(await second, { complete: false, requests: [] })
  t.equal(journal.waiting, 0)
  t.strictSame(await journal.wait({ method: 'POST' }, 1, 10_000), { complete: false, requests: [] })
  t.strictSame(ids((await journal.wait({ method: 'GET' }, 1, 10_000)).requests), ['1'], 'a count already met is still complete')
})

t.test('a wait in progress does not hold the process open', async (t) => {
  // The process would otherwise stay up for the wait's 60 s after its work is done.
  const script = [
    "import { Journal } from './src/control/journal.ts'",
    'const journal = new Journal({ limit: 1 })',
    "void journal.wait({}, 1, 60000).then(() => { console.log('resolved') })",
    "console.log('waiting')"
  ].join('\n')
  const started = performance.now()
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 })
  t.equal(child.status, 0, child.stderr)
  t.equal(child.stdout, 'waiting\n', 'the process ended without the wait resolving')
  t.ok(performance.now() - started < 30_000)
})

t.test('wait refuses a count or a timeout it cannot use', async (t) => {
  const journal = new Journal({ limit: 10 })
  await t.rejects(journal.wait({}, -1, 10), new RangeError('A wait count is a whole number of 0 or more, not -1.'))
  await t.rejects(journal.wait({}, 1, Number.NaN), new RangeError('A wait timeout is a number of milliseconds of 0 or more, not NaN.'))
})

t.test('headers: lowercase names, repeated values joined as Node joins them, credentials cut', async (t) => {
  t.strictSame(plainHeaders({ 'Content-Length': 12, 'X-Many': ['a', 'b'], cookie: ['a=1', 'b=2'], skipped: undefined, 'set-cookie': ['x=1', 'y=2'] }), {
    'content-length': '12',
    'x-many': 'a, b',
    cookie: 'a=1; b=2',
    'set-cookie': 'x=1, y=2'
  })
  t.strictSame(plainHeaders({ 'X-A': '1', 'x-a': '2' }), { 'x-a': '1, 2' }, 'names differing in case are one header')
  t.strictSame(redactHeaders({
    Authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    'proxy-authorization': 'Basic dXNlcjpwYXNzd29yZA==',
    accept: 'application/json'
  }), {
    authorization: 'Bearer eyJhbGci…',
    'proxy-authorization': 'Basic dXNlcjpw…',
    accept: 'application/json'
  })
  t.equal(redactCredentials('Bearer test-token'), 'Bearer test-tok…')
  t.equal(redactCredentials('Bearer short'), 'Bearer …', 'a token of 8 characters or fewer shows none of them')
  t.equal(redactCredentials('Bearer 12345678'), 'Bearer …')
  t.equal(redactCredentials('Bearer 123456789'), 'Bearer 12345678…')
  t.equal(redactCredentials('averylongtokenwithoutscheme'), 'averylon…', 'no scheme: the whole value is the secret')
  t.equal(redactCredentials('Bearer'), '…')
  t.strictSame(redactHeaders({ accept: '*/*' }), { accept: '*/*' }, 'nothing to redact')
})
