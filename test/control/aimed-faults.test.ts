// Fault rules and namespaces: a namespace's rules act on its own requests; a rule of the default
// namespace that names a namespace (match.namespace) acts on that namespace's requests only.

import t from 'tap'
import { buildApp } from '../../src/app.js'

const COUNT = '/beta/solutions/backupRestore/exchangeRestoreSessions/$count'
const auth = { authorization: 'Bearer x' }

t.test('a default-namespace rule aimed at a namespace faults that namespace only', async (t) => {
  const app = await buildApp({ logLevel: 'silent' })
  t.teardown(async () => { await app.close() })
  const added = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { match: { namespace: 'team1' }, respond: { status: 503 }, times: 1 } })
  t.equal(added.statusCode, 201)
  const seedCount = (await app.inject({ url: COUNT, headers: auth })).body
  t.equal(seedCount, '20', 'the default namespace itself is not aimed at')
  const other = await app.inject({ url: `/_ns/team2${COUNT}`, headers: auth })
  t.equal(other.statusCode, 200, 'another namespace is not aimed at')
  const aimed = await app.inject({ url: `/_ns/team1${COUNT}`, headers: auth })
  t.equal(aimed.statusCode, 503)
  t.equal(aimed.headers['retry-after'], '1')
  t.equal(aimed.json<{ error: { code: string } }>().error.code, 'serviceNotAvailable')
  const again = await app.inject({ url: `/_ns/team1${COUNT}`, headers: auth })
  t.equal(again.statusCode, 200, 'times: 1 used up')
  const journal = await app.inject({ url: '/_ns/team1/__admin/requests' })
  t.strictSame(journal.json<{ requests: Array<{ status: number, fault: unknown }> }>().requests.map((entry) => [entry.status, entry.fault]), [[503, { id: 'f1', kind: 'status' }], [200, null]])
  const rule = await app.inject({ url: '/__admin/faults/f1' })
  t.equal(rule.json<{ hits: number, remaining: number }>().hits, 1)
})

t.test("a namespace's rule naming another namespace is refused", async (t) => {
  const app = await buildApp({ logLevel: 'silent' })
  t.teardown(async () => { await app.close() })
  const refused = await app.inject({ method: 'POST', url: '/_ns/a/__admin/faults', payload: { match: { namespace: 'b' }, respond: { status: 500 } } })
  t.equal(refused.statusCode, 400)
  t.strictSame(refused.json(), { error: { code: 'invalidRequest', message: "match.namespace 'b' is not this namespace ('a'): a namespace's rules act on its own requests; add the rule to 'b', or to the default namespace with match.namespace." } })
  const own = await app.inject({ method: 'POST', url: '/_ns/a/__admin/faults', payload: { match: { namespace: 'a' }, respond: { status: 500 } } })
  t.equal(own.statusCode, 201)
  t.equal((await app.inject({ url: `/_ns/a${COUNT}`, headers: auth })).statusCode, 500)
  t.equal((await app.inject({ url: `/_ns/b${COUNT}`, headers: auth })).statusCode, 200)
})
