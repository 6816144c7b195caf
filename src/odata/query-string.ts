// Splits a raw query string into options the way OData prescribes: split the undecoded text at `&`,
// each option at its first `=`, then percent-decode name and value once (`+` is a space). System
// option names are case-insensitive, the `$` is optional when the setting says so (never for
// $skiptoken), and no option may appear twice in any spelling.
import { badRequest } from '../errors.js'
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
  for (const part of text.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const rawName = eq < 0 ? part : part.slice(0, eq)
    const name = decode(rawName, rawName)
    const value = eq < 0 ? '' : decode(part.slice(eq + 1), name)
    const option = systemOption(name, settings)
    if (option !== 'skiptoken') passThrough.push(part)
    if (option === undefined) continue
    if (options.has(option)) throw badRequest(messages.duplicateOption(option))
    options.set(option, value)
  }
  return { options, passThrough }
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
