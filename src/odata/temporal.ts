// Date and time values as the engine computes with them.
// - DateTimeOffset → Instant: epoch milliseconds (integer) plus the sub-millisecond remainder in
//   picoseconds, so instants compare exactly whatever the offset or the number of fraction digits,
//   plus the wall-clock fields in the value's own offset (what year(), hour()… return).
// - Date → days since 1970-01-01. TimeOfDay → milliseconds since midnight (fraction kept).
// Parsing is by character position (no regular expression) and cached per distinct string.

export interface Instant {
  readonly ms: number
  /** picoseconds past `ms`, 0 ≤ sub < 1e9 */
  readonly sub: number
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  /** minutes east of UTC */
  readonly offset: number
}

const MS_PER_DAY = 86_400_000
const cacheLimit = 100_000
const instantCache = new Map<string, Instant | null>()

/** Parses `YYYY-MM-DDThh:mm[:ss[.f…]](Z|±hh:mm)` (cached); null when it is not one. */
export function toInstant (text: string): Instant | null {
  let instant = instantCache.get(text)
  if (instant === undefined) {
    instant = parseInstant(text)
    if (instantCache.size >= cacheLimit) instantCache.clear()
    instantCache.set(text, instant)
  }
  return instant
}

function parseInstant (text: string): Instant | null {
  const t = text.indexOf('T') >= 0 ? text.indexOf('T') : text.indexOf('t')
  if (t < 10) return null
  const year = num(text, 0, t - 6)
  const month = num(text, t - 5, t - 3)
  const day = num(text, t - 2, t)
  const hour = num(text, t + 1, t + 3)
  const minute = num(text, t + 4, t + 6)
  let pos = t + 6
  let second = 0
  let fraction = ''
  if (text.charAt(pos) === ':') {
    second = num(text, pos + 1, pos + 3)
    pos += 3
    if (text.charAt(pos) === '.') {
      const start = ++pos
      while (pos < text.length && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos++
      fraction = text.slice(start, pos)
    }
  }
  const zone = text.charAt(pos)
  let offset = 0
  if (zone === '+' || zone === '-') {
    offset = (num(text, pos + 1, pos + 3) * 60 + num(text, pos + 4, pos + 6)) * (zone === '-' ? -1 : 1)
  } else if (zone !== 'Z' && zone !== 'z') {
    return null
  }
  if ([year, month, day, hour, minute, second, offset].some(Number.isNaN)) return null
  const padded = (fraction + '000000000000').slice(0, 12)
  const ms = utcMs(year, month, day, hour, minute, second) - offset * 60_000 + Number(padded.slice(0, 3))
  return { ms, sub: Number(padded.slice(3)), year, month, day, hour, minute, second, offset }
}

/** Like Date.UTC, without its mapping of years 0–99 to 1900–1999. */
function utcMs (year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, 0)
  return date.getTime()
}

function num (text: string, start: number, end: number): number {
  if (end <= start) return Number.NaN
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return Number.NaN
  }
  return Number(text.slice(start, end))
}

export function compareInstants (a: Instant, b: Instant): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.sub - b.sub
}

/** `YYYY-MM-DD` → days since the epoch, or null. */
export function toDateNumber (text: string): number | null {
  if (text.length < 10) return null
  const year = num(text, 0, text.length - 6)
  const month = num(text, text.length - 5, text.length - 3)
  const day = num(text, text.length - 2, text.length)
  if (Number.isNaN(year) || Number.isNaN(month) || Number.isNaN(day)) return null
  return Math.floor(utcMs(year, month, day, 0, 0, 0) / MS_PER_DAY)
}

/** Midnight UTC of a date, as an instant (a Date compared with a DateTimeOffset). */
export function dateToInstant (days: number): Instant {
  const ms = days * MS_PER_DAY
  const date = new Date(ms)
  return { ms, sub: 0, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: 0, minute: 0, second: 0, offset: 0 }
}

/** The calendar date of an instant in its own offset, as days since the epoch. */
export function instantDate (instant: Instant): number {
  return Math.floor(utcMs(instant.year, instant.month, instant.day, 0, 0, 0) / MS_PER_DAY)
}

/** The time of day of an instant in its own offset, in milliseconds. */
export function instantTime (instant: Instant): number {
  const local = instant.ms + instant.offset * 60_000
  return (((local % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) + instant.sub / 1e9
}

export function dateParts (days: number): { year: number, month: number, day: number } {
  const date = new Date(days * MS_PER_DAY)
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
}

/** `hh:mm[:ss[.f…]]` → milliseconds since midnight, or null. */
export function toTimeNumber (text: string): number | null {
  const hour = num(text, 0, 2)
  const minute = num(text, 3, 5)
  const second = text.length >= 8 ? num(text, 6, 8) : 0
  const fraction = text.length > 9 ? Number(`0.${text.slice(9)}`) : 0
  if ([hour, minute, second, fraction].some(Number.isNaN)) return null
  return ((hour * 60 + minute) * 60 + second) * 1000 + fraction * 1000
}

export function instantFromMs (ms: number): Instant {
  const date = new Date(ms)
  return {
    ms,
    sub: 0,
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    offset: 0
  }
}

/** A fixed-width UTC text that sorts like the instant (for ordering columns with sub-ms fractions). */
export function instantSortKey (instant: Instant): string {
  return `${new Date(instant.ms).toISOString()}${String(instant.sub).padStart(9, '0')}`
}
