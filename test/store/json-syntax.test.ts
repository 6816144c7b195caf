import t from 'tap'
import { findJsonSyntaxError } from '../../src/store/json-syntax.js'

t.test('valid JSON has no syntax error', async (t) => {
  for (const text of ['[]', ' {"a": [1, 2.5e-3, true, false, null, "x\\n\\u0041"]} ', '"s"', '-0']) {
    t.equal(findJsonSyntaxError(text), undefined, text)
  }
})

const cases: ReadonlyArray<{ text: string, expected: { line: number, column: number, offset: number, reason: string } }> = [
  { text: '', expected: { line: 1, column: 1, offset: 0, reason: 'unexpected end of input' } },
  { text: '[1,]', expected: { line: 1, column: 4, offset: 3, reason: 'unexpected "]", expected a value' } },
  { text: '[\n  {"a": 1,}\n]', expected: { line: 2, column: 11, offset: 12, reason: 'unexpected "}", expected a double-quoted property name' } },
  { text: '{"a" 1}', expected: { line: 1, column: 6, offset: 5, reason: 'unexpected "1", expected ":"' } },
  { text: '[1 2]', expected: { line: 1, column: 4, offset: 3, reason: 'unexpected "2", expected "," or "]"' } },
  { text: '["abc', expected: { line: 1, column: 6, offset: 5, reason: 'unterminated string' } },
  { text: '["a\\qb"]', expected: { line: 1, column: 4, offset: 3, reason: 'a malformed string (bad escape or control character)' } },
  { text: '[01]', expected: { line: 1, column: 3, offset: 2, reason: 'unexpected "1", expected "," or "]"' } },
  { text: '[tru]', expected: { line: 1, column: 2, offset: 1, reason: 'unexpected "t", expected a value' } },
  { text: '{}\n\nx', expected: { line: 3, column: 1, offset: 4, reason: 'unexpected content after the JSON value' } },
  { text: '['.repeat(600), expected: { line: 1, column: 514, offset: 513, reason: 'nesting deeper than 512 levels' } }
]

t.test('the first syntax error, with line and column', async (t) => {
  for (const { text, expected } of cases) {
    t.strictSame(findJsonSyntaxError(text), expected, JSON.stringify(text.slice(0, 20)))
  }
})
