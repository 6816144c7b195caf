import t from 'tap'
import { exchangeRestoreSessionSchema } from '../../schemas/index.js'
import { collectionBody, contextUrl, entityBody } from '../../src/graph/envelope.js'
import { rewriteKeySegments } from '../../src/graph/key-segments.js'
import { nextLinkUrl, pathOf, preferencesOf, rawQueryOf } from '../../src/graph/request-url.js'
import { resolveSegments, resourceTreeOf } from '../../src/graph/resource-tree.js'
import { evolvableEnumPaths } from '../../src/graph/schema-walk.js'
import { createEntitySerializer } from '../../src/graph/serializer.js'
import { models } from '../../src/model/index.js'
import { servesGet } from '../../src/routes/resources.js'

/** The URL space of one version, as the app builds it: GET where the mock serves a read path. */
function treeOf (version: 'beta' | 'v1.0') {
  const model = models[version]
  const served = new Set(model.readPaths().filter(servesGet).map((path) => path.path))
  return resourceTreeOf(model, (path) => served.has(path) ? ['GET'] : [])
}

t.test('resolveSegments', async (t) => {
  const sessions = 'solutions/backupRestore/exchangeRestoreSessions'
  const cases: Array<[string, unknown]> = [
    [sessions, { kind: 'served', methods: ['GET'] }],
    ['SOLUTIONS/backuprestore/ExchangeRestoreSessions/$count', { kind: 'served', methods: ['GET'] }],
    [`${sessions}/abc`, { kind: 'served', methods: ['GET'] }],
    [`${sessions}/abc/mailboxRestoreArtifacts`, { kind: 'served', methods: ['GET'] }],
    [`${sessions}/abc/mailboxRestoreArtifacts/def/restorePoint`, { kind: 'served', methods: ['GET'] }],
    ['solutions/backupRestore', { kind: 'served', methods: ['GET'] }],
    ['solutions/backupRestore/restoreSessions/microsoft.graph.exchangeRestoreSession', { kind: 'served', methods: ['GET'] }],
    ['solutions/backupRestore/browseSessions', { kind: 'served', methods: ['GET'] }],
    // An action of this API: Graph has it, the mock does not serve it.
    ['solutions/backupRestore/restoreSessions/abc/microsoft.graph.activate', { kind: 'notServed', path: 'solutions/backupRestore/restoreSessions/abc/microsoft.graph.activate' }],
    [`${sessions}/abc/x`, { kind: 'unknownSegment', segment: 'x' }],
    [`${sessions}/abc/mailboxRestoreArtifacts/def/restorePoint/protectionUnit`, { kind: 'unknownSegment', segment: 'protectionUnit' }],
    ['solutions', { kind: 'notServed', path: 'solutions' }],
    // Graph's other resources are not typos: not served, whatever is below them.
    ['users', { kind: 'notServed', path: 'users' }],
    ['me/messages', { kind: 'notServed', path: 'me/messages' }],
    ['$batch', { kind: 'notServed', path: '$batch' }],
    ['$metadata', { kind: 'notServed', path: '$metadata' }],
    ['solutions/bookingBusinesses/x', { kind: 'notServed', path: 'solutions/bookingBusinesses/x' }],
    ['solutions/%E2%9C%93', { kind: 'unknownSegment', segment: '✓' }],
    ['solutions/%E2', { kind: 'unknownSegment', segment: '%E2' }],
    ['solutions/__proto__', { kind: 'unknownSegment', segment: '__proto__' }],
    ['solutions/constructor', { kind: 'unknownSegment', segment: 'constructor' }]
  ]
  const beta = treeOf('beta')
  for (const [path, expected] of cases) t.strictSame(resolveSegments(path.split('/'), beta), expected, path)
  // Each version has its own surface: browse sessions are beta only.
  const v1 = treeOf('v1.0')
  t.strictSame(resolveSegments('solutions/backupRestore/browseSessions'.split('/'), v1), { kind: 'unknownSegment', segment: 'browseSessions' }, 'v1.0 browseSessions')
  t.strictSame(resolveSegments(`${sessions}/abc/mailboxRestoreArtifacts`.split('/'), v1), { kind: 'served', methods: ['GET'] }, 'v1.0 mailboxRestoreArtifacts')
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
  t.equal(rewriteKeySegments('/beta/a/sessions/%24count'), '/beta/a/sessions/$count', '%24 in a path is $')
  t.equal(rewriteKeySegments('/beta/a/sessions/%24count?$filter=id%20eq%20%27%24%27'), '/beta/a/sessions/$count?$filter=id%20eq%20%27%24%27', 'but not in the query')
  t.equal(rewriteKeySegments('/beta/a/sessions(%27x%27)/%24count'), '/beta/a/sessions/x/$count')
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
