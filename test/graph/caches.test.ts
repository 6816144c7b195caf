// The response-side caches: the serializer's row JSON cache and the page cache give exactly the bytes
// of the uncached paths, for either audience (Prefer: include-unknown-enum-members or not), and stay
// within their budgets.
import t from 'tap'
import { exchangeRestoreSessionSchema } from '../../schemas/index.js'
import { PageCache } from '../../src/graph/page-cache.js'
import { createEntitySerializer, RowJsonCache } from '../../src/graph/serializer.js'
import { loadFixtures } from '../../src/store/index.js'
import { bundledFixturesDir } from '../../src/paths.js'
import { AUTH, build, LIST, session } from '../helper.js'

const TYPE = 'microsoft.graph.exchangeRestoreSession'

t.test('cached row JSON is the uncached JSON, with and without hidden members, for both audiences', async (t) => {
  const rows = (await loadFixtures(bundledFixturesDir)).root.collections.get('exchangeRestoreSessions')?.rows ?? []
  const hidden = rows.filter((row) => row.status === 'failed' || row.restoreJobType === 'granular')
  t.ok(hidden.length > 0 && hidden.length < rows.length, 'the fixtures hold rows with and without hidden members')
  const cached = createEntitySerializer(TYPE, exchangeRestoreSessionSchema)
  const uncached = createEntitySerializer(TYPE, exchangeRestoreSessionSchema, { rowCacheChars: 0 })
  for (let pass = 0; pass < 2; pass++) {
    for (const row of rows) {
      for (const includeUnknownEnumMembers of [false, true, false]) {
        const options = { includeUnknownEnumMembers }
        t.equal(cached.serialize(row, options), uncached.serialize(row, options), `${String(row.id)} ${String(row.status)} ${String(includeUnknownEnumMembers)} (pass ${pass})`)
      }
    }
  }
  const failed = hidden.find((row) => row.status === 'failed')
  if (failed !== undefined) {
    t.match(cached.serialize(failed, { includeUnknownEnumMembers: false }), /"status":"unknownFutureValue"/, 'public view hides the member')
    t.match(cached.serialize(failed, { includeUnknownEnumMembers: true }), /"status":"failed"/, 'the opted-in view shows it')
  }
})

t.test('a $select projection and an unfrozen row are never cached', async (t) => {
  const serializer = createEntitySerializer(TYPE, exchangeRestoreSessionSchema)
  const row: { id: string, status: string } = { id: '1', status: 'active' }
  t.equal(serializer.serialize(row, { includeUnknownEnumMembers: false }), `{"@odata.type":"#${TYPE}","id":"1","status":"active"}`)
  row.status = 'failed'
  t.equal(serializer.serialize(row, { includeUnknownEnumMembers: false }), `{"@odata.type":"#${TYPE}","id":"1","status":"unknownFutureValue"}`, 'the changed row is serialized again')
  const frozen = Object.freeze({ id: '2', status: 'failed' })
  const select = { project: (value: object) => ({ id: (value as { id: string }).id }) }
  t.equal(serializer.serialize(frozen, { includeUnknownEnumMembers: false }), `{"@odata.type":"#${TYPE}","id":"2","status":"unknownFutureValue"}`)
  t.equal(serializer.serialize(frozen, { includeUnknownEnumMembers: false, select }), `{"@odata.type":"#${TYPE}","id":"2"}`, 'the projection, not the cached row')
})

t.test('the row cache stays within its budget and keeps what is read often', async (t) => {
  const cache = new RowJsonCache(100)
  const rows = Array.from({ length: 50 }, () => Object.freeze({}))
  const hot = Object.freeze({})
  cache.set(hot, 'h'.repeat(10))
  for (const row of rows) {
    cache.set(row, 'x'.repeat(10))
    t.equal(cache.get(hot), 'h'.repeat(10), 'the row read between inserts stays')
  }
  t.ok(cache.size <= 12, `at most ~budget/10 rows held (${cache.size})`)
  t.equal(cache.get(rows[0] ?? {}), undefined, 'an old row was dropped')
  t.strictSame(cache.get(rows[49] ?? {}), 'x'.repeat(10), 'the newest row is there')
})

t.test('the page cache: by key and source, least recently used out, within its byte budget', async (t) => {
  const cache = new PageCache(30)
  const source = {}
  cache.set('a', source, Buffer.from('a'.repeat(10)))
  cache.set('b', source, Buffer.from('b'.repeat(10)))
  t.equal(cache.get('a', {})?.toString(), undefined, 'another source: stale')
  t.equal(cache.get('a', source)?.toString(), 'a'.repeat(10), 'hit (and a is now the most recent)')
  cache.set('c', source, Buffer.from('c'.repeat(10)))
  cache.set('d', source, Buffer.from('d'.repeat(10)))
  t.equal(cache.get('b', source), undefined, 'the least recently used went')
  t.equal(cache.get('a', source)?.toString(), 'a'.repeat(10))
  t.equal(cache.size, 3)
  cache.set('big', source, Buffer.alloc(31))
  t.equal(cache.get('big', source), undefined, 'larger than the budget: not kept')
  t.equal(cache.admit('k'), false, 'a first request: not worth keeping yet')
  t.equal(cache.admit('k'), true, 'the second one is')
  t.equal(new PageCache(0).admit('k') || new PageCache(0).admit('k'), false, 'a cache of 0 bytes keeps nothing')
  cache.set('a', source, Buffer.from('A'))
  t.equal(cache.get('a', source)?.toString(), 'A', 'replaced')
})

t.test('a repeated list request gets the same body from the page cache, its own ids and the right variant', async (t) => {
  // Twelve sessions, every third one with members hidden from the public audience.
  const sessions = Array.from({ length: 12 }, (_, index) => session(`5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a${String(index).padStart(2, '0')}`, index % 3 === 0 ? { status: 'failed', restoreJobType: 'granular' } : {}))
  const app = await build(t, { sessions })
  const url = `${LIST}?$top=3`
  const first = await app.inject({ url, headers: AUTH })
  await app.inject({ url, headers: AUTH })
  const second = await app.inject({ url, headers: AUTH })
  t.equal(second.body, first.body, 'same bytes')
  t.not(second.headers['request-id'], first.headers['request-id'], 'a new request-id each time')
  t.equal(second.headers['content-type'], first.headers['content-type'])
  t.equal(second.headers['content-length'], first.headers['content-length'])

  const all = `${LIST}?$top=12`
  const plain = await app.inject({ url: all, headers: AUTH })
  await app.inject({ url: all, headers: AUTH })
  const opted = await app.inject({ url: all, headers: { ...AUTH, prefer: 'include-unknown-enum-members' } })
  await app.inject({ url: all, headers: { ...AUTH, prefer: 'include-unknown-enum-members' } })
  const plainAgain = await app.inject({ url: all, headers: AUTH })
  t.not(opted.body, plain.body, 'the opted-in audience gets its own page')
  t.equal(plainAgain.body, plain.body, 'and the public page is unchanged')
  t.equal(opted.headers['preference-applied'], 'include-unknown-enum-members', 'preference-applied on a kept page too')
  const optedAgain = await app.inject({ url: all, headers: { ...AUTH, prefer: 'include-unknown-enum-members' } })
  t.equal(optedAgain.headers['preference-applied'], 'include-unknown-enum-members')
  t.equal(optedAgain.body, opted.body)

  const otherHost = await app.inject({ url, headers: { ...AUTH, host: 'example.test:1234' } })
  t.match(otherHost.json(), { '@odata.nextLink': /^http:\/\/example\.test:1234\// }, 'the nextLink follows the Host of each request')
  const now = `${LIST}?$filter=createdDateTime lt now()&$top=2`
  t.equal((await app.inject({ url: now, headers: AUTH })).statusCode, 200)
  t.equal((await app.inject({ url: now, headers: AUTH })).statusCode, 200, 'a query that reads now() is answered afresh')
})
