import t from 'tap'
import { engine, ids, session } from './fixtures/sessions.js'

const statuses = ['draft', 'active', 'completed', 'failed'] as const
const data = Array.from({ length: 53 }, (_, i) => session({
  id: `id-${String(i).padStart(2, '0')}`,
  status: statuses[i % 4] ?? 'draft',
  created: `2024-02-${String((i % 27) + 1).padStart(2, '0')}T12:00:00Z`,
  total: i
}))

/** Follows skip tokens the way a client follows @odata.nextLink, collecting every page. */
function follow (e: ReturnType<typeof engine>, query: string): { pages: string[][], counts: Array<number | undefined> } {
  const pages: string[][] = []
  const counts: Array<number | undefined> = []
  let raw = query
  for (let i = 0; i < 100; i++) {
    const prepared = e.prepare(raw, 'collection')
    const page = e.execute(prepared, data)
    pages.push(ids(page))
    counts.push(page.count)
    if (page.skipToken === undefined) break
    raw = `${prepared.nextLinkQuery}${prepared.nextLinkQuery === '' ? '' : '&'}$skiptoken=${page.skipToken}`
  }
  return { pages, counts }
}

t.test('$top is the page size; tokens lead through every page', async (t) => {
  const e = engine()
  const { pages } = follow(e, '$top=10')
  t.strictSame(pages.map((page) => page.length), [10, 10, 10, 10, 10, 3])
  t.strictSame(pages.flat(), data.map((row) => row.id))
})

t.test('ordered and filtered paging matches the whole ordered result', async (t) => {
  const e = engine()
  const whole = ids(e.execute(e.prepare("$filter=status ne 'draft'&$orderby=status desc,createdDateTime&$top=999", 'collection'), data))
  t.equal(whole.length, 39)
  const { pages, counts } = follow(e, "$filter=status ne 'draft'&$orderby=status desc,createdDateTime&$top=7&$count=true")
  t.strictSame(pages.flat(), whole)
  t.equal(pages.length, 6)
  t.ok(counts.every((count) => count === 39), '@odata.count is the count of all matches on each page')
})

t.test('defaults and clamping', async (t) => {
  t.strictSame(follow(engine({ defaultPageSize: 20 }), '').pages.map((page) => page.length), [20, 20, 13])
  t.strictSame(follow(engine({ maxPageSize: 25 }), '$top=999').pages.map((page) => page.length), [25, 25, 3])
  t.throws(() => engine({ maxPageSize: 25, topAboveMax: 'error' }).prepare('$top=26', 'collection'), {
    message: "The query specified in the URI is not valid. The limit of '25' for Top query has been exceeded. The value from the incoming request is '26'."
  })
  const e = engine()
  // Int64's maximum, the largest $top the OData library reads: clamped like any other.
  const huge = e.prepare('$top=9223372036854775807', 'collection')
  t.equal(huge.pageSize, 999)
  t.equal(e.execute(huge, data).rows.length, 53)
  t.throws(() => engine().execute(huge, data), TypeError, 'a query prepared by another engine is a programming error')
})

t.test('$skip', async (t) => {
  const e = engine()
  t.strictSame(follow(e, '$skip=50').pages, [['id-50', 'id-51', 'id-52']])
  t.strictSame(follow(e, '$skip=45&$top=5').pages, [['id-45', 'id-46', 'id-47', 'id-48', 'id-49'], ['id-50', 'id-51', 'id-52']])
  const beyond = e.execute(e.prepare('$skip=9223372036854775807&$count=true', 'collection'), data)
  t.strictSame(beyond, { rows: [], count: 53 })
  // Beyond Int64 the OData library cannot read the number: Graph's 400.
  for (const option of ['top', 'skip']) {
    t.throws(() => e.prepare(`$${option}=99999999999999999999`, 'collection'), {
      statusCode: 400,
      message: `Invalid value '99999999999999999999' for $${option} query option found. The $${option} query option requires a non-negative integer value.`
    }, `$${option} beyond Int64`)
  }
})

t.test('$top=0: an empty page and no next link', async (t) => {
  const e = engine()
  t.strictSame(e.execute(e.prepare('$top=0&$count=true', 'collection'), data), { rows: [], count: 53 })
})

t.test('invalid $top, $skip and $count', async (t) => {
  const e = engine()
  for (const value of ['-1', '1.5', 'abc', '', '+1', '1e3', ' 1']) {
    t.throws(() => e.prepare(`$top=${encodeURIComponent(value)}`, 'collection'), {
      message: `Invalid value '${value}' for $top query option found. The $top query option requires a non-negative integer value.`
    }, `$top=${value}`)
    t.throws(() => e.prepare(`$skip=${encodeURIComponent(value)}`, 'collection'), {
      message: `Invalid value '${value}' for $skip query option found. The $skip query option requires a non-negative integer value.`
    }, `$skip=${value}`)
  }
  t.equal(e.prepare('$count=false', 'collection').count, false)
  t.equal(e.prepare('$count=TRUE', 'collection').count, true)
  t.throws(() => e.prepare('$count=1', 'collection'), { message: "Invalid value '1' for $count query option found. Valid values are 'true, false'." })
})

t.test('tampered tokens and tokens from another query are rejected', async (t) => {
  const e = engine()
  const prepared = e.prepare("$filter=status eq 'active'&$top=2", 'collection')
  const token = e.execute(prepared, data).skipToken ?? ''
  t.match(token, /^[0-9a-z]+\.[\w-]{22}$/)
  const message = 'The $skiptoken value is not valid for this request. Follow the @odata.nextLink exactly as it was returned.'
  const tampered = [`3${token.slice(1)}`, `${token}x`, token.slice(0, -1), '', 'abc', `${token.split('.')[0] ?? ''}.${'A'.repeat(22)}`]
  for (const bad of tampered) {
    t.throws(() => e.prepare(`$filter=status%20eq%20'active'&$top=2&$skiptoken=${bad}`, 'collection'), { message, statusCode: 400 }, bad)
  }
  const others = [
    "$filter=status eq 'draft'&$top=2", "$filter=status eq 'active'&$top=3", "$filter=status eq 'active'&$top=2&$skip=1",
    "$filter=status eq 'active'&$top=2&$orderby=id", "$filter=status eq 'active'&$top=2&$select=id", "$filter=status eq 'active'&$top=2&$count=true"
  ]
  for (const other of others) {
    t.throws(() => e.prepare(`${other}&$skiptoken=${token}`, 'collection'), { message }, other)
  }
  t.ok(e.prepare(`$top=2&$skiptoken=${token}&$filter=status eq 'active'`, 'collection'), 'the same options in another order')
  t.throws(() => engine({ skipTokenSecret: 'other' }).prepare(`$filter=status eq 'active'&$top=2&$skiptoken=${token}`, 'collection'), { message })
})

t.test('the next link query repeats the original options, still encoded, without $skiptoken', async (t) => {
  const e = engine()
  const first = e.prepare("$filter=status%20eq%20'active'&custom=1&$top=2", 'collection')
  t.equal(first.nextLinkQuery, "$filter=status%20eq%20'active'&custom=1&$top=2")
  const token = e.execute(first, data).skipToken ?? ''
  const second = e.prepare(`$filter=status%20eq%20'active'&custom=1&$top=2&$skiptoken=${token}`, 'collection')
  t.equal(second.nextLinkQuery, first.nextLinkQuery)
  t.equal(second.offset, 2)
})

t.test('a later page reuses the cached order (no re-filter)', async (t) => {
  const e = engine()
  let calls = 0
  const counting = new Proxy(data, {
    get (target, property, receiver) {
      if (typeof property === 'string' && /^\d+$/.test(property)) calls++
      return Reflect.get(target, property, receiver) as unknown
    }
  })
  const first = e.prepare('$orderby=createdDateTime desc&$top=5', 'collection')
  const token = e.execute(first, counting).skipToken ?? ''
  const second = e.prepare(`$orderby=createdDateTime desc&$top=5&$skiptoken=${token}`, 'collection')
  e.execute(second, counting)
  const afterSort = calls
  const third = e.execute(e.prepare(`$orderby=createdDateTime desc&$top=5&$skiptoken=${e.execute(second, counting).skipToken ?? ''}`, 'collection'), counting)
  t.equal(third.rows.length, 5)
  t.ok(calls - afterSort <= 10, `later pages read only their own rows (read ${calls - afterSort})`)
})

t.test('count requests', async (t) => {
  const e = engine()
  t.equal(e.execute(e.prepare("$filter=status eq 'failed'", 'count'), data).count, 13)
  t.equal(e.execute(e.prepare('$top=1&$skip=5&$orderby=id', 'count'), data).count, 53, '$top, $skip and $orderby do not change the count')
  t.throws(() => e.prepare('$top=x', 'count'), { name: 'GraphError', statusCode: 400 }, 'but they are still validated')
  t.throws(() => e.prepare('$search=x', 'count'), { name: 'GraphError', statusCode: 400 })
})
