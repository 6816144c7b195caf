// The bearer check against what real clients and hostile ones put on the wire: header-name case,
// several Authorization lines, very long tokens, non-ASCII bytes. Raw sockets where inject cannot
// express the bytes (repeated lines, name case, bytes above 0x7f).

import t, { type Test } from 'tap'
import { AUTH, build, expectedError, LIST } from '../helper.js'
import { errorBodyProblems } from './graph-error-shape.js'
import { portOf, requestHead, sendRaw } from './raw-http.js'

const MALFORMED = 'The bearer token is malformed: it must be a single word of letters, digits and -._~+/ (RFC 6750).'
const SEVERAL = 'The request carries more than one Authorization header; send exactly one.'

t.test('over a socket', async (t) => {
  const app = await build(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = portOf(app)
  const target = `${LIST}?$top=1`
  const answer = async (t: Test, lines: string[]): Promise<{ status: number, code: string | undefined, message: string | undefined }> => {
    const raw = await sendRaw(port, requestHead(target, lines))
    if (raw.statusCode >= 400) t.strictSame(errorBodyProblems(raw.body, raw.headers['request-id']), [], `${lines.join(' | ').slice(0, 60)}: Graph's shape`)
    const body = raw.statusCode >= 400 ? JSON.parse(raw.body) as { error: { code: string, message: string } } : undefined
    return { status: raw.statusCode, code: body?.error.code, message: body?.error.message }
  }

  t.test('the header name in any case', async (t) => {
    for (const name of ['Authorization', 'authorization', 'AUTHORIZATION', 'aUtHoRiZaTiOn']) {
      t.equal((await answer(t, [`${name}: Bearer abc`])).status, 200, name)
    }
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
      t.equal((await answer(t, [`Authorization: ${scheme} abc`])).status, 200, scheme)
    }
  })

  t.test('several Authorization lines, whatever their case or values → 401', async (t) => {
    const cases = [
      ['Authorization: Bearer a', 'Authorization: Bearer b'],
      ['Authorization: Bearer a', 'authorization: Bearer a'],
      ['AUTHORIZATION: Bearer a', 'Authorization: Basic x', 'authorization: Bearer c'],
      ['Authorization: Bearer a', 'Authorization: ']
    ]
    for (const lines of cases) {
      t.strictSame(await answer(t, lines), { status: 401, code: 'InvalidAuthenticationToken', message: SEVERAL }, lines.join(' | '))
    }
  })

  t.test('very long tokens: accepted within the header limit, 431 beyond it', async (t) => {
    t.equal((await answer(t, [`Authorization: Bearer ${'t'.repeat(16000)}`])).status, 200, '16 000-character token')
    t.equal((await answer(t, [`Authorization: Bearer ${'t'.repeat(17000)}`])).status, 431, '17 000 characters: over the 16 KiB header limit (hook)')
    t.equal((await answer(t, [`Authorization: Bearer ${'t'.repeat(40000)}`])).status, 431, '40 000 characters: over the head buffer (socket)')
  })

  t.test('non-ASCII bytes → 401 malformed, never a crash', async (t) => {
    const cases = ['Bearer \u00c3\u00a9t\u00c3\u00a9', 'Bearer \u00e9', 'Bearer tok\u00ff', 'Bearer \u00e2\u0080\u0094dash']
    for (const value of cases) {
      t.strictSame(await answer(t, [`Authorization: ${value}`]), { status: 401, code: 'InvalidAuthenticationToken', message: MALFORMED }, JSON.stringify(value))
    }
    const scheme = await answer(t, ['Authorization: B\u00e9arer x'])
    t.equal(scheme.status, 401, 'a non-ASCII scheme')
    t.equal(scheme.code, 'InvalidAuthenticationToken')
  })

  t.test('control characters Node\'s parser rejects → 400 Graph body at the socket', async (t) => {
    for (const value of ['Bearer a\u0000b', 'Bearer a\u0001b', 'Bearer a\u007fb']) {
      const result = await answer(t, [`Authorization: ${value}`])
      t.equal(result.status, 400, JSON.stringify(value))
    }
  })
})

t.test('in-process edge cases', async (t) => {
  const app = await build(t)
  const cases: Array<[Record<string, string>, number, string | undefined]> = [
    // Only a space separates scheme and token (RFC 7235 `1*SP`): with a tab, the whole is the scheme.
    [{ authorization: 'Bearer\tabc' }, 401, "The authorization scheme 'Bearer\tabc' is not supported. Send 'Authorization: Bearer <access token>'."],
    [{ authorization: '  Bearer   abc  ' }, 200, undefined],
    [{ authorization: 'Bearer abc==' }, 200, undefined],
    [{ authorization: 'Bearer ==abc' }, 401, MALFORMED],
    [{ authorization: 'Bearer abc def' }, 401, MALFORMED],
    [{ authorization: `Bearer ${'/'.repeat(5000)}` }, 200, undefined],
    [{ authorization: `${'B'.repeat(5000)} x` }, 401, `The authorization scheme '${'B'.repeat(40)}…' is not supported. Send 'Authorization: Bearer <access token>'.`]
  ]
  for (const [headers, status, message] of cases) {
    const response = await app.inject({ method: 'GET', url: `${LIST}?$top=1`, headers })
    t.equal(response.statusCode, status, JSON.stringify(headers).slice(0, 60))
    if (message !== undefined) t.strictSame(response.json(), expectedError(response, 'InvalidAuthenticationToken', message), JSON.stringify(headers).slice(0, 60))
  }
  t.equal((await app.inject({ method: 'GET', url: `${LIST}?$top=1`, headers: AUTH })).statusCode, 200, 'a normal request after them')
})
