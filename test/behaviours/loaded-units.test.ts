// Units the fixtures load as protected keep getting restore points on the clock, as units the mock
// protects itself do: one per protected unit every RESTORE_POINT_INTERVAL.
import t from 'tap'
import { buildApp } from '../../src/app.js'

const HEADERS = { authorization: 'Bearer x' }
const ROOT = '/beta/solutions/backupRestore'

t.test('the bundled tenant\'s protected units get a restore point each interval', async (t) => {
  const app = await buildApp({ clockMode: 'manual', restorePointInterval: 'PT1H' })
  t.teardown(async () => { await app.close() })
  const count = async (url: string): Promise<number> => Number((await app.inject({ url, headers: HEADERS })).body)
  const protectedUnits = await count(`${ROOT}/protectionUnits/$count?$filter=status eq 'protected'`)
  t.ok(protectedUnits > 0, 'the bundled tenant has protected units')
  const before = await count(`${ROOT}/restorePoints/$count`)
  app.clock.advance(3_599_999)
  t.equal(await count(`${ROOT}/restorePoints/$count`), before, 'nothing before the interval has passed')
  app.clock.advance(1)
  t.equal(await count(`${ROOT}/restorePoints/$count`), before + protectedUnits, 'one new restore point per protected unit')
  const newest = await app.inject({ url: `${ROOT}/restorePoints?$orderby=protectionDateTime desc&$top=1&$select=protectionDateTime&$expand=protectionUnit($select=status)`, headers: HEADERS })
  const point = newest.json<{ value: Array<{ protectionDateTime: string, protectionUnit: { status: string } }> }>().value[0]
  t.equal(point?.protectionUnit.status, 'protected')
  t.equal(Date.parse(point?.protectionDateTime ?? ''), app.clock.now(), 'taken at the interval\'s time')
})
