// Nothing on a request's path backtracks catastrophically: every function that reads client text
// (lexer, parser, query-string splitter, $select and $expand readers, bearer-token check, key-segment
// rewrite, Prefer parser, the socket-level request-line check, the whole engine.prepare) is timed on
// 50 000-character adversarial strings against a plain input of the same length, in the same run.
//
// Why a ratio, and why 20: absolute times swing 2× and more on a shared 2-core machine, but both sides
// of a ratio swing together. A linear function's cost differs between inputs of one length only by a
// constant (more tokens per character, an early 400 instead of a full parse), measured here between
// 0.0 (an early 400) and about 10 (a regex replacement every five characters). Catastrophic backtracking is not a constant: at 50 000 characters a
// quadratic regex costs about 10^4 times the linear one, an exponential one never ends (the test
// times out). 20 leaves room for noise and for honest constant factors, and none for either failure.

import t from 'tap'
import { exchangeRestoreSessionSchema } from '../../schemas/index.js'
import { rewriteKeySegments } from '../../src/graph/key-segments.js'
import { preferencesOf } from '../../src/graph/request-url.js'
import { createQueryEngine, defaultQuerySettings, entityModelFromSchema } from '../../src/odata/index.js'
import { parseExpand } from '../../src/odata/expand.js'
import { tokenize } from '../../src/odata/lexer.js'
import { parseFilter, parseOrderBy } from '../../src/odata/parser.js'
import { parseQueryString } from '../../src/odata/query-string.js'
import { selectItems } from '../../src/odata/select.js'
import { badRequest, type GraphError } from '../../src/errors.js'
import { bearerTokenOf } from '../../src/plugins/auth.js'
import { requestLineTooLong } from '../../src/plugins/limits.js'

const N = 50_000
const MAX_RATIO = 20

/** `unit` repeated and cut to exactly N characters. */
function fill (unit: string, prefix = '', suffix = ''): string {
  const room = N - prefix.length - suffix.length
  return prefix + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + suffix
}

function runOnce (fn: (input: string) => unknown, input: string): void {
  try {
    fn(input)
  } catch {
    // A 400 is a fine answer; only the time it took matters here.
  }
}

/** Nanoseconds for `repeats` calls, the best of five batches. */
function batchCost (fn: (input: string) => unknown, input: string, repeats: number): number {
  let best = Number.POSITIVE_INFINITY
  for (let batch = 0; batch < 5; batch++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < repeats; i++) runOnce(fn, input)
    best = Math.min(best, Number(process.hrtime.bigint() - start))
  }
  return best
}

/** How many calls of the plain input make a batch of at least 2 ms, so that timer noise is small. */
function calibrate (fn: (input: string) => unknown, plain: string): number {
  let repeats = 1
  while (repeats < 256 && batchCost(fn, plain, repeats) < 2_000_000) repeats *= 2
  return repeats
}

interface Target {
  name: string
  fn: (input: string) => unknown
  plain: string
  adversarial: Record<string, string>
}

const fail = (message: string): GraphError => badRequest(message)
const model = entityModelFromSchema('microsoft.graph.exchangeRestoreSession', exchangeRestoreSessionSchema)
const looseSettings = { ...defaultQuerySettings, maxFilterLength: 10 * N }
const requestWith = (authorization: string): Parameters<typeof bearerTokenOf>[0] =>
  ({ headers: { authorization }, raw: { rawHeaders: ['Authorization', authorization] } }) as unknown as Parameters<typeof bearerTokenOf>[0]

const targets: Target[] = [
  {
    name: 'lexer (tokenize)',
    fn: (text) => tokenize(text, fail),
    plain: fill("status eq 'active' and "),
    adversarial: {
      'unterminated string of escaped quotes': fill("''", "'"),
      'open parentheses': fill('('),
      'dotted name': fill('a.'),
      'digits then e': fill('1', '', 'e'),
      'almost a date-time': fill('2025-01-01T'),
      'almost a GUID': fill('aaaaaaaa-aaaa-'),
      'non-ASCII letters': fill('é'),
      'minus signs': fill('-'),
      'typed-literal prefixes': fill("a'x'")
    }
  },
  {
    name: 'parser ($filter)',
    fn: (text) => parseFilter(text, { maxDepth: 100, fail }),
    plain: fill("status eq 'active' and ", '', "id eq 'x'"),
    adversarial: {
      'nested parentheses': fill('(', '', 'id'),
      'not chain': fill('not '),
      'minus chain': fill('-', '', '1'),
      'long path': fill('a/', '', 'a'),
      'long in-list': fill("'a',", 'id in (', "'a')"),
      'operators without operands': fill('eq '),
      'lambda chain': fill('a/any(x:x/', '', 'b)')
    }
  },
  {
    name: 'parser ($orderby)',
    fn: (text) => parseOrderBy(text, { maxDepth: 100, fail }),
    plain: fill('createdDateTime desc,', '', 'id'),
    adversarial: { commas: fill(','), 'desc desc': fill('desc ') }
  },
  {
    name: 'query-string splitter',
    fn: (text) => parseQueryString(text, looseSettings),
    plain: fill('custom=abcdefgh&'),
    adversarial: {
      ampersands: fill('&'),
      'percent signs': fill('%'),
      'encoded percent': fill('%25', 'x='),
      'plus signs': fill('+', 'x='),
      'empty pairs': fill('=&'),
      'many equals': fill('=', 'x')
    }
  },
  {
    name: '$select reader',
    fn: (text) => selectItems(text, Number.MAX_SAFE_INTEGER),
    plain: fill('createdBy/user/displayName,', '', 'id'),
    adversarial: { commas: fill(','), slashes: fill('a/', '', 'a'), spaces: fill(' ', '', 'id'), stars: fill('*/') }
  },
  {
    name: '$expand reader',
    fn: (text) => parseExpand(text, model),
    plain: fill('a', 'mailboxRestoreArtifacts'),
    adversarial: { 'open parentheses': fill('(', 'a'), commas: fill(',)', 'a('), 'close parentheses': fill(')', 'a') }
  },
  {
    name: 'bearer-token check',
    fn: (text) => bearerTokenOf(requestWith(text)),
    plain: fill('a', 'Bearer '),
    adversarial: {
      'letters then padding then junk': fill('=', `Bearer ${'a'.repeat(N / 2)}`, '!'),
      'padding then a letter': fill('=', 'Bearer ', 'a'),
      spaces: fill(' ', 'Bearer', 'x'),
      'leading spaces': fill(' ', '', 'Bearer x'),
      'dots and slashes': fill('./', 'Bearer ', '"')
    }
  },
  {
    name: 'key-segment rewrite',
    fn: (text) => rewriteKeySegments(text),
    plain: fill(`/x('${'a'.repeat(36)}')`, '/beta'),
    adversarial: {
      "repeated ('": fill("('"),
      'repeated (%27': fill('(%27'),
      "unclosed ('a": fill("('a"),
      'many keys': fill("('a')"),
      'quote-paren pairs': fill("')(")
    }
  },
  {
    name: 'Prefer parser',
    fn: (text) => preferencesOf(text),
    plain: fill('odata.maxpagesize=10, '),
    adversarial: { 'unclosed quote': fill('a', 'x="'), quotes: fill('"', 'x='), commas: fill(','), 'equals and semicolons': fill('=;') }
  },
  {
    name: 'request-line check (socket level)',
    fn: (text) => requestLineTooLong(Buffer.from(text, 'latin1'), 16384),
    plain: fill('a', 'GET /'),
    adversarial: { spaces: fill(' '), 'upper-case letters': fill('A'), 'no line end': fill('/', 'GET ') }
  },
  {
    name: 'engine.prepare (whole query string)',
    // A fresh engine per call: prepare() caches what it parsed, and the plain input must be parsed too.
    fn: (text) => createQueryEngine(model, looseSettings).prepare(text, 'collection'),
    plain: fill(" or status eq 'active'", "$filter=id eq 'x'"),
    adversarial: {
      'filter of parentheses': fill('(', '$filter='),
      'filter of quotes': fill('%27%27', '$filter=%27'),
      'select of commas': fill(',', '$select='),
      'orderby of commas': fill(',', '$orderby='),
      'expand of parentheses': fill('(', '$expand=a'),
      'skip token': fill('a', '$skiptoken=1.')
    }
  }
]

for (const target of targets) {
  t.test(target.name, async (t) => {
    t.equal(target.plain.length, N, 'the plain input has the same length')
    const repeats = calibrate(target.fn, target.plain)
    for (const [label, input] of Object.entries(target.adversarial)) {
      t.equal(input.length, N, `${label}: ${N} characters`)
      const plain = batchCost(target.fn, target.plain, repeats)
      const hostile = batchCost(target.fn, input, repeats)
      const ratio = hostile / plain
      t.ok(ratio < MAX_RATIO, `${label}: ${ratio.toFixed(2)}× the plain input (${(hostile / repeats / 1e6).toFixed(3)} ms vs ${(plain / repeats / 1e6).toFixed(3)} ms)`)
    }
  })
}
