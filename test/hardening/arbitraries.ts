// fast-check arbitraries for hostile requests: query strings built from real option names with
// garbage values, paths under the version roots, methods, and headers. Shared by the fixed-seed
// property test (fuzz.test.ts) and the longer run (test/scripts/fuzz.ts).

import fc from 'fast-check'

export const LIST_PATH = '/beta/solutions/backupRestore/exchangeRestoreSessions'
export const KNOWN_ID = '9322d9f5-9990-4cf8-a3c0-5e9d9de51b72'

const optionNames = [
  '$filter', '$select', '$orderby', '$top', '$skip', '$count', '$expand', '$search', '$format', '$skiptoken',
  '$deltatoken', '$apply', '$levels', 'filter', 'select', 'top', 'orderby', 'skiptoken', '$FILTER', '$Select',
  '$', '$$', '', '@p', '__proto__', '$__proto__', 'constructor', '%24filter', '%24top', '$fil%74er'
]

/** Pieces of OData expressions, valid and not, that combine into plausible and hostile values. */
const expressionTokens = [
  'id', 'status', 'createdDateTime', 'createdBy/user/displayName', 'error/code', 'restoreSessionArtifactCount/total',
  'eq', 'ne', 'gt', 'le', 'and', 'or', 'not', 'in', 'has', 'add', 'mod', 'asc', 'desc', 'any', 'all', '$it', '$count',
  "'active'", "'O''Neil'", "'", "''", '(', ')', '((', '))', ',', '/', ':', '-', '*', ' ', '  ', '+', '%20', '%27', '%28',
  '%29', '%2C', '%', '%2', '%zz', '%00', '%C0%80', '%ED%A0%80', '%FF', '%E2%82', '&', '=', '#', '\u0000', 'é', '日本',
  '\u{1F600}', '\uFFFF', 'null', 'true', 'false', '0', '-0', '1e309', '-1e309', 'INF', 'NaN', '99999999999999999999999999',
  '2025-01-01', '2025-13-45T25:61:61Z', '2025-01-01T00:00:00Z', '12:00', 'duration\'PT1H\'', KNOWN_ID,
  'microsoft.graph.restoreSessionStatus\'active\'', 'startswith(id,\'a\')', 'contains(', 'x:x/total eq 1',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'createdBy/__proto__'
]

/** Text that is percent-encoded where a URL needs it, but left raw where hostility is the point. */
function urlSafe (text: string): string {
  let out = ''
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    if (char === '#' || char === '?' || code < 0x21 || code > 0x7e) out += encodeURIComponent(char).replaceAll('%25', '%')
    else out += char
  }
  return out
}

const expression = fc.array(fc.constantFrom(...expressionTokens), { minLength: 0, maxLength: 12 }).map((parts) => parts.join(' '))

const optionValue = fc.oneof(
  { weight: 5, arbitrary: expression },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '0', '5', '999', '1000', '-1', '+1', '1.5', '1e3', '0x10', '9'.repeat(400), 'true', 'TRUE', 'maybe', 'json', 'xml') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('(', ')', "'", '%'), fc.integer({ min: 1, max: 300 })).map(([char, count]) => char.repeat(count)) }
)

const option = fc.tuple(fc.constantFrom(...optionNames), fc.boolean(), optionValue)
  .map(([name, withEquals, value]) => (withEquals ? `${name}=${urlSafe(value)}` : name))

export const queryString = fc.array(option, { minLength: 0, maxLength: 5 }).map((parts) => parts.join('&'))

const pathSegments = [
  'solutions', 'backupRestore', 'exchangeRestoreSessions', 'ExchangeRestoreSessions', '$count', '$value', '$ref', '$metadata',
  KNOWN_ID, `('${KNOWN_ID}')`, "('')", "('", '(%27x%27)', '..', '.', '%2e%2e', '', '%00', '%zz', '%', '__proto__', 'constructor',
  'mailboxRestoreArtifacts', 'users', 'me', 'é', '%E2%82', ';x=1', 'a'.repeat(1200)
]

export const path = fc.tuple(
  fc.constantFrom('/beta', '/v1.0', '/BETA', '/v1.0/', '/v2', '', '/healthz', '/openapi.json'),
  fc.array(fc.constantFrom(...pathSegments), { maxLength: 6 })
).map(([root, segments]) => `${root}/${segments.map(urlSafe).join('/')}`)

/** Mostly the entity set itself, where the query engine does its work. */
export const url = fc.oneof(
  { weight: 3, arbitrary: queryString.map((query) => `${LIST_PATH}?${query}`) },
  { weight: 1, arbitrary: fc.tuple(path, queryString).map(([p, query]) => (query === '' ? p : `${p}?${query}`)) }
)

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'

export const method = fc.constantFrom<Method>('GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS')

/** Header values as Node lets a client send them: latin1, no CR, LF or NUL. */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)), maxLength: 60 })

const authorization = fc.oneof(
  { weight: 12, arbitrary: fc.constant('Bearer fuzz-token') },
  { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Bearer ', 'bearer x', 'BEARER x==', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Bearer \u00e9') },
  { weight: 1, arbitrary: headerText },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20000 }).map((size) => `Bearer ${'t'.repeat(size)}`) }
)

/** Mostly small; sometimes around and over the 16 KiB header limit. */
const padding = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 200 }) },
  { weight: 1, arbitrary: fc.integer({ min: 15000, max: 20000 }) }
).map((size) => 'p'.repeat(size))

const optionalHeaders = fc.record({
  prefer: headerText,
  'client-request-id': headerText,
  accept: fc.constantFrom('application/json', '*/*', 'text/html', 'application/xml', ''),
  'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-nope', ''),
  'x-padding': padding
}, { requiredKeys: [] })

/** An Authorization header on most requests (so that the query engine is reached), and other headers. */
export const headers: fc.Arbitrary<Record<string, string>> = fc.tuple(fc.option(authorization, { freq: 12 }), optionalHeaders)
  .map(([auth, rest]) => (auth === null ? { ...rest } : { ...rest, authorization: auth }))

export const payload = fc.option(fc.oneof(fc.constant('{}'), fc.constant('{"a":'), fc.string({ maxLength: 200 })), { nil: undefined })

export interface HostileRequest {
  method: Method
  url: string
  headers: Record<string, string>
  payload: string | undefined
}

export const hostileRequest: fc.Arbitrary<HostileRequest> = fc.record({ method, url, headers, payload })
  .map((r) => ({ ...r, payload: r.method === 'GET' || r.method === 'HEAD' ? undefined : r.payload }))
