// The $filter / $orderby lexer: a hand-written scanner over character codes. No regular expression
// touches user input, so adversarial strings cost linear time.
import type { GraphError } from '../errors.js'
import { messages } from './messages.js'

export type TokenKind =
  | 'identifier' | 'string' | 'number' | 'guid' | 'dateTimeOffset' | 'date' | 'timeOfDay' | 'typed'
  | 'openParen' | 'closeParen' | 'comma' | 'slash' | 'colon' | 'minus' | 'star' | 'alias' | 'end'

export interface Token {
  readonly kind: TokenKind
  /** The token's text (for a string: the unescaped value; for typed: the prefix). */
  readonly text: string
  /** For a typed literal (`prefix'value'`): the unescaped value. */
  readonly value?: string
  /** For a number: int, decimal or double. */
  readonly numberKind?: 'int' | 'decimal' | 'double'
  readonly start: number
  readonly end: number
}

export type ErrorFactory = (message: string) => GraphError

const QUOTE = 39
const MINUS = 45
const PLUS = 43
const DOT = 46
const COLON = 58
const AT = 64

export function tokenize (text: string, fail: ErrorFactory): Token[] {
  const tokens: Token[] = []
  let pos = 0
  const length = text.length
  while (pos < length) {
    const code = text.charCodeAt(pos)
    if (code === 32 || code === 9 || code === 10 || code === 13) { pos++; continue }
    const token = scan(text, pos, fail)
    tokens.push(token)
    pos = token.end
  }
  tokens.push({ kind: 'end', text: '', start: length, end: length })
  return tokens
}

function scan (text: string, pos: number, fail: ErrorFactory): Token {
  const code = text.charCodeAt(pos)
  switch (code) {
    case 40: return punct('openParen', text, pos)
    case 41: return punct('closeParen', text, pos)
    case 44: return punct('comma', text, pos)
    case 47: return punct('slash', text, pos)
    case COLON: return punct('colon', text, pos)
    case 42: return punct('star', text, pos)
    case QUOTE: {
      const { value, end } = scanString(text, pos, fail)
      return { kind: 'string', text: value, start: pos, end }
    }
    default: break
  }
  const special = scanGuid(text, pos) ?? scanTemporal(text, pos, fail)
  if (special !== undefined) return special
  if (code === MINUS) {
    if (isDigit(text.charCodeAt(pos + 1))) return scanNumber(text, pos)
    return punct('minus', text, pos)
  }
  if (isDigit(code)) return scanNumber(text, pos)
  // A parameter alias, `@name`: replaced by its value before parsing (see query-string.ts).
  if (code === AT && isIdentifierStart(text.charCodeAt(pos + 1))) {
    let end = pos + 2
    while (isIdentifierPart(text.charCodeAt(end))) end++
    return { kind: 'alias', text: text.slice(pos, end), start: pos, end }
  }
  if (isIdentifierStart(code) || (code === 36 && isIdentifierStart(text.charCodeAt(pos + 1)))) {
    return scanIdentifier(text, pos, fail)
  }
  throw fail(messages.invalidCharacter(text.charAt(pos), pos, text))
}

function punct (kind: TokenKind, text: string, pos: number): Token {
  return { kind, text: text.charAt(pos), start: pos, end: pos + 1 }
}

/** `'…'` with `''` for a quote. Returns the unescaped value and the position after the closing quote. */
function scanString (text: string, start: number, fail: ErrorFactory): { value: string, end: number } {
  let pos = start + 1
  let value = ''
  let chunk = pos
  for (;;) {
    const next = text.indexOf("'", pos)
    if (next < 0) throw fail(messages.unterminatedString(text.length, text))
    if (text.charCodeAt(next + 1) === QUOTE) {
      value += text.slice(chunk, next + 1)
      pos = next + 2
      chunk = pos
      continue
    }
    value += text.slice(chunk, next)
    return { value, end: next + 1 }
  }
}

function scanIdentifier (text: string, start: number, fail: ErrorFactory): Token {
  let pos = start + 1
  for (;;) {
    while (isIdentifierPart(text.charCodeAt(pos))) pos++
    // A dotted (qualified) name: `microsoft.graph.restoreSessionStatus`, `geo.distance`.
    if (text.charCodeAt(pos) === DOT && isIdentifierStart(text.charCodeAt(pos + 1))) { pos += 2; continue }
    break
  }
  const name = text.slice(start, pos)
  if (text.charCodeAt(pos) === QUOTE) {
    const { value, end } = scanString(text, pos, fail)
    return { kind: 'typed', text: name, value, start, end }
  }
  return { kind: 'identifier', text: name, start, end: pos }
}

function scanNumber (text: string, start: number): Token {
  let pos = start
  if (text.charCodeAt(pos) === MINUS) pos++
  while (isDigit(text.charCodeAt(pos))) pos++
  let numberKind: 'int' | 'decimal' | 'double' = 'int'
  if (text.charCodeAt(pos) === DOT && isDigit(text.charCodeAt(pos + 1))) {
    numberKind = 'decimal'
    pos++
    while (isDigit(text.charCodeAt(pos))) pos++
  }
  const e = text.charCodeAt(pos)
  if (e === 69 || e === 101) {
    let after = pos + 1
    const sign = text.charCodeAt(after)
    if (sign === PLUS || sign === MINUS) after++
    if (isDigit(text.charCodeAt(after))) {
      numberKind = 'double'
      pos = after
      while (isDigit(text.charCodeAt(pos))) pos++
    }
  }
  return { kind: 'number', text: text.slice(start, pos), numberKind, start, end: pos }
}

/** An unquoted GUID: 8-4-4-4-12 hex digits, not followed by an identifier character. */
function scanGuid (text: string, start: number): Token | undefined {
  const groups = [8, 4, 4, 4, 12]
  let pos = start
  for (let g = 0; g < groups.length; g++) {
    if (g > 0) {
      if (text.charCodeAt(pos) !== MINUS) return undefined
      pos++
    }
    const size = groups[g] ?? 0
    for (let i = 0; i < size; i++) {
      if (!isHex(text.charCodeAt(pos))) return undefined
      pos++
    }
  }
  if (isIdentifierPart(text.charCodeAt(pos))) return undefined
  return { kind: 'guid', text: text.slice(start, pos), start, end: pos }
}

/**
 * Unquoted Date (`2024-01-15`), DateTimeOffset (`2024-01-15T10:00[:00[.f]](Z|±hh:mm)`) and TimeOfDay
 * (`hh:mm[:ss[.f]]`). The shape decides the kind; the field ranges are checked here too.
 */
function scanTemporal (text: string, start: number, fail: ErrorFactory): Token | undefined {
  if (digitsAt(text, start, 4) && text.charCodeAt(start + 4) === MINUS && digitsAt(text, start + 5, 2) &&
    text.charCodeAt(start + 7) === MINUS && digitsAt(text, start + 8, 2)) {
    const dateEnd = start + 10
    const t = text.charCodeAt(dateEnd)
    if (t === 84 || t === 116) {
      const timeEnd = scanTime(text, dateEnd + 1)
      const end = timeEnd < 0 ? -1 : scanOffset(text, timeEnd)
      const literalEnd = end < 0 ? scanToBoundary(text, dateEnd) : end
      const literal = text.slice(start, literalEnd)
      if (end < 0 || isIdentifierPart(text.charCodeAt(end)) || !validDate(text, start) || !validTime(text, dateEnd + 1)) {
        throw fail(messages.unrecognizedLiteral('Edm.DateTimeOffset', literal, start, text))
      }
      return { kind: 'dateTimeOffset', text: literal, start, end }
    }
    if (isIdentifierPart(t)) return undefined
    if (!validDate(text, start)) throw fail(messages.unrecognizedLiteral('Edm.Date', text.slice(start, dateEnd), start, text))
    return { kind: 'date', text: text.slice(start, dateEnd), start, end: dateEnd }
  }
  if (digitsAt(text, start, 2) && text.charCodeAt(start + 2) === COLON) {
    const end = scanTime(text, start)
    if (end < 0 || isIdentifierPart(text.charCodeAt(end))) return undefined
    if (!validTime(text, start)) throw fail(messages.unrecognizedLiteral('Edm.TimeOfDay', text.slice(start, end), start, text))
    return { kind: 'timeOfDay', text: text.slice(start, end), start, end }
  }
  return undefined
}

/** `hh:mm[:ss[.f+]]`; returns the end position or -1. */
function scanTime (text: string, start: number): number {
  if (!digitsAt(text, start, 2) || text.charCodeAt(start + 2) !== COLON || !digitsAt(text, start + 3, 2)) return -1
  let pos = start + 5
  if (text.charCodeAt(pos) === COLON) {
    if (!digitsAt(text, pos + 1, 2)) return -1
    pos += 3
    if (text.charCodeAt(pos) === DOT) {
      if (!isDigit(text.charCodeAt(pos + 1))) return -1
      pos++
      while (isDigit(text.charCodeAt(pos))) pos++
    }
  }
  return pos
}

/** `Z` or `±hh:mm`; returns the end position or -1. */
function scanOffset (text: string, pos: number): number {
  const c = text.charCodeAt(pos)
  if (c === 90 || c === 122) return pos + 1
  if ((c === PLUS || c === MINUS) && digitsAt(text, pos + 1, 2) && text.charCodeAt(pos + 3) === COLON && digitsAt(text, pos + 4, 2)) {
    return pos + 6
  }
  return -1
}

function scanToBoundary (text: string, pos: number): number {
  let end = pos
  while (end < text.length && text.charCodeAt(end) !== 32 && text.charCodeAt(end) !== 41 && text.charCodeAt(end) !== 44) end++
  return end
}

function validDate (text: string, start: number): boolean {
  const month = Number(text.slice(start + 5, start + 7))
  const day = Number(text.slice(start + 8, start + 10))
  if (month < 1 || month > 12 || day < 1) return false
  const year = Number(text.slice(start, start + 4))
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function validTime (text: string, start: number): boolean {
  const hour = Number(text.slice(start, start + 2))
  const minute = Number(text.slice(start + 3, start + 5))
  const second = text.charCodeAt(start + 5) === COLON ? Number(text.slice(start + 6, start + 8)) : 0
  return hour < 24 && minute < 60 && second < 60
}

function digitsAt (text: string, pos: number, count: number): boolean {
  for (let i = 0; i < count; i++) if (!isDigit(text.charCodeAt(pos + i))) return false
  return true
}

export function isDigit (code: number): boolean {
  return code >= 48 && code <= 57
}

function isHex (code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102)
}

function isIdentifierStart (code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || (code > 127 && isUnicodeLetter(code))
}

function isIdentifierPart (code: number): boolean {
  return isIdentifierStart(code) || isDigit(code)
}

const letter = /^\p{L}$/u
function isUnicodeLetter (code: number): boolean {
  return letter.test(String.fromCharCode(code))
}
