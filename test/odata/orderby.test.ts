import t from 'tap'
import { engine, ids, rows, session } from './fixtures/sessions.js'

const e = engine()
const order = (orderby: string, data = rows, extra = '') =>
  ids(e.execute(e.prepare(`$orderby=${encodeURIComponent(orderby)}${extra}`, 'collection'), data))

t.test('orders', async (t) => {
  const cases: Array<[string, string[]]> = [
    // Enums by member position, nulls first ascending.
    ['status', ['s5', 's4', 's1', 's6', 's2', 's3']],
    ['status desc', ['s3', 's2', 's6', 's1', 's4', 's5']],
    ['status DESC', ['s3', 's2', 's6', 's1', 's4', 's5']],
    // Instants, not texts: 10:00+02:00 (08:00Z) is before 09:30Z. Ties (s1, s6) by id.
    ['createdDateTime', ['s4', 's5', 's1', 's6', 's3', 's2']],
    ['createdDateTime desc', ['s2', 's3', 's1', 's6', 's5', 's4']],
    ['createdDateTime desc,id desc', ['s2', 's3', 's6', 's1', 's5', 's4']],
    ['createdBy/user/displayName', ['s3', 's1', 's5', 's6', 's4', 's2']],
    ['createdBy/user/displayName asc, id desc', ['s3', 's5', 's1', 's6', 's4', 's2']],
    ['restoreSessionArtifactCount/total desc', ['s2', 's6', 's1', 's4', 's3', 's5']],
    ['error/details/$count', ['s1', 's2', 's4', 's5', 's6', 's3']],
    // Booleans: false < true.
    ["status eq 'active'", ['s2', 's3', 's4', 's5', 's6', 's1']],
    ['id desc', ['s6', 's5', 's4', 's3', 's2', 's1']],
    ['tolower(createdBy/user/displayName) desc', ['s4', 's6', 's2', 's1', 's5', 's3']]
  ]
  for (const [orderby, expected] of cases) t.strictSame(order(orderby), expected, orderby)
})

t.test('sub-millisecond instants order exactly', async (t) => {
  const data = [
    session({ id: 'b', status: 'active', created: '2024-01-01T00:00:00.0000002Z' }),
    session({ id: 'a', status: 'active', created: '2024-01-01T00:00:00.0000001Z' }),
    session({ id: 'c', status: 'active', created: '2023-12-31T19:00:00.00000015-05:00' })
  ]
  t.strictSame(order('createdDateTime', data), ['a', 'c', 'b'])
})

t.test('without $orderby the store order is kept', async (t) => {
  const reversed = [...rows].reverse()
  t.strictSame(ids(e.execute(e.prepare('', 'collection'), reversed)), ['s6', 's5', 's4', 's3', 's2', 's1'])
})

t.test('top-k on a large set agrees with a full sort', async (t) => {
  const statuses = ['draft', 'active', 'completed', null] as const
  const data = Array.from({ length: 500 }, (_, i) => session({
    id: `r${String((i * 7919) % 500).padStart(3, '0')}`,
    status: statuses[i % 4] ?? null,
    created: i % 9 === 0 ? null : `2024-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00Z`,
    total: i % 13
  }))
  const full = order('createdDateTime desc,status', data, '&$top=999')
  const firstTen = order('createdDateTime desc,status', data, '&$top=10')
  t.strictSame(firstTen, full.slice(0, 10))
  t.equal(new Set(full).size, 500)
})

t.test('errors', async (t) => {
  t.throws(() => e.prepare('$orderby=createdBy', 'collection'), { message: 'The $orderby expression must evaluate to a single value of primitive type.' })
  t.throws(() => e.prepare('$orderby=error/details', 'collection'), { message: 'The $orderby expression must evaluate to a single value of primitive type.' })
  t.throws(() => e.prepare('$orderby=nope', 'collection'), { message: "Could not find a property named 'nope' on type 'microsoft.graph.exchangeRestoreSession'." })
  t.throws(() => e.prepare('$orderby=id sideways', 'collection'), { message: "Syntax error at position 11 in 'id sideways'." })
})
