// The engine's fast paths give exactly the pages of its general path. Over a frozen rows array (the
// store's) a first page reads only as far as it needs, an order is a sorted permutation kept per
// $orderby, and a repeated first page reuses its skip token; over an unfrozen array of the same rows
// every request filters, picks by top-k or sorts. Both must agree page by page.
import t from 'tap'
import type { ExchangeRestoreSession } from '../../schemas/index.js'
import { COMMITTED_FIXTURE, generateTenant } from '../../src/fixtures/index.js'
import { storeFromData } from '../../src/store/index.js'
import { engine } from './fixtures/sessions.js'

// A seeded tenant with 400 exchangeRestoreSessions, as the store holds them (frozen).
const tenant = generateTenant({ ...COMMITTED_FIXTURE, seed: 11, sessions: 400 })
const frozen = (storeFromData({ ...tenant.sets, ...tenant.singletons }).root.collections.get('exchangeRestoreSessions')?.rows ?? []) as readonly ExchangeRestoreSession[]
const unfrozen: readonly ExchangeRestoreSession[] = [...frozen]

type Engine = ReturnType<typeof engine>

/** Every page's ids and count, following skip tokens as a client follows nextLinks. */
function pages (e: Engine, rows: readonly ExchangeRestoreSession[], query: string): Array<{ ids: string[], count: number | undefined }> {
  const out: Array<{ ids: string[], count: number | undefined }> = []
  let raw = query
  for (let i = 0; i < 500; i++) {
    const prepared = e.prepare(raw, 'collection')
    const page = e.execute(prepared, rows)
    out.push({ ids: page.rows.map((row) => row.id), count: page.count })
    if (page.skipToken === undefined) break
    raw = `${prepared.nextLinkQuery}${prepared.nextLinkQuery === '' ? '' : '&'}$skiptoken=${page.skipToken}`
  }
  return out
}

const queries = [
  '$top=10',
  '$top=7&$skip=3',
  '$top=0',
  '$skip=395&$top=10',
  '$skip=1000',
  '$top=25&$count=true',
  '$orderby=createdDateTime desc&$top=10',
  '$orderby=createdDateTime desc&$top=150',
  '$orderby=status,createdDateTime&$top=33',
  '$orderby=completedDateTime&$top=40',
  '$orderby=completedDateTime desc,id&$top=40&$count=true',
  '$orderby=restoreSessionArtifactCount/total desc&$top=12&$skip=5',
  '$orderby=createdBy/user/displayName&$top=20',
  "$filter=status eq 'completedWithError'&$orderby=createdDateTime desc&$top=10",
  "$filter=status eq 'completed' and createdDateTime ge 2025-01-01T00:00:00Z&$orderby=createdDateTime&$top=9",
  "$filter=status eq 'draft' or status eq 'failed'&$top=5",
  "$filter=restoreJobType eq 'granular'&$orderby=lastModifiedDateTime desc&$top=3&$count=true",
  "$filter=status eq 'draft'&$top=999",
  '$filter=createdDateTime lt now()&$orderby=createdDateTime desc&$top=10'
]

t.test('the fast paths over frozen rows give the pages of the general path', async (t) => {
  t.equal(frozen.length, 400, 'the seeded tenant holds 400 sessions')
  for (const query of queries) {
    const fast = pages(engine(), frozen, query)
    const general = pages(engine(), unfrozen, query)
    t.strictSame(fast, general, query)
    t.ok(fast.flatMap((page) => page.ids).length <= frozen.length, `${query}: no row twice`)
  }
})

t.test('a first page read only as far as needed still knows whether another page follows', async (t) => {
  const e = engine()
  const all = pages(e, frozen, "$filter=status eq 'completed'&$orderby=createdDateTime desc&$top=999")[0]?.ids ?? []
  t.ok(all.length > 20, 'enough matches for the test')
  const exact = e.execute(e.prepare(`$filter=status eq 'completed'&$orderby=createdDateTime desc&$top=${all.length}`, 'collection'), frozen)
  t.equal(exact.rows.length, all.length, 'a page holding every match')
  t.equal(exact.skipToken, undefined, 'has no nextLink')
  const short = e.execute(e.prepare(`$filter=status eq 'completed'&$orderby=createdDateTime desc&$top=${all.length - 1}`, 'collection'), frozen)
  t.type(short.skipToken, 'string', 'one match short: a nextLink')
})

t.test('a repeated first page gets the same skip token, and it still leads on', async (t) => {
  const e = engine()
  const prepared = e.prepare('$orderby=createdDateTime&$top=10', 'collection')
  const first = e.execute(prepared, frozen)
  const again = e.execute(prepared, frozen)
  t.equal(again.skipToken, first.skipToken, 'same token')
  t.strictSame(again.rows, first.rows, 'same rows')
  const next = e.execute(e.prepare(`$orderby=createdDateTime&$top=10&$skiptoken=${first.skipToken ?? ''}`, 'collection'), frozen)
  t.equal(next.rows.length, 10)
})

t.test('repeatable: only a first page over frozen rows whose query reads the rows alone', async (t) => {
  const e = engine()
  const cases: Array<[string, readonly ExchangeRestoreSession[], boolean]> = [
    ['$top=10', frozen, true],
    ["$filter=status eq 'failed'&$orderby=createdDateTime desc&$top=10&$count=true", frozen, true],
    ['$filter=createdDateTime lt 2025-01-01T00:00:00Z and contains(id, \'a\')', frozen, true],
    ['$top=10', unfrozen, false],
    ['$filter=createdDateTime lt now()', frozen, false],
    ['$orderby=year(now())&$top=3', frozen, false],
    ['$filter=restoreSessionArtifactCount/total add 1 gt 2 and date(createdDateTime) le date(now())', frozen, false]
  ]
  for (const [query, rows, expected] of cases) t.equal(e.repeatable(e.prepare(query, 'collection'), rows), expected, query)
  const first = e.execute(e.prepare('$top=10', 'collection'), frozen)
  t.equal(e.repeatable(e.prepare(`$top=10&$skiptoken=${first.skipToken ?? ''}`, 'collection'), frozen), false, 'a page that follows a skip token')
})
