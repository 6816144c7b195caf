// Every limit on a request, each answered with Graph's error body: the URL (414) and headers (431),
// whether the app's hook or Node's parser notices them; the query options the engine bounds ($filter
// and $orderby length, expression depth, $select items); and bodies (413, or an early answer that
// does not read a 50 MB upload).

import t, { type Test } from 'tap'
import { AUTH, build, expectedError, GUID_PATTERN, LIST, ODATA_JSON } from '../helper.js'
import { errorBodyProblems } from './graph-error-shape.js'
import { portOf, requestHead, sendRaw, type RawAnswer } from './raw-http.js'

const URL_MESSAGE = 'The request URI exceeds the limit of 16384 characters.'
const HEADERS_MESSAGE = 'The request headers exceed the limit of 16384 bytes.'

/** A list URL of exactly `length` characters (a custom query option, which the engine ignores). */
function listUrlOfLength (length: number): string {
  const prefix = `${LIST}?pad=`
  return prefix + 'a'.repeat(length - prefix.length)
}

/** The Graph error body expected for a raw answer, its ids and date taken from it. */
function expectedRaw (answer: RawAnswer, code: string, message: string): unknown {
  const body = JSON.parse(answer.body) as { error?: { innerError?: { date?: unknown } } }
  return {
    error: {
      code,
      message,
      innerError: { date: body.error?.innerError?.date, 'request-id': answer.headers['request-id'], 'client-request-id': answer.headers['client-request-id'] }
    }
  }
}

t.test('414: a URL longer than maxUrlLength, before the bearer check', async (t) => {
  const app = await build(t)
  const atLimit = await app.inject({ method: 'GET', url: listUrlOfLength(16384), headers: AUTH })
  t.equal(atLimit.statusCode, 200, 'a URL of exactly 16384 characters is served')
  for (const headers of [AUTH, {}]) {
    const over = await app.inject({ method: 'GET', url: listUrlOfLength(16385), headers })
    t.equal(over.statusCode, 414, 'one more character: 414')
    t.equal(over.headers['content-type'], ODATA_JSON)
    t.strictSame(over.json(), expectedError(over, 'RequestUriTooLong', URL_MESSAGE), 'whole body')
  }
})

t.test('414: the limit follows the maxUrlLength setting', async (t) => {
  const app = await build(t, { maxUrlLength: 256 })
  t.equal((await app.inject({ method: 'GET', url: listUrlOfLength(256), headers: AUTH })).statusCode, 200)
  const over = await app.inject({ method: 'GET', url: listUrlOfLength(257), headers: AUTH })
  t.equal(over.statusCode, 414)
  t.strictSame(over.json(), expectedError(over, 'RequestUriTooLong', 'The request URI exceeds the limit of 256 characters.'))
})

t.test('a long key segment is bounded by the URL limit, not by a router limit with its own body', async (t) => {
  const app = await build(t)
  const response = await app.inject({ method: 'GET', url: `${LIST}/${'a'.repeat(5000)}`, headers: AUTH })
  t.equal(response.statusCode, 400)
  t.strictSame(response.json(), expectedError(response, 'InvalidRestoreSessionId', 'Restore session ID invalid, null, or empty.'))
})

t.test('431: request headers over 16 KiB', async (t) => {
  const app = await build(t)
  // `authorization: Bearer test-token` and `x-pad: …`, each counted as `name: value\r\n` (+ Host etc.
  // added by inject): find the padding that lands exactly on the limit.
  const probe = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, 'x-pad': '' } })
  const base = probe.raw.req.rawHeaders.reduce((sum, part) => sum + part.length + 2, 0)
  const under = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, 'x-pad': 'p'.repeat(16384 - base) } })
  t.equal(under.statusCode, 200, 'headers of exactly 16384 bytes are accepted')
  const over = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, 'x-pad': 'p'.repeat(16385 - base) } })
  t.equal(over.statusCode, 431)
  t.strictSame(over.json(), expectedError(over, 'RequestHeaderFieldsTooLarge', HEADERS_MESSAGE))
})

t.test('the query engine\'s limits answer 400 with Graph\'s body', async (t) => {
  const app = await build(t)
  const filterOf = (length: number): string => `id eq '${'a'.repeat(length - 8)}'`
  const cases: Array<[string, number, string | undefined]> = [
    [`$filter=${encodeURIComponent(filterOf(4096))}`, 200, undefined],
    [`$filter=${encodeURIComponent(filterOf(4097))}`, 400, 'The $filter query option is 4097 characters long, which exceeds the limit of 4096 characters.'],
    [`$orderby=${'id,'.repeat(1364)}id`, 200, undefined],
    [`$orderby=${'id,'.repeat(1366)}id`, 400, 'The $orderby query option is 4100 characters long, which exceeds the limit of 4096 characters.'],
    [`$filter=${'('.repeat(98)}id eq 'x'${')'.repeat(98)}`, 200, undefined],
    [`$filter=${'('.repeat(101)}id eq 'x'${')'.repeat(101)}`, 400, 'Invalid filter clause: Recursion depth exceeded allowed limit.'],
    [`$filter=${'not '.repeat(150)}(id eq 'x')`, 400, 'Invalid filter clause: Recursion depth exceeded allowed limit.'],
    [`$select=${Array.from({ length: 100 }, () => 'id').join(',')}`, 200, undefined],
    [`$select=${Array.from({ length: 101 }, () => 'id').join(',')}`, 400, 'Parsing OData Select and Expand failed: The $select query option has 101 items, which exceeds the limit of 100.']
  ]
  for (const [query, status, message] of cases) {
    const response = await app.inject({ method: 'GET', url: `${LIST}?${query}`, headers: AUTH })
    t.equal(response.statusCode, status, query.slice(0, 60))
    if (message !== undefined) t.strictSame(response.json(), expectedError(response, 'BadRequest', message), query.slice(0, 60))
  }
})

t.test('$filter length follows the maxFilterLength setting', async (t) => {
  const app = await build(t, { maxFilterLength: 16 })
  const response = await app.inject({ method: 'GET', url: `${LIST}?$filter=${encodeURIComponent("id eq '0123456789'")}`, headers: AUTH })
  t.equal(response.statusCode, 400)
  t.strictSame(response.json(), expectedError(response, 'BadRequest', 'The $filter query option is 18 characters long, which exceeds the limit of 16 characters.'))
})

t.test('413: a body over bodyLimit on a Graph path', async (t) => {
  const app = await build(t, { bodyLimit: 1024 })
  const response = await app.inject({ method: 'POST', url: LIST, headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify({ a: 'x'.repeat(2000) }) })
  t.equal(response.statusCode, 413)
  t.strictSame(response.json(), expectedError(response, 'RequestEntityTooLarge', 'The request body exceeds the limit of 1024 bytes.'))
})

t.test('over a socket', async (t) => {
  const app = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = portOf(app)
  const stillServes = async (t: Test, label: string): Promise<void> => {
    const answer = await sendRaw(port, requestHead(`${LIST}?$top=1`, ['Authorization: Bearer x']))
    t.equal(answer.statusCode, 200, `${label}: the next connection is served`)
  }
  const assertRawGraphError = (t: Test, answer: RawAnswer, status: number, code: string, message: string, label: string): void => {
    t.equal(answer.statusCode, status, label)
    t.equal(answer.headers['content-type'], ODATA_JSON, `${label}: content-type`)
    t.match(answer.headers['request-id'], GUID_PATTERN, `${label}: a fresh request-id`)
    t.equal(answer.headers['odata-version'], '4.0', `${label}: OData-Version`)
    t.equal(Number(answer.headers['content-length']), Buffer.byteLength(answer.body), `${label}: content-length`)
    t.strictSame(errorBodyProblems(answer.body, answer.headers['request-id']), [], `${label}: Graph's shape`)
    t.strictSame(JSON.parse(answer.body), expectedRaw(answer, code, message), `${label}: whole body`)
  }

  t.test('a request line past Node\'s head buffer → 414 written at the socket', async (t) => {
    const answer = await sendRaw(port, requestHead(listUrlOfLength(40000), ['Authorization: Bearer x']))
    assertRawGraphError(t, answer, 414, 'RequestUriTooLong', URL_MESSAGE, 'request line of 40000')
    t.equal(answer.headers['connection'], 'close')
    await stillServes(t, '414')
  })

  t.test('a URL past the limit but within the buffer → 414 from the hook, with the caller\'s client-request-id', async (t) => {
    const answer = await sendRaw(port, requestHead(listUrlOfLength(20000), ['client-request-id: abc-123']))
    assertRawGraphError(t, answer, 414, 'RequestUriTooLong', URL_MESSAGE, 'URL of 20000')
    t.equal(answer.headers['client-request-id'], 'abc-123')
  })

  t.test('headers past Node\'s head buffer → 431 written at the socket', async (t) => {
    for (const lines of [[`X-Big: ${'b'.repeat(40000)}`], Array.from({ length: 400 }, (_, i) => `X-H${i}: ${'h'.repeat(100)}`)]) {
      const answer = await sendRaw(port, requestHead(LIST, ['Authorization: Bearer x', ...lines]))
      assertRawGraphError(t, answer, 431, 'RequestHeaderFieldsTooLarge', HEADERS_MESSAGE, `${lines.length} header lines`)
    }
    await stillServes(t, '431')
  })

  t.test('headers past 16 KiB but within the buffer → 431 from the hook', async (t) => {
    const answer = await sendRaw(port, requestHead(LIST, ['Authorization: Bearer x', `X-Big: ${'b'.repeat(17000)}`]))
    assertRawGraphError(t, answer, 431, 'RequestHeaderFieldsTooLarge', HEADERS_MESSAGE, 'a 17000-byte header')
  })

  t.test('bytes that are not HTTP → 400 written at the socket', async (t) => {
    const cases = [
      'GARBAGE\r\n\r\n',
      `GET ${LIST} HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n`,
      `GET ${LIST} HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n  b\r\n\r\n`,
      `GET ${LIST} HTTP/9.9\r\n\r\n`,
      `POST ${LIST} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello`,
      `POST ${LIST} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`
    ]
    for (const head of cases) {
      const answer = await sendRaw(port, head)
      assertRawGraphError(t, answer, 400, 'BadRequest', 'The request is not a valid HTTP/1.1 request.', JSON.stringify(head.slice(0, 40)))
    }
    await stillServes(t, '400')
  })

  t.test('a 50 MB upload to a Graph path is answered at once, without reading it', async (t) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    const count = 800 // 50 MiB
    // POST creates a session there (a JSON body); PUT is no method of the path.
    const uploads: Array<[string, 'POST' | 'PUT', string[], number, string, string]> = [
      ['declared JSON', 'POST', ['Content-Type: application/json', `Content-Length: ${chunk.length * count}`], 413, 'RequestEntityTooLarge', 'The request body exceeds the limit of 1048576 bytes.'],
      ['chunked JSON', 'POST', ['Content-Type: application/json', 'Transfer-Encoding: chunked'], 413, 'RequestEntityTooLarge', 'The request body exceeds the limit of 1048576 bytes.'],
      ['declared octet-stream', 'POST', ['Content-Type: application/octet-stream', `Content-Length: ${chunk.length * count}`], 415, 'UnsupportedMediaType', "The content type 'application/octet-stream' is not supported."],
      ['no content type', 'POST', [`Content-Length: ${chunk.length * count}`], 415, 'UnsupportedMediaType', "The content type '' is not supported."],
      ['declared JSON, a method the path does not serve', 'PUT', ['Content-Type: application/json', `Content-Length: ${chunk.length * count}`], 413, 'RequestEntityTooLarge', 'The request body exceeds the limit of 1048576 bytes.'],
      ['octet-stream, a method the path does not serve', 'PUT', ['Content-Type: application/octet-stream', `Content-Length: ${chunk.length * count}`], 405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.']
    ]
    for (const [label, method, lines, status, code, message] of uploads) {
      const chunked = lines.includes('Transfer-Encoding: chunked')
      const body = chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk
      const answer = await sendRaw(port, requestHead(LIST, ['Authorization: Bearer x', ...lines], method), { body: { chunk: body, count }, timeoutMs: 10000 })
      assertRawGraphError(t, answer, status, code, message, label)
      t.equal(answer.headers['connection'], 'close', `${label}: the connection closes, the rest is not read`)
      t.ok(answer.bytesWritten < 8 * 1024 * 1024, `${label}: answered after ${(answer.bytesWritten / 1048576).toFixed(1)} MiB of 50 (less than 8)`)
      t.ok(answer.milliseconds < 3000, `${label}: answered in ${answer.milliseconds.toFixed(0)} ms`)
    }
    await stillServes(t, 'uploads')
  })
})
