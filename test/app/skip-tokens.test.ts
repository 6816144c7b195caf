// Skip tokens across instances and runs: the same data and query give the same nextLink on every run
// and every instance (so a whole response can be a snapshot, and a nextLink survives a restart), a
// token edited by hand or taken from another query is still a 400, and SKIP_TOKEN_SECRET
// (`skipTokenSecret`) makes an instance's tokens its own, shared only with replicas given the same one.

import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { AUTH, CONTEXT, LIST, build, expectedError, session } from '../helper.js'

const TYPE = '#microsoft.graph.exchangeRestoreSession'
const sessions = Array.from({ length: 5 }, (_, index) => session(`3f2b8c1d-4e5a-4b6c-9d7e-00000000000${index}`))
const QUERY = '$select=id&$top=2'
const INVALID = 'The $skiptoken value is not valid for this request. Follow the @odata.nextLink exactly as it was returned.'

async function get (app: FastifyInstance, url: string): Promise<{ status: number, body: Record<string, unknown> }> {
  const response = await app.inject({ method: 'GET', url, headers: { ...AUTH, host: 'mock.test' } })
  return { status: response.statusCode, body: response.json() }
}

function nextLinkOf (body: Record<string, unknown>): string {
  const link = body['@odata.nextLink']
  if (typeof link !== 'string') throw new Error(`no nextLink in ${JSON.stringify(body)}`)
  return link
}

t.test('the whole first page is the same on every run: a snapshot holds', async (t) => {
  const app = await build(t, { sessions })
  const page = await get(app, `${LIST}?${QUERY}`)
  // Written down once: a token that changed from run to run, or from instance to instance, breaks it.
  t.strictSame(page, {
    status: 200,
    body: {
      '@odata.context': `${CONTEXT}(id)`,
      '@odata.nextLink': `http://mock.test${LIST}?$select=id&$top=2&$skiptoken=2.phCcHYfCtMnKfnh7k6EL2N`,
      value: sessions.slice(0, 2).map((row) => ({ '@odata.type': TYPE, id: row.id }))
    }
  })
})

t.test('a nextLink from one instance works on another, or after a restart', async (t) => {
  const one = await build(t, { sessions })
  const two = await build(t, { sessions })
  const first = await get(one, `${LIST}?${QUERY}`)
  t.equal(nextLinkOf((await get(two, `${LIST}?${QUERY}`)).body), nextLinkOf(first.body), 'the same nextLink from both')
  const path = nextLinkOf(first.body).replace('http://mock.test', '')
  const onOne = await get(one, path)
  const onTwo = await get(two, path)
  t.strictSame(onTwo, onOne, 'the second page is the same on either instance')
  t.strictSame(onTwo.body['value'], sessions.slice(2, 4).map((row) => ({ '@odata.type': TYPE, id: row.id })))
})

t.test('a tampered token, or one from another query, is still a 400', async (t) => {
  const app = await build(t, { sessions })
  const link = new URL(nextLinkOf((await get(app, `${LIST}?${QUERY}`)).body))
  const token = link.searchParams.get('$skiptoken') ?? ''
  const cases = [
    ['another offset, the signature kept', `${LIST}?${QUERY}&$skiptoken=${encodeURIComponent(`3${token.slice(1)}`)}`],
    ['a signature edited', `${LIST}?${QUERY}&$skiptoken=${encodeURIComponent(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)}`],
    ['another $top', `${LIST}?$select=id&$top=3&$skiptoken=${encodeURIComponent(token)}`],
    ['another $filter', `${LIST}?${QUERY}&$filter=status eq 'active'&$skiptoken=${encodeURIComponent(token)}`]
  ]
  for (const [name, url] of cases) {
    const response = await app.inject({ method: 'GET', url: url ?? '', headers: AUTH })
    t.equal(response.statusCode, 400, `${name ?? ''}: 400`)
    t.strictSame(response.json(), expectedError(response, 'BadRequest', INVALID), `${name ?? ''}: Graph's body`)
  }
})

t.test('skipTokenSecret: tokens shared by the replicas given it, refused elsewhere', async (t) => {
  const plain = await build(t, { sessions })
  const replicaA = await build(t, { sessions, skipTokenSecret: 'replicas-of-team-a' })
  const replicaB = await build(t, { sessions, skipTokenSecret: 'replicas-of-team-a' })
  const other = await build(t, { sessions, skipTokenSecret: 'team-b' })
  const fromA = nextLinkOf((await get(replicaA, `${LIST}?${QUERY}`)).body)
  t.not(fromA, nextLinkOf((await get(plain, `${LIST}?${QUERY}`)).body), 'a secret gives other tokens than the default')
  t.equal(nextLinkOf((await get(replicaB, `${LIST}?${QUERY}`)).body), fromA, 'replicas with the same secret give the same token')
  const path = fromA.replace('http://mock.test', '')
  t.equal((await get(replicaB, path)).status, 200, 'and accept each other\'s')
  t.equal((await get(other, path)).status, 400, 'another secret refuses it')
  t.equal((await get(plain, path)).status, 400, 'so does the default')
  await t.rejects(build(t, { sessions, skipTokenSecret: ' ' }), { name: 'ConfigError', message: 'option skipTokenSecret must not be empty' })
})
