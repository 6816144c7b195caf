// Reading Graph-relevant parts of a request URL and headers. Pure.

/** The query string of a request URL, undecoded, without the '?'. */
export function rawQueryOf (url: string): string {
  const mark = url.indexOf('?')
  return mark === -1 ? '' : url.slice(mark + 1)
}

/** The path of a request URL, as the client sent it. */
export function pathOf (url: string): string {
  const mark = url.indexOf('?')
  return mark === -1 ? url : url.slice(0, mark)
}

/** The preferences of a `Prefer` header, lower-cased names (RFC 7240: comma-separated, `name[=value]`). */
export function preferencesOf (header: string | string[] | undefined): Map<string, string> {
  const preferences = new Map<string, string>()
  if (header === undefined) return preferences
  for (const line of Array.isArray(header) ? header : [header]) {
    for (const item of line.split(',')) {
      const [name = '', value = ''] = item.split(';')[0]?.split('=') ?? []
      const key = name.trim().toLowerCase()
      if (key !== '' && !preferences.has(key)) preferences.set(key, value.trim().replace(/^"(.*)"$/, '$1'))
    }
  }
  return preferences
}

/** `Prefer: include-unknown-enum-members` */
export const INCLUDE_UNKNOWN_ENUM_MEMBERS = 'include-unknown-enum-members'

/**
 * The absolute nextLink, on the origin the request came in on, so a client follows it back to the
 * mock: the same path, the original query options, then `$skiptoken`.
 */
export function nextLinkUrl (origin: string, path: string, query: string, skipToken: string): string {
  const token = `$skiptoken=${encodeURIComponent(skipToken)}`
  return `${origin}${path}?${query === '' ? token : `${query}&${token}`}`
}
