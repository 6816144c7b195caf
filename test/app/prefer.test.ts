// Prefer: odata.maxpagesize sets the page size where $top does not, is echoed in
// Preference-Applied, works beside other preferences, and carries on through the nextLinks (a
// client following them does not resend Prefer).
import t from 'tap'
import { buildApp } from '../../src/app.js'

const LIST = '/beta/solutions/backupRestore/exchangeRestoreSessions'
const sessions = Array.from({ length: 25 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, status: i % 5 === 0 ? 'failed' : 'completed' }))

t.test('maxpagesize pages, echoes, and carries on', async (t) => {
  const app = await buildApp({ sessions })
  t.teardown(async () => { await app.close() })
  let response = await app.inject({ url: `${LIST}?$select=id`, headers: { authorization: 'Bearer x', prefer: 'odata.maxpagesize=10' } })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['preference-applied'], 'odata.maxpagesize=10')
  const pages: number[] = []
  const ids: string[] = []
  for (let i = 0; i < 5; i++) {
    const body = response.json<{ value: Array<{ id: string }>, '@odata.nextLink'?: string }>()
    pages.push(body.value.length)
    ids.push(...body.value.map((item) => item.id))
    const next = body['@odata.nextLink']
    if (next === undefined) break
    const url = new URL(next)
    response = await app.inject({ url: url.pathname + url.search, headers: { authorization: 'Bearer x' } })
    t.equal(response.headers['preference-applied'], undefined, 'a follow-up without Prefer applies none, yet keeps the size')
  }
  t.strictSame(pages, [10, 10, 5])
  t.strictSame(ids, sessions.map((s) => s.id))
})

t.test('$top wins; several preferences in one header or several headers', async (t) => {
  const app = await buildApp({ sessions })
  t.teardown(async () => { await app.close() })
  const top = await app.inject({ url: `${LIST}?$top=3`, headers: { authorization: 'Bearer x', prefer: 'odata.maxpagesize=10' } })
  t.equal(top.json<{ value: unknown[] }>().value.length, 3)
  t.equal(top.headers['preference-applied'], undefined, 'a $top leaves the preference unapplied')
  const both = await app.inject({ url: LIST, headers: { authorization: 'Bearer x', prefer: ['include-unknown-enum-members', 'odata.maxpagesize=4'] } })
  t.equal(both.headers['preference-applied'], 'include-unknown-enum-members, odata.maxpagesize=4')
  t.equal(both.json<{ value: unknown[] }>().value.length, 4)
  t.equal(both.json<{ value: Array<{ status: string }> }>().value[0]?.status, 'failed', 'the evolvable member is shown to the caller who opted in')
  const one = await app.inject({ url: LIST, headers: { authorization: 'Bearer x', prefer: 'odata.maxpagesize=2, include-unknown-enum-members' } })
  t.equal(one.headers['preference-applied'], 'include-unknown-enum-members, odata.maxpagesize=2')
  for (const bad of ['odata.maxpagesize=0', 'odata.maxpagesize=x', 'odata.maxpagesize=-3']) {
    const ignored = await app.inject({ url: `${LIST}?$select=id`, headers: { authorization: 'Bearer x', prefer: bad } })
    t.equal(ignored.statusCode, 200, bad)
    t.equal(ignored.headers['preference-applied'], undefined, `${bad} is ignored`)
    t.equal(ignored.json<{ value: unknown[] }>().value.length, 25)
  }
  const huge = await app.inject({ url: `${LIST}?$select=id`, headers: { authorization: 'Bearer x', prefer: 'odata.maxpagesize=5000' } })
  t.equal(huge.headers['preference-applied'], 'odata.maxpagesize=999', 'clamped to the maximum page size, and says so')
})
