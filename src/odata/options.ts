// Reads the scalar options ($top, $skip, $count, $format) into numbers and flags, with Graph's 400s.
import { badRequest } from '../errors.js'
import { messages } from './messages.js'
import type { QuerySettings } from './settings.js'

/** The largest value the OData library reads $top and $skip into (an Int64). */
const INT64_MAX = '9223372036854775807'

/** Whether a string of digits is above Int64's maximum. */
function aboveInt64 (digits: string): boolean {
  let start = 0
  while (start < digits.length - 1 && digits.charCodeAt(start) === 48) start++
  const significant = digits.length - start
  if (significant !== INT64_MAX.length) return significant > INT64_MAX.length
  return digits.slice(start) > INT64_MAX
}

/**
 * `^[0-9]+$` within Int64, as the OData library reads it, else 400. Values beyond the safe-integer
 * range but within Int64 saturate (they are clamped or page past the end).
 */
export function nonNegativeInteger (option: 'top' | 'skip', value: string): number {
  if (value.length === 0) throw badRequest(messages.invalidNonNegativeInteger(option, value))
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c < 48 || c > 57) throw badRequest(messages.invalidNonNegativeInteger(option, value))
  }
  if (aboveInt64(value)) throw badRequest(messages.invalidNonNegativeInteger(option, value))
  return Math.min(Number(value), Number.MAX_SAFE_INTEGER)
}

/** The page size: $top, or the default; above the maximum it is clamped or rejected. */
export function pageSize (top: string | undefined, settings: QuerySettings): number {
  if (top === undefined) return settings.defaultPageSize
  const value = nonNegativeInteger('top', top)
  if (value <= settings.maxPageSize) return value
  if (settings.topAboveMax === 'error') throw badRequest(messages.topLimitExceeded(settings.maxPageSize, top))
  return settings.maxPageSize
}

export function countFlag (value: string | undefined): boolean {
  if (value === undefined) return false
  const lower = value.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  throw badRequest(messages.invalidCount(value))
}

/** JSON is the only format: `json` or `application/json` (parameters allowed). */
export function checkFormat (value: string | undefined): void {
  if (value === undefined) return
  const lower = value.trim().toLowerCase()
  const mediaType = lower.split(';', 1)[0]?.trim() ?? ''
  if (mediaType !== 'json' && mediaType !== 'application/json') throw badRequest(messages.unsupportedFormat(value))
}
