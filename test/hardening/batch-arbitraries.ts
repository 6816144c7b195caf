// fast-check arbitraries for hostile $batch bodies: ids that are prototype keys, empty, huge or not
// strings; methods and urls valid and not (absolute, versioned, nested $batch by every spelling, dot
// segments, controls, very long); headers with hostile names and values; bodies deep, huge, with
// prototype keys; dependsOn unknown, cyclic, huge. Shared by the fixed-seed property test
// (batch-hardening.test.ts) and the longer run (test/scripts/fuzz.ts).

import fc from 'fast-check'

export const BATCH_PATH = '/beta/$batch'

const hostileKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf']

const id = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('1', '2', '3', 'a', 'A', 'b') },
  { weight: 3, arbitrary: fc.constantFrom(...hostileKeys, '', ' ', '\u0000', 'é', '\u{1F600}') },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 10 }).map((n) => 'x'.repeat(n * 1000)) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(1, 0, null, true, [], {}, ['1']) }
)

const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'get', 'POST', 'PATCH', 'PUT', 'DELETE') },
  { weight: 2, arbitrary: fc.constantFrom<unknown>('HEAD', 'OPTIONS', 'TRACE', 'CONNECT', '', 'G ET', 'GET\r\n', 1, null, ['GET']) }
)

const paths = [
  '/solutions/backupRestore', 'solutions/backupRestore/exchangeRestoreSessions', '/solutions/backupRestore/exchangeRestoreSessions?$top=2',
  '/solutions/backupRestore/exchangeRestoreSessions/$count', '/solutions/backupRestore/protectionUnits', '/solutions/backupRestore/restorePoints',
  '/solutions/backupRestore/exchangeRestoreSessions/9322d9f5-9990-4cf8-a3c0-5e9d9de51b72', '/solutions/backupRestore/exchangeRestoreSessions(\'x\')',
  '/me', '/nothing', ''
]

const hostileUrls = [
  '$batch', '/$batch', '$BATCH', '%24batch', '/./$batch', 'solutions/../$batch', '$batch/', '$batch?x=1', '/%2524batch',
  '/beta/solutions', 'v1.0/solutions', 'https://graph.microsoft.com/beta/solutions', '//evil.example/x', 'javascript:alert(1)',
  '../../../../etc/passwd', '/..', '.', '?', '#', '%', '%zz', '%00', '\u0000', '\r\n', '/solutions\r\nX-Injected: 1', '\\\\host\\share',
  '/solutions/backupRestore/exchangeRestoreSessions?$filter=' + '('.repeat(2000), '/' + 'a/'.repeat(5000), '/solutions?' + 'x'.repeat(20000),
  '/solutions/backupRestore/exchangeRestoreSessions?$filter=status eq \'active\'', '/__proto__', '/constructor/prototype'
]

const url = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...paths) },
  { weight: 4, arbitrary: fc.constantFrom(...hostileUrls) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 1, [], {}) }
)

const headerName = fc.oneof(
  fc.constantFrom('Content-Type', 'content-type', 'Prefer', 'Accept', 'client-request-id', 'Authorization', 'Host', 'Content-Length', 'Transfer-Encoding',
    'Content-Encoding', 'Connection', 'X-Graph-Mock-Batch-Item', 'If-Match', ...hostileKeys, 'bad name', '', 'x\r\ny'),
  fc.string({ maxLength: 20 })
)
const headerValue = fc.oneof(
  fc.constantFrom<unknown>('application/json', 'text/plain', 'application/octet-stream', 'include-unknown-enum-members', 'gzip', 'Bearer other', 'a\r\nInjected: 1', '\u0000', 'x'.repeat(20000), 1, true, null, [], {}),
  fc.string({ unit: 'binary', maxLength: 40 })
)
const headers = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.dictionary(headerName, headerValue, { maxKeys: 6 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], 'Content-Type: application/json', 1) },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 3000 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`x-h${i}`, 'v']))) }
)

const body = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: fc.dictionary(fc.constantFrom(...hostileKeys, 'displayName', '@odata.type', 'id'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('', 'aGVsbG8=', 'not base64!', 'x'.repeat(50000), null) }
)

const dependsOn = fc.oneof(
  { weight: 5, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.array(fc.constantFrom('1', '2', '3', 'a', 'A', 'b', 'missing', '__proto__'), { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('1', 1, null, {}, [[]], [1], Array.from({ length: 10000 }, () => '1')) }
)

const item = fc.record({ id, method, url, headers, body, dependsOn }, { requiredKeys: [] })

/** A whole batch body, as JSON text (some of them not JSON objects, or not JSON at all). */
export const hostileBatchBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.array(item, { maxLength: 22 }).map((requests) => JSON.stringify({ requests })) },
  { weight: 1, arbitrary: fc.array(item, { minLength: 1, maxLength: 4 }).map((requests) => JSON.stringify({ requests, requests2: requests, __proto__x: 1 })) },
  { weight: 1, arbitrary: fc.constantFrom('{}', '[]', 'null', '"x"', '{"requests":null}', '{"requests":"x"}', '{"requests":[]}', '{"requests":[null]}', '{"__proto__":{"requests":[]}}', '{"requests":[{"id":"1","method":"GET","url":"/solutions","constructor":{"prototype":{"x":1}}}]}') },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 200000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`) },
  // Deep item bodies as text: as values they would overflow the generator's own recursion.
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 100, max: 100000 }), fc.boolean()).map(([depth, inArray]) =>
      `{"requests":[{"id":"1","method":"POST","url":"/solutions/backupRestore/exchangeRestoreSessions","headers":{"Content-Type":"application/json"},"body":${inArray ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`}}]}`)
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) }
)
