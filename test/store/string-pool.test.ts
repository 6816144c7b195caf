// The shaper's string pool: equal strings come back as the value given (JavaScript cannot tell
// copies apart, so the memory saving is measured by the benchmark, not here), and it stays bounded.
import t from 'tap'
import { compileShaper, StringPool } from '../../src/store/row-shape.js'
import { exchangeRestoreSessionSchema } from '../../schemas/index.js'

t.test('the pool returns equal strings and forgets when full', async (t) => {
  const pool = new StringPool(3)
  for (const text of ['a', 'b', 'a', 'c', 'd', 'e', 'a']) t.equal(pool.intern(text), text, text)
})

t.test('shaping with a pool leaves every value as it was', async (t) => {
  const shape = compileShaper(exchangeRestoreSessionSchema, new StringPool(2))
  const record = {
    id: 'x',
    status: 'failed',
    createdBy: { user: { id: 'u', displayName: 'Ann' } },
    lastModifiedBy: { user: { id: 'u', displayName: 'Ann' } },
    restoreSessionArtifactCount: { total: 1, completed: 1, inProgress: 0, failed: 0 }
  }
  const row = shape(record) as Record<string, unknown>
  t.strictSame(row['createdBy'], { application: null, device: null, user: { id: 'u', displayName: 'Ann' } })
  t.strictSame(row['lastModifiedBy'], row['createdBy'])
  t.equal(row['status'], 'failed')
  t.equal(shape(42), 42, 'a value of the wrong type passes through untouched')
})
