import t from 'tap'
import { exchangeRestoreSessionSchema } from '../../schemas/index.js'
import { collectionBody, contextUrl, entityBody } from '../../src/graph/envelope.js'
import { rewriteKeySegments } from '../../src/graph/key-segments.js'
import { nextLinkUrl, pathOf, preferencesOf, rawQueryOf } from '../../src/graph/request-url.js'
import { resolveSegments } from '../../src/graph/resource-tree.js'
import { evolvableEnumPaths } from '../../src/graph/schema-walk.js'
import { createEntitySerializer } from '../../src/graph/serializer.js'

t.test('resolveSegments', async (t) => {
  const cases: Array<[string, unknown]> = [
    ['solutions/backupRestore/exchangeRestoreSessions', { kind: 'served', methods: ['GET'] }],
    ['SOLUTIONS/backuprestore/ExchangeRestoreSessions/$count', { kind: 'served', methods: ['GET'] }],
    ['solutions/backupRestore/exchangeRestoreSessions/abc', { kind: 'served', methods: ['GET'] }],
    ['solutions/backupRestore/exchangeRestoreSessions/abc/mailboxRestoreArtifacts', { kind: 'notServed', path: 'solutions/backupRestore/exchangeRestoreSessions/abc/mailboxRestoreArtifacts' }],
    ['solutions/backupRestore/exchangeRestoreSessions/abc/x', { kind: 'unknownSegment', segment: 'x' }],
    ['solutions', { kind: 'notServed', path: 'solutions' }],
    ['users', { kind: 'unknownSegment', segment: 'users' }],
    ['solutions/%E2%9C%93', { kind: 'unknownSegment', segment: '✓' }],
    ['solutions/%E2', { kind: 'unknownSegment', segment: '%E2' }],
    ['solutions/__proto__', { kind: 'unknownSegment', segment: '__proto__' }],
    ['solutions/constructor', { kind: 'unknownSegment', segment: 'constructor' }]
  ]
  for (const [path, expected] of cases) t.strictSame(resolveSegments(path.split('/')), expected, path)
})

t.test('request URL parts', async (t) => {
  t.equal(rawQueryOf('/a?b=1&c=%20'), 'b=1&c=%20')
  t.equal(rawQueryOf('/a'), '')
  t.equal(pathOf('/a/b?x'), '/a/b')
  t.strictSame([...preferencesOf('include-unknown-enum-members, odata.maxpagesize=5')], [['include-unknown-enum-members', ''], ['odata.maxpagesize', '5']])
  t.strictSame([...preferencesOf(['A=1', 'a=2; x'])], [['a', '1']], 'first wins, names lower-cased')
  t.strictSame([...preferencesOf(undefined)], [])
  t.equal(nextLinkUrl('http://127.0.0.1:8080', '/beta/x', '$top=5', 'a b/='), 'http://127.0.0.1:8080/beta/x?$top=5&$skiptoken=a%20b%2F%3D')
  t.equal(nextLinkUrl('https://localhost:1', '/beta/x', '', 't'), 'https://localhost:1/beta/x?$skiptoken=t')
})

t.test('key-in-parentheses URLs', async (t) => {
  t.equal(rewriteKeySegments("/beta/a/sessions('x-1')?$select=id"), '/beta/a/sessions/x-1?$select=id')
  t.equal(rewriteKeySegments('/beta/a/sessions(%27x%27)'), '/beta/a/sessions/x')
  t.equal(rewriteKeySegments('/beta/a/sessions?$filter=x%20in%20(%27a%27)'), '/beta/a/sessions?$filter=x%20in%20(%27a%27)', 'the query is left alone')
  t.equal(rewriteKeySegments('/beta/a/b'), '/beta/a/b')
})

t.test('envelopes', async (t) => {
  t.equal(contextUrl('beta', 'a/b'), 'https://graph.microsoft.com/beta/$metadata#a/b')
  t.equal(contextUrl('beta', 'a/b', '(id,status)', true), 'https://graph.microsoft.com/beta/$metadata#a/b(id,status)/$entity')
  t.strictSame(JSON.parse(collectionBody({ context: 'c', count: 3, nextLink: 'n', items: ['{"a":1}', '{}'] })), { '@odata.context': 'c', '@odata.count': 3, '@odata.nextLink': 'n', value: [{ a: 1 }, {}] })
  t.equal(collectionBody({ context: 'c', items: [] }), '{"@odata.context":"c","value":[]}')
  t.equal(entityBody('c', '{"a":1}'), '{"@odata.context":"c","a":1}')
  t.equal(entityBody('c', '{}'), '{"@odata.context":"c"}')
})

t.test('evolvable enums are read from the schema', async (t) => {
  t.strictSame(evolvableEnumPaths(exchangeRestoreSessionSchema).map((p) => [p.path, [...p.hidden]]), [
    [['restoreJobType'], ['granular']],
    [['status'], ['failed']]
  ])
  const nested = { properties: { a: { properties: { e: { enum: ['x', 'unknownFutureValue', 'y', 'z'] } } }, b: { enum: ['x', 'unknownFutureValue'] } } }
  t.strictSame(evolvableEnumPaths(nested).map((p) => [p.path, [...p.hidden]]), [[['a', 'e'], ['y', 'z']]])
})

t.test('the serializer hides evolvable members without touching the row', async (t) => {
  const serializer = createEntitySerializer('microsoft.graph.exchangeRestoreSession', exchangeRestoreSessionSchema)
  const row = Object.freeze({ id: '1', status: 'failed', restoreJobType: 'granular' })
  t.equal(serializer.serialize(row, { includeUnknownEnumMembers: false }), '{"@odata.type":"#microsoft.graph.exchangeRestoreSession","id":"1","status":"unknownFutureValue","restoreJobType":"unknownFutureValue"}')
  t.equal(serializer.serialize(row, { includeUnknownEnumMembers: true }), '{"@odata.type":"#microsoft.graph.exchangeRestoreSession","id":"1","status":"failed","restoreJobType":"granular"}')
  t.equal(serializer.serialize(row, { includeUnknownEnumMembers: false, select: { project: () => ({}) } }), '{"@odata.type":"#microsoft.graph.exchangeRestoreSession"}')
  t.equal(row.status, 'failed')
})
