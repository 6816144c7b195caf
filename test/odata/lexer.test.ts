import t from 'tap'
import { badRequest } from '../../src/errors.js'
import { tokenize } from '../../src/odata/lexer.js'

const fail = (message: string) => badRequest(message)
const kinds = (text: string) => tokenize(text, fail).map((token) => `${token.kind}:${token.text}`)

t.test('token kinds and texts', async (t) => {
  const cases: Array<[string, string[]]> = [
    ["status eq 'active'", ['identifier:status', 'identifier:eq', 'string:active', 'end:']],
    ["'O''Neil'", ["string:O'Neil", 'end:']],
    ["''''", ["string:'", 'end:']],
    ['42 -7 2.5 1e3 -1.5E-2', ['number:42', 'number:-7', 'number:2.5', 'number:1e3', 'number:-1.5E-2', 'end:']],
    ['fd0a3aab-9f48-1cfb-78d4-1402e9ff95ff', ['guid:fd0a3aab-9f48-1cfb-78d4-1402e9ff95ff', 'end:']],
    ['2024-01-15', ['date:2024-01-15', 'end:']],
    ['2024-01-15T10:00:00Z', ['dateTimeOffset:2024-01-15T10:00:00Z', 'end:']],
    ['2024-01-15T10:00+01:00', ['dateTimeOffset:2024-01-15T10:00+01:00', 'end:']],
    ['2024-01-15T10:00:00.1234567-05:30', ['dateTimeOffset:2024-01-15T10:00:00.1234567-05:30', 'end:']],
    ['07:59:59.999', ['timeOfDay:07:59:59.999', 'end:']],
    ["microsoft.graph.restoreSessionStatus'active'", ['typed:microsoft.graph.restoreSessionStatus', 'end:']],
    ['status eq @s', ['identifier:status', 'identifier:eq', 'alias:@s', 'end:']],
    ["contains(id,@x_1) or '@y' eq @Z9", ['identifier:contains', 'openParen:(', 'identifier:id', 'comma:,', 'alias:@x_1', 'closeParen:)', 'identifier:or', 'string:@y', 'identifier:eq', 'alias:@Z9', 'end:']],
    ["duration'PT1H'", ['typed:duration', 'end:']],
    ['a/b/$count', ['identifier:a', 'slash:/', 'identifier:b', 'slash:/', 'identifier:$count', 'end:']],
    ['any(d:d/code)', ['identifier:any', 'openParen:(', 'identifier:d', 'colon::', 'identifier:d', 'slash:/', 'identifier:code', 'closeParen:)', 'end:']],
    ['-x', ['minus:-', 'identifier:x', 'end:']],
    ['  \t', ['end:']],
    ['geo.distance', ['identifier:geo.distance', 'end:']],
    ['not(x)', ['identifier:not', 'openParen:(', 'identifier:x', 'closeParen:)', 'end:']]
  ]
  for (const [input, expected] of cases) t.strictSame(kinds(input), expected, input)
})

t.test('typed literal values are unescaped', async (t) => {
  const [token] = tokenize("ns.T'a''b'", fail)
  t.equal(token?.value, "a'b")
  t.equal(token?.end, 10)
})

t.test('positions', async (t) => {
  const tokens = tokenize("ab  eq 'x'", fail)
  t.strictSame(tokens.map((token) => [token.start, token.end]), [[0, 2], [4, 6], [7, 10], [10, 10]])
})

t.test('lexer errors carry ODL wording and positions', async (t) => {
  const cases: Array<[string, string]> = [
    ["name eq 'abc", "There is an unterminated string literal at position 12 in 'name eq 'abc'."],
    ["'it''s", "There is an unterminated string literal at position 6 in ''it''s'."],
    ['a eq #', "Syntax error: character '#' is not valid at position 5 in 'a eq #'."],
    ['a eq @', "Syntax error: character '@' is not valid at position 5 in 'a eq @'."],
    ['a eq @1', "Syntax error: character '@' is not valid at position 5 in 'a eq @1'."],
    ['x eq 2024-13-01', "Unrecognized 'Edm.Date' literal '2024-13-01' at '5' in 'x eq 2024-13-01'."],
    ['x eq 2024-02-30T00:00Z', "Unrecognized 'Edm.DateTimeOffset' literal '2024-02-30T00:00Z' at '5' in 'x eq 2024-02-30T00:00Z'."],
    ['x eq 2024-01-01T10:00', "Unrecognized 'Edm.DateTimeOffset' literal '2024-01-01T10:00' at '5' in 'x eq 2024-01-01T10:00'."]
  ]
  for (const [input, message] of cases) t.throws(() => tokenize(input, fail), { message }, input)
})

t.test('long adversarial inputs lex in one pass', async (t) => {
  const quotes = "'".repeat(100_001)
  t.throws(() => tokenize(quotes, fail), { message: /unterminated string literal at position 100001/ })
  const dashes = tokenize('1-'.repeat(20_000), fail)
  t.equal(dashes.length, 20_002, '1, then -1 pairs, a trailing minus, end')
  const digits = tokenize('9'.repeat(50_000), fail)
  t.equal(digits.length, 2)
  t.equal(tokenize('a.'.repeat(10_000) + 'b', fail).length, 2)
})
