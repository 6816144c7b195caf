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

/** What requestOrigin reads of a request (a FastifyRequest has it). */
export interface OriginSource {
  /** The connection's scheme: `https` over TLS, else `http`. */
  readonly protocol: string
  /** The Host header (`host[:port]`). */
  readonly host: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
}

/** The first value of a header that a chain of proxies may have sent as a list, trimmed. */
function firstValue (header: string | string[] | undefined): string | undefined {
  const line = Array.isArray(header) ? header[0] : header
  const first = line?.split(',', 1)[0]?.trim()
  return first === undefined || first === '' ? undefined : first
}

/** `name`, `name:port`, `[v6]` or `[v6]:port`, and nothing else (no path, no user, no spaces). */
function isAuthority (value: string): boolean {
  if (value.length > 255) return false
  let i = 0
  if (value.startsWith('[')) {
    const close = value.indexOf(']')
    if (close < 2) return false
    for (const c of value.slice(1, close)) if (!/[0-9a-fA-F:.]/.test(c)) return false
    i = close + 1
  } else {
    while (i < value.length && /[A-Za-z0-9.\-_]/.test(value.charAt(i))) i++
    if (i === 0) return false
  }
  if (i === value.length) return true
  if (value.charAt(i) !== ':' || i === value.length - 1) return false
  for (const c of value.slice(i + 1)) if (c < '0' || c > '9') return false
  return value.length - i - 1 <= 5
}

/**
 * The origin a client reached the mock at, for the absolute URLs it is sent back (nextLinks).
 * By default the connection's scheme and the Host header. With `trustProxy` (TRUST_PROXY), a mock
 * behind a reverse proxy or an ingress, the proxy's `X-Forwarded-Proto` (http or https) and
 * `X-Forwarded-Host` win, the first of each when proxies are chained; a value that is not a scheme or
 * a host is ignored. Without `trustProxy` those headers are ignored: any client can send them.
 */
export function requestOrigin (request: OriginSource, trustProxy: boolean): string {
  let protocol = request.protocol
  let host = request.host
  if (trustProxy) {
    const forwardedProto = firstValue(request.headers['x-forwarded-proto'])?.toLowerCase()
    if (forwardedProto === 'http' || forwardedProto === 'https') protocol = forwardedProto
    const forwardedHost = firstValue(request.headers['x-forwarded-host'])
    if (forwardedHost !== undefined && isAuthority(forwardedHost)) host = forwardedHost
  }
  return `${protocol}://${host}`
}
