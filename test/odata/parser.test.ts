import t from 'tap'
import { badRequest } from '../../src/errors.js'
import type { Expr, Literal, PathExpr } from '../../src/odata/ast.js'
import { filterPrefix } from '../../src/odata/messages.js'
import { parseFilter, parseOrderBy } from '../../src/odata/parser.js'

const options = { maxDepth: 100, fail: (message: string) => badRequest(filterPrefix + message) }
const parse = (text: string) => parseFilter(text, options)

const path = (...segments: string[]): PathExpr => ({ kind: 'path', segments })
const lit = (literal: Literal): Expr => ({ kind: 'literal', literal })
const str = (value: string): Expr => lit({ type: 'string', value })
const int = (text: string): Expr => lit({ type: 'number', numberKind: 'int', text })
const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right })
const not = (operand: Expr): Expr => ({ kind: 'unary', op: 'not', operand })

t.test('trees', async (t) => {
  const cases: Array<[string, Expr]> = [
    ["status eq 'active'", bin('eq', path('status'), str('active'))],
    ['a and b or c', bin('or', bin('and', path('a'), path('b')), path('c'))],
    ['a or b and c', bin('or', path('a'), bin('and', path('b'), path('c')))],
    ['a sub 1 sub 2', bin('sub', bin('sub', path('a'), int('1')), int('2'))],
    ['a add 1 mul 2', bin('add', path('a'), bin('mul', int('1'), int('2')))],
    ['a div 2 mod 3', bin('mod', bin('div', path('a'), int('2')), int('3'))],
    ['(a add 1) mul 2', bin('mul', bin('add', path('a'), int('1')), int('2'))],
    // One comparison level, left-associative.
    ['a eq b lt c', bin('lt', bin('eq', path('a'), path('b')), path('c'))],
    // not binds tighter than eq: (not a) eq b.
    ['not a eq b', bin('eq', not(path('a')), path('b'))],
    ["not(status eq 'x')", not(bin('eq', path('status'), str('x')))],
    ["NOT (status EQ 'x')", not(bin('eq', path('status'), str('x')))],
    // in / has bind tighter than not.
    ["not status in ('a')", not({ kind: 'in', left: path('status'), list: [{ type: 'string', value: 'a' }] })],
    ["s has ns.E'x'", bin('has', path('s'), lit({ type: 'typed', prefix: 'ns.E', value: 'x' }))],
    ["status in ('a', 'b')", { kind: 'in', left: path('status'), list: [{ type: 'string', value: 'a' }, { type: 'string', value: 'b' }] }],
    ['x in (null, 1)', { kind: 'in', left: path('x'), list: [{ type: 'null' }, { type: 'number', numberKind: 'int', text: '1' }] }],
    ['x in ()', { kind: 'in', left: path('x'), list: [] }],
    ['x in (y)', { kind: 'inExpr', left: path('x'), right: path('y') }],
    ['-5', int('-5')],
    ['- 5', int('-5')],
    ['-a', { kind: 'unary', op: 'negate', operand: path('a') }],
    ['a sub -1', bin('sub', path('a'), int('-1'))],
    ['createdBy/user/displayName', path('createdBy', 'user', 'displayName')],
    ['error/details/$count gt 0', bin('gt', path('error', 'details', '$count'), int('0'))],
    ["contains(name, 'x')", { kind: 'call', name: 'contains', args: [path('name'), str('x')] }],
    ['now()', { kind: 'call', name: 'now', args: [] }],
    ["substring(a, 1, 2) eq 'b'", bin('eq', { kind: 'call', name: 'substring', args: [path('a'), int('1'), int('2')] }, str('b'))],
    ["error/details/any(d: d/code eq 'x')", {
      kind: 'lambda', op: 'any', collection: path('error', 'details'), variable: 'd', predicate: bin('eq', path('d', 'code'), str('x'))
    }],
    ['tags/any()', { kind: 'lambda', op: 'any', collection: path('tags'), variable: null, predicate: null }],
    ['x/ALL(v:v)', { kind: 'lambda', op: 'all', collection: path('x'), variable: 'v', predicate: path('v') }],
    ['true', lit({ type: 'boolean', value: true })],
    ['FALSE', lit({ type: 'boolean', value: false })],
    ['a eq null', bin('eq', path('a'), lit({ type: 'null' }))],
    ['2.5', lit({ type: 'number', numberKind: 'decimal', text: '2.5' })],
    ['1e3', lit({ type: 'number', numberKind: 'double', text: '1e3' })],
    ['-INF', lit({ type: 'number', numberKind: 'double', text: '-INF' })],
    ['d ge 2024-01-15', bin('ge', path('d'), lit({ type: 'date', text: '2024-01-15' }))],
    ['d le 2024-01-15T00:00:00Z', bin('le', path('d'), lit({ type: 'dateTimeOffset', text: '2024-01-15T00:00:00Z' }))],
    ['g eq 72f988bf-86f1-41af-91ab-2d7cd011db47', bin('eq', path('g'), lit({ type: 'guid', text: '72f988bf-86f1-41af-91ab-2d7cd011db47' }))],
    ["status eq microsoft.graph.restoreSessionStatus'active'",
      bin('eq', path('status'), lit({ type: 'typed', prefix: 'microsoft.graph.restoreSessionStatus', value: 'active' }))],
    ['$it/a eq 1', bin('eq', path('$it', 'a'), int('1'))],
    ['((a))', path('a')],
    ['not', path('not')]
  ]
  for (const [input, expected] of cases) t.strictSame(parse(input), expected, input)
})

t.test('orderby lists', async (t) => {
  t.strictSame(parseOrderBy('a, b DESC,c asc', options), [
    { expr: path('a'), direction: 'asc' },
    { expr: path('b'), direction: 'desc' },
    { expr: path('c'), direction: 'asc' }
  ])
  t.strictSame(parseOrderBy('x ge y desc', options), [{ expr: bin('ge', path('x'), path('y')), direction: 'desc' }])
  t.throws(() => parseOrderBy('a,', options), { message: `${filterPrefix}Expression expected at position 2 in 'a,'.` })
  t.throws(() => parseOrderBy('a up', options), { message: `${filterPrefix}Syntax error at position 4 in 'a up'.` })
})

t.test('syntax errors: ODL wording, positions and Graph prefix', async (t) => {
  const cases: Array<[string, string]> = [
    ["jobtitle ge '!' , accountenabled eq true", "Syntax error at position 17 in 'jobtitle ge '!' , accountenabled eq true'."],
    ['', "Expression expected at position 0 in ''."],
    ['a eq', "Expression expected at position 4 in 'a eq'."],
    ['a eq )', "Expression expected at position 5 in 'a eq )'."],
    ['(a eq 1', "')' or operator expected at position 7 in '(a eq 1'."],
    ['(a eq 1 b', "')' or operator expected at position 8 in '(a eq 1 b'."],
    ['f(a b)', "')' or ',' expected at position 4 in 'f(a b)'."],
    ["x in ('a' 'b')", "')' or ',' expected at position 10 in 'x in ('a' 'b')'."],
    ["x in (a, 'b')", "')' or operator expected at position 7 in 'x in (a, 'b')'."],
    ['x/all()', "Expression expected at position 6 in 'x/all()'."],
    ['x/any(d)', "Syntax error at position 7 in 'x/any(d)'."],
    ['a eq 1 divby 2', "Syntax error at position 12 in 'a eq 1 divby 2'."],
    ['a/', "Syntax error at position 2 in 'a/'."],
    ['a/f()', "Syntax error at position 3 in 'a/f()'."],
    ['a eq 1)', "Syntax error at position 7 in 'a eq 1)'."]
  ]
  for (const [input, message] of cases) t.throws(() => parse(input), { message: filterPrefix + message }, input)
})

t.test('nesting is bounded by the depth setting, not the stack', async (t) => {
  const depth = (n: number) => '('.repeat(n) + 'true' + ')'.repeat(n)
  t.ok(parseFilter(depth(50), { ...options, maxDepth: 100 }))
  t.throws(() => parseFilter(depth(100), { ...options, maxDepth: 100 }), { message: `${filterPrefix}Recursion depth exceeded allowed limit.` })
  t.throws(() => parse('not '.repeat(5000) + 'true'), { message: /Recursion depth exceeded/ })
  t.throws(() => parse('-'.repeat(5000) + 'a'), { message: /Recursion depth exceeded/ })
  t.throws(() => parse('f('.repeat(5000)), { message: /Recursion depth exceeded/ })
  // Long flat chains are loops, not recursion.
  const chain = parse(Array.from({ length: 2000 }, () => 'a eq 1').join(' or '))
  t.equal(chain.kind, 'binary')
})
