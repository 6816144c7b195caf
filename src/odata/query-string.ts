// Splits a raw query string into options the way OData prescribes: split the undecoded text at `&`,
// each option at its first `=`, then percent-decode name and value once (`+` is a space). System
// option names are case-insensitive, the `$` is optional when the setting says so (never for
// $skiptoken), and no option may appear twice in any spelling.
//
// Parameter aliases (`$filter=status eq @s&@s='draft'`) are OData's: an option named `@name` gives a
// value, and each `@name` in $filter and $orderby stands for it. The values are put in place before
// the expressions are parsed: a single literal as it is, anything longer in parentheses, so that it
// binds as one operand; an alias given no value is null. An alias may refer to another, not to itself.
import { badRequest } from '../errors.js'
import { tokenize } from './lexer.js'
import { messages } from './messages.js'
import type { QuerySettings } from './settings.js'

export type SystemOption = 'filter' | 'select' | 'expand' | 'orderby' | 'top' | 'skip' | 'count' | 'search' | 'format' | 'skiptoken'

const supported = new Set<string>(['filter', 'select', 'expand', 'orderby', 'top', 'skip', 'count', 'search', 'format', 'skiptoken'])

/** OData system options this service does not implement, with the name ASP.NET OData reports them by. */
const notAllowed = new Map<string, string>([
  ['deltatoken', 'DeltaToken'], ['compute', 'Compute'], ['apply', 'Apply'], ['levels', 'Levels'],
  ['index', 'Index'], ['schemaversion', 'SchemaVersion'], ['id', 'Id']
])

/** Options with no `$`-less form. */
const dollarOnly = new Set(['skiptoken', 'deltatoken'])

export interface ParsedQueryString {
  /** Decoded values of the system options present. */
  readonly options: ReadonlyMap<SystemOption, string>
  /** The original (still encoded) options other than $skiptoken, in request order. */
  readonly passThrough: readonly string[]
}

export function parseQueryString (raw: string, settings: QuerySettings): ParsedQueryString {
  const text = raw.startsWith('?') ? raw.slice(1) : raw
  const options = new Map<SystemOption, string>()
  const passThrough: string[] = []
  if (text === '') return { options, passThrough }
  const aliases = new Map<string, string>()
  for (const part of text.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const rawName = eq < 0 ? part : part.slice(0, eq)
    const name = decode(rawName, rawName)
    const value = eq < 0 ? '' : decode(part.slice(eq + 1), name)
    if (name.startsWith('@')) {
      if (aliases.has(name)) throw badRequest(`Query option '${name}' was specified more than once, but it must be specified at most once.`)
      aliases.set(name, value)
    }
    const option = systemOption(name, settings)
    if (option !== 'skiptoken') passThrough.push(part)
    if (option === undefined) continue
    if (options.has(option)) throw badRequest(messages.duplicateOption(option))
    options.set(option, value)
  }
  for (const option of ['filter', 'orderby'] as const) {
    const expression = options.get(option)
    if (expression !== undefined && expression.includes('@')) options.set(option, withAliases(expression, aliases, []))
  }
  return { options, passThrough }
}

/** The tokens of `text`, or undefined when it does not scan (the parser then reports the error). */
function tokensOf (text: string): ReturnType<typeof tokenize> | undefined {
  try {
    return tokenize(text, badRequest)
  } catch {
    return undefined
  }
}

/** `text` with each alias replaced by its value; `using` holds the aliases being replaced, outermost first. */
function withAliases (text: string, aliases: ReadonlyMap<string, string>, using: readonly string[]): string {
  const tokens = tokensOf(text)
  if (tokens === undefined) return text
  let out = ''
  let last = 0
  for (const token of tokens) {
    if (token.kind !== 'alias') continue
    if (using.includes(token.text)) throw badRequest(`The parameter alias '${token.text}' refers to itself.`)
    const given = aliases.get(token.text)
    const value = given === undefined ? 'null' : withAliases(given, aliases, [...using, token.text])
    const single = tokensOf(value)?.length === 2
    out += text.slice(last, token.start) + (single ? value.trim() : `(${value})`)
    last = token.end
  }
  return last === 0 ? text : out + text.slice(last)
}

/** Which system option a name is, if any. Throws for options that are not allowed. */
function systemOption (name: string, settings: QuerySettings): SystemOption | undefined {
  const lower = name.toLowerCase()
  const hasDollar = lower.startsWith('$')
  const bare = hasDollar ? lower.slice(1) : lower
  if (!hasDollar && (!settings.dollarOptional || dollarOnly.has(bare))) return undefined
  if (supported.has(bare)) return bare as SystemOption
  const rejected = notAllowed.get(bare)
  if (rejected !== undefined) throw badRequest(messages.optionNotAllowed(rejected))
  if (hasDollar && settings.unknownQueryOptions === 'error') throw badRequest(messages.optionNotAllowed(name))
  return undefined
}

/** Percent-decodes once, `+` as a space; malformed encoding is a 400. */
export function decode (text: string, optionName: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text
  if (!spaced.includes('%')) return spaced
  try {
    return decodeURIComponent(spaced)
  } catch {
    throw badRequest(messages.malformedEncoding(optionName))
  }
}
