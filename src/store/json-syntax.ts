// Locates the first syntax error in a JSON text. JSON.parse's messages differ between Node versions
// and do not always carry a position, so after a failed parse the loader scans the text once more to
// report a line and column. Only used on that failure path; it builds no values.

export interface JsonSyntaxError {
  readonly offset: number
  readonly line: number
  readonly column: number
  readonly reason: string
}

/** The first syntax error in `text`, or undefined when it is valid JSON. */
export function findJsonSyntaxError (text: string): JsonSyntaxError | undefined {
  const scanner = new Scanner(text)
  try {
    scanner.skipSpace()
    scanner.value(0)
    scanner.skipSpace()
    if (scanner.pos < text.length) scanner.fail('unexpected content after the JSON value')
    return undefined
  } catch (error) {
    if (!(error instanceof SyntaxFailure)) throw error
    return { offset: error.offset, ...lineAndColumn(text, error.offset), reason: error.reason }
  }
}

class SyntaxFailure extends Error {
  constructor (readonly offset: number, readonly reason: string) {
    super(reason)
  }
}

const MAX_DEPTH = 512
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y // eslint-disable-line no-control-regex

class Scanner {
  pos = 0
  constructor (private readonly text: string) {}

  fail (reason: string): never {
    throw new SyntaxFailure(this.pos, reason)
  }

  skipSpace (): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text.charAt(this.pos))) this.pos++
  }

  value (depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`)
    const char = this.text.charAt(this.pos)
    if (char === '{') return this.object(depth)
    if (char === '[') return this.array(depth)
    if (char === '"') return this.string()
    if (char === '-' || (char >= '0' && char <= '9')) return this.match(NUMBER, 'a malformed number')
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.pos)) {
        this.pos += literal.length
        return
      }
    }
    this.fail(this.pos >= this.text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(char)}, expected a value`)
  }

  object (depth: number): void {
    this.pos++
    this.skipSpace()
    if (this.text.charAt(this.pos) === '}') {
      this.pos++
      return
    }
    for (;;) {
      if (this.text.charAt(this.pos) !== '"') this.unexpected('a double-quoted property name')
      this.string()
      this.skipSpace()
      if (this.text.charAt(this.pos) !== ':') this.unexpected('":"')
      this.pos++
      this.skipSpace()
      this.value(depth + 1)
      this.skipSpace()
      const char = this.text.charAt(this.pos)
      this.pos++
      if (char === '}') return
      if (char !== ',') {
        this.pos--
        this.unexpected('"," or "}"')
      }
      this.skipSpace()
    }
  }

  array (depth: number): void {
    this.pos++
    this.skipSpace()
    if (this.text.charAt(this.pos) === ']') {
      this.pos++
      return
    }
    for (;;) {
      this.value(depth + 1)
      this.skipSpace()
      const char = this.text.charAt(this.pos)
      this.pos++
      if (char === ']') return
      if (char !== ',') {
        this.pos--
        this.unexpected('"," or "]"')
      }
      this.skipSpace()
    }
  }

  string (): void {
    this.pos++
    this.match(STRING_BODY, 'a malformed string')
    if (this.text.charAt(this.pos) !== '"') {
      this.fail(this.pos >= this.text.length ? 'unterminated string' : 'a malformed string (bad escape or control character)')
    }
    this.pos++
  }

  match (pattern: RegExp, what: string): void {
    pattern.lastIndex = this.pos
    if (!pattern.test(this.text)) this.fail(what)
    this.pos = pattern.lastIndex
  }

  unexpected (expected: string): never {
    if (this.pos >= this.text.length) this.fail(`unexpected end of input, expected ${expected}`)
    this.fail(`unexpected ${JSON.stringify(this.text.charAt(this.pos))}, expected ${expected}`)
  }
}

function lineAndColumn (text: string, offset: number): { line: number, column: number } {
  let line = 1
  let lineStart = 0
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++
    lineStart = index + 1
  }
  return { line, column: offset - lineStart + 1 }
}
