// Recursive-descent parser for $filter and $orderby expressions, one function per precedence level,
// lowest first: or < and < comparison (eq ne gt ge lt le, one level) < add sub < mul div mod
// < unary (- not) < in has < primary. Binary operators are left-associative. Keywords match
// case-insensitively. Nesting is bounded by `maxDepth`, never by the call stack.
import type { BinaryOperator, Expr, Literal, OrderByItem, PathExpr } from './ast.js'
import { tokenize, type ErrorFactory, type Token, type TokenKind } from './lexer.js'
import { messages } from './messages.js'

export interface ParseOptions {
  readonly maxDepth: number
  /** Wraps a syntax message into the 400 to throw (e.g. with Graph's `Invalid filter clause: ` prefix). */
  readonly fail: ErrorFactory
}

const notOperandStart = new Set<TokenKind>(['end', 'closeParen', 'comma', 'slash', 'colon', 'star'])
const comparison = new Set<BinaryOperator>(['eq', 'ne', 'gt', 'ge', 'lt', 'le'])
const additive = new Set<BinaryOperator>(['add', 'sub'])
const multiplicative = new Set<BinaryOperator>(['mul', 'div', 'mod'])

export function parseFilter (text: string, options: ParseOptions): Expr {
  const parser = new Parser(text, options)
  const expr = parser.expression()
  parser.expectEnd()
  return expr
}

export function parseOrderBy (text: string, options: ParseOptions): OrderByItem[] {
  const parser = new Parser(text, options)
  const items: OrderByItem[] = []
  for (;;) {
    const expr = parser.expression()
    const direction = parser.direction()
    items.push({ expr, direction })
    if (!parser.acceptComma()) break
  }
  parser.expectEnd()
  return items
}

class Parser {
  private readonly tokens: Token[]
  private index = 0
  private depth = 0

  constructor (private readonly text: string, private readonly options: ParseOptions) {
    this.tokens = tokenize(text, options.fail)
  }

  private cur (): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1] ?? { kind: 'end', text: '', start: 0, end: 0 }
  }

  private peek (offset: number): Token | undefined {
    return this.tokens[this.index + offset]
  }

  private next (): Token {
    const token = this.cur()
    if (this.index < this.tokens.length - 1) this.index++
    return token
  }

  private fail (message: string): never {
    throw this.options.fail(message)
  }

  private enter (): void {
    if (++this.depth > this.options.maxDepth) this.fail(messages.recursionDepthExceeded())
  }

  private leave (): void {
    this.depth--
  }

  /** Is the current token the keyword `word` (any case)? */
  private isKeyword (word: string): boolean {
    const token = this.cur()
    return token.kind === 'identifier' && token.text.length === word.length && token.text.toLowerCase() === word
  }

  expectEnd (): void {
    if (this.cur().kind !== 'end') this.fail(messages.syntaxError(this.cur().end, this.text))
  }

  acceptComma (): boolean {
    if (this.cur().kind !== 'comma') return false
    this.next()
    return true
  }

  direction (): 'asc' | 'desc' {
    if (this.isKeyword('asc')) { this.next(); return 'asc' }
    if (this.isKeyword('desc')) { this.next(); return 'desc' }
    return 'asc'
  }

  expression (): Expr {
    this.enter()
    const expr = this.logicalOr()
    this.leave()
    return expr
  }

  private logicalOr (): Expr {
    let left = this.logicalAnd()
    while (this.isKeyword('or')) {
      this.next()
      left = { kind: 'binary', op: 'or', left, right: this.logicalAnd() }
    }
    return left
  }

  private logicalAnd (): Expr {
    let left = this.comparison()
    while (this.isKeyword('and')) {
      this.next()
      left = { kind: 'binary', op: 'and', left, right: this.comparison() }
    }
    return left
  }

  private comparison (): Expr {
    return this.binaryLevel(comparison, () => this.additive())
  }

  private additive (): Expr {
    return this.binaryLevel(additive, () => this.multiplicative())
  }

  private multiplicative (): Expr {
    return this.binaryLevel(multiplicative, () => this.unary())
  }

  private binaryLevel (operators: ReadonlySet<BinaryOperator>, operand: () => Expr): Expr {
    let left = operand()
    for (;;) {
      const op = this.operatorIn(operators)
      if (op === undefined) return left
      this.next()
      left = { kind: 'binary', op, left, right: operand() }
    }
  }

  private operatorIn (operators: ReadonlySet<BinaryOperator>): BinaryOperator | undefined {
    const token = this.cur()
    if (token.kind !== 'identifier' || token.text.length > 3) return undefined
    const lower = token.text.toLowerCase()
    for (const op of operators) if (op === lower) return op
    return undefined
  }

  private unary (): Expr {
    const token = this.cur()
    if (token.kind === 'minus') {
      this.next()
      this.enter()
      const operand = this.unary()
      this.leave()
      return negate(operand)
    }
    if (this.isKeyword('not') && this.startsOperand(this.peek(1))) {
      this.next()
      this.enter()
      const operand = this.unary()
      this.leave()
      return { kind: 'unary', op: 'not', operand }
    }
    return this.inHas()
  }

  /** `not` is the operator only when an operand follows; otherwise it is a property named `not`. */
  private startsOperand (token: Token | undefined): boolean {
    if (token === undefined || notOperandStart.has(token.kind)) return false
    return token.kind !== 'identifier' || !isOperatorWord(token.text)
  }

  private inHas (): Expr {
    let left = this.primary()
    for (;;) {
      if (this.isKeyword('in')) {
        this.next()
        left = this.inRight(left)
      } else if (this.isKeyword('has')) {
        this.next()
        left = { kind: 'binary', op: 'has', left, right: this.primary() }
      } else {
        return left
      }
    }
  }

  /** `in ( literal, … )`, or a single parenthesised / path expression naming a collection. */
  private inRight (left: Expr): Expr {
    if (this.cur().kind !== 'openParen') return { kind: 'inExpr', left, right: this.primary() }
    this.next()
    this.enter()
    const list: Literal[] = []
    if (this.cur().kind === 'closeParen') {
      this.next()
      this.leave()
      return { kind: 'in', left, list }
    }
    const first = this.expression()
    if (this.cur().kind === 'closeParen') {
      this.next()
      this.leave()
      return first.kind === 'literal' ? { kind: 'in', left, list: [first.literal] } : { kind: 'inExpr', left, right: first }
    }
    if (first.kind !== 'literal') this.fail(messages.closeParenOrOperatorExpected(this.cur().start, this.text))
    list.push(first.literal)
    while (this.cur().kind === 'comma') {
      this.next()
      const item = this.expression()
      if (item.kind !== 'literal') this.fail(messages.syntaxError(this.cur().start, this.text))
      list.push(item.literal)
    }
    if (this.cur().kind !== 'closeParen') this.fail(messages.closeParenOrCommaExpected(this.cur().start, this.text))
    this.next()
    this.leave()
    return { kind: 'in', left, list }
  }

  private primary (): Expr {
    const token = this.cur()
    switch (token.kind) {
      case 'openParen': {
        this.next()
        const expr = this.expression()
        if (this.cur().kind !== 'closeParen') this.fail(messages.closeParenOrOperatorExpected(this.cur().start, this.text))
        this.next()
        return expr
      }
      case 'string': this.next(); return literal({ type: 'string', value: token.text })
      case 'number': this.next(); return literal({ type: 'number', numberKind: token.numberKind ?? 'int', text: token.text })
      case 'guid': this.next(); return literal({ type: 'guid', text: token.text })
      case 'dateTimeOffset': this.next(); return literal({ type: 'dateTimeOffset', text: token.text })
      case 'date': this.next(); return literal({ type: 'date', text: token.text })
      case 'timeOfDay': this.next(); return literal({ type: 'timeOfDay', text: token.text })
      case 'typed': this.next(); return literal({ type: 'typed', prefix: token.text, value: token.value ?? '' })
      case 'identifier': return this.identifierExpr(token)
      // An alias is replaced by its value before parsing (query-string.ts); one left here has none to take.
      case 'closeParen': case 'comma': case 'slash': case 'colon': case 'minus': case 'star': case 'alias': case 'end':
        return this.fail(messages.expressionExpected(token.start, this.text))
    }
  }

  private identifierExpr (token: Token): Expr {
    const keyword = keywordLiteral(token.text)
    if (keyword !== undefined) {
      this.next()
      return literal(keyword)
    }
    if (this.peek(1)?.kind === 'openParen') {
      // A lambda operator needs a collection path before it.
      const lower = token.text.toLowerCase()
      if (lower === 'any' || lower === 'all') this.fail(messages.syntaxError(token.end, this.text))
      return this.call()
    }
    return this.path()
  }

  private call (): Expr {
    const name = this.next().text
    this.next()
    this.enter()
    const args: Expr[] = []
    if (this.cur().kind !== 'closeParen') {
      for (;;) {
        args.push(this.expression())
        if (this.cur().kind !== 'comma') break
        this.next()
      }
    }
    if (this.cur().kind !== 'closeParen') this.fail(messages.closeParenOrCommaExpected(this.cur().start, this.text))
    this.next()
    this.leave()
    return { kind: 'call', name, args }
  }

  /** `a/b/c`, `a/$count`, `$it/a`, `a/b/any(x: …)`, `a/all(x: …)`. */
  private path (): Expr {
    const segments: string[] = [this.next().text]
    while (this.cur().kind === 'slash') {
      this.next()
      const segment = this.cur()
      if (segment.kind !== 'identifier') this.fail(messages.syntaxError(segment.start, this.text))
      const lower = segment.text.toLowerCase()
      if ((lower === 'any' || lower === 'all') && this.peek(1)?.kind === 'openParen') {
        return this.lambda(lower, { kind: 'path', segments })
      }
      if (this.peek(1)?.kind === 'openParen') this.fail(messages.syntaxError(segment.end, this.text))
      this.next()
      segments.push(segment.text)
    }
    return { kind: 'path', segments }
  }

  private lambda (op: 'any' | 'all', collection: PathExpr): Expr {
    this.next()
    this.next()
    this.enter()
    if (this.cur().kind === 'closeParen') {
      if (op === 'all') this.fail(messages.expressionExpected(this.cur().start, this.text))
      this.next()
      this.leave()
      return { kind: 'lambda', op, collection, variable: null, predicate: null }
    }
    const variable = this.cur()
    if (variable.kind !== 'identifier' || this.peek(1)?.kind !== 'colon') this.fail(messages.syntaxError(variable.end, this.text))
    this.next()
    this.next()
    const predicate = this.expression()
    if (this.cur().kind !== 'closeParen') this.fail(messages.closeParenOrOperatorExpected(this.cur().start, this.text))
    this.next()
    this.leave()
    return { kind: 'lambda', op, collection, variable: variable.text, predicate }
  }
}

function literal (value: Literal): Expr {
  return { kind: 'literal', literal: value }
}

/** `-` before a number literal folds into a negative literal; otherwise it is the Negate operator. */
function negate (operand: Expr): Expr {
  if (operand.kind === 'literal' && operand.literal.type === 'number' && !operand.literal.text.startsWith('-')) {
    return literal({ ...operand.literal, text: `-${operand.literal.text}` })
  }
  return { kind: 'unary', op: 'negate', operand }
}

function keywordLiteral (text: string): Literal | undefined {
  switch (text.toLowerCase()) {
    case 'null': return { type: 'null' }
    case 'true': return { type: 'boolean', value: true }
    case 'false': return { type: 'boolean', value: false }
    default: break
  }
  if (text === 'INF' || text === 'NaN') return { type: 'number', numberKind: 'double', text }
  return undefined
}

const operatorWords = new Set(['and', 'or', 'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'add', 'sub', 'mul', 'div', 'mod', 'in', 'has', 'asc', 'desc'])
function isOperatorWord (text: string): boolean {
  return text.length <= 4 && operatorWords.has(text.toLowerCase())
}
