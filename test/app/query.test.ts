// The query options through HTTP, as a client sees them: envelopes, context URLs, nextLinks.

import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import type { ExchangeRestoreSession } from '../../schemas/index.js'
import { AUTH, build, CONTEXT, expectedError, LIST, session } from '../helper.js'

const TYPE = '#microsoft.graph.exchangeRestoreSession'
const statuses = ['draft', 'active', 'completed', 'failed', 'completedWithError'] as const
const sessions: ExchangeRestoreSession[] = Array.from({ length: 23 }, (_, i) => session(
  `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  {
    status: statuses[i % statuses.length] ?? 'draft',
    createdDateTime: `2025-01-${String(1 + i).padStart(2, '0')}T08:00:00.0000000Z`,
    restoreSessionArtifactCount: { total: i, completed: 0, inProgress: i, failed: 0 }
  }
))

interface Page { '@odata.context': string, '@odata.count'?: number, '@odata.nextLink'?: string, value: Array<Record<string, unknown>> }

t.test('$select: only the selected properties, and the list in the context URL', async (t) => {
  const app = await build(t, { sessions })
  const response = await app.inject({ method: 'GET', url: `${LIST}?$select=id,status&$top=2`, headers: AUTH })
  t.equal(response.statusCode, 200)
  const body = response.json<Page>()
  t.equal(body['@odata.context'], `${CONTEXT}(id,status)`)
  t.strictSame(body.value, [
    { '@odata.type': TYPE, id: sessions[0]?.id, status: 'draft' },
    { '@odata.type': TYPE, id: sessions[1]?.id, status: 'active' }
  ])
})

t.test('$select on the single-entity route', async (t) => {
  const app = await build(t, { sessions })
  const id = sessions[3]?.id ?? ''
  const response = await app.inject({ method: 'GET', url: `${LIST}/${id}?$select=status,createdBy/user`, headers: AUTH })
  t.equal(response.statusCode, 200)
  t.strictSame(response.json(), {
    '@odata.context': `${CONTEXT}(status,createdBy/user)/$entity`,
    '@odata.type': TYPE,
    status: 'unknownFutureValue',
    createdBy: { user: { displayName: 'Megan Bowen', id: '0f6c5b1a-2d3e-4f50-8a9b-1c2d3e4f5a6b' } }
  })
})

t.test('$top pages through nextLinks on the request\'s own origin, to the last page', async (t) => {
  const app = await build(t, { sessions })
  let url: string | undefined = `${LIST}?$filter=restoreSessionArtifactCount/total ge 3&$orderby=createdDateTime desc&$select=id&$top=5&$count=true`
  const seen: unknown[] = []
  let pages = 0
  while (url !== undefined) {
    const response: LightMyRequestResponse = await app.inject({ method: 'GET', url, headers: { ...AUTH, host: 'mock.test:9999' } })
    t.equal(response.statusCode, 200, url)
    const body: Page = response.json()
    t.equal(body['@odata.count'], 20, 'the count of all matches, on every page')
    seen.push(...body.value.map((item) => item.id))
    url = body['@odata.nextLink']
    if (url !== undefined) {
      t.match(url, /^http:\/\/mock\.test:9999\/beta\/solutions\/backupRestore\/exchangeRestoreSessions\?.*\$top=5.*&\$skiptoken=/)
      url = url.replace('http://mock.test:9999', '')
    }
    pages++
  }
  t.equal(pages, 4)
  t.strictSame(seen, sessions.filter((s) => (s.restoreSessionArtifactCount?.total ?? 0) >= 3).reverse().map((s) => s.id))
})

t.test('a tampered skip token, or one from another query → 400', async (t) => {
  const app = await build(t, { sessions })
  const first = await app.inject({ method: 'GET', url: `${LIST}?$top=5`, headers: AUTH })
  const next = new URL(first.json<Page>()['@odata.nextLink'] ?? '')
  const token = next.searchParams.get('$skiptoken') ?? ''
  const tampered = await app.inject({ method: 'GET', url: `${LIST}?$top=5&$skiptoken=${encodeURIComponent('9' + token.slice(1))}`, headers: AUTH })
  t.equal(tampered.statusCode, 400)
  t.equal(tampered.json<{ error: { code: string } }>().error.code, 'BadRequest')
  const foreign = await app.inject({ method: 'GET', url: `${LIST}?$top=6&$skiptoken=${encodeURIComponent(token)}`, headers: AUTH })
  t.equal(foreign.statusCode, 400)
})

t.test('$count=true and /$count', async (t) => {
  const app = await build(t, { sessions })
  const listed = await app.inject({ method: 'GET', url: `${LIST}?$filter=status eq 'failed'&$count=true&$select=id`, headers: AUTH })
  t.strictSame(listed.json(), {
    '@odata.context': `${CONTEXT}(id)`,
    '@odata.count': 4,
    value: sessions.filter((s) => s.status === 'failed').map((s) => ({ '@odata.type': TYPE, id: s.id }))
  })
  const counted = await app.inject({ method: 'GET', url: `${LIST}/$count?$filter=status eq 'failed'`, headers: AUTH })
  t.equal(counted.statusCode, 200)
  t.equal(counted.headers['content-type'], 'text/plain;charset=utf-8')
  t.equal(counted.body, '4')
})

t.test('on /beta the $ is optional; the same option twice is a 400', async (t) => {
  const app = await build(t, { sessions })
  const dollarless = await app.inject({ method: 'GET', url: `${LIST}?filter=status eq 'draft'&select=id&top=100`, headers: AUTH })
  t.equal(dollarless.statusCode, 200)
  t.equal(dollarless.json<Page>().value.length, 5)
  const twice = await app.inject({ method: 'GET', url: `${LIST}?filter=status eq 'draft'&$filter=status eq 'draft'`, headers: AUTH })
  t.equal(twice.statusCode, 400)
  t.strictSame(twice.json(), expectedError(twice, 'BadRequest', "Query option '$filter' was specified more than once, but it must be specified at most once."))
})

t.test('query errors are Graph\'s 400s', async (t) => {
  const app = await build(t, { sessions })
  const cases: Array<[string, string]> = [
    ['$filter=status eq', "Invalid filter clause: Expression expected at position 9 in 'status eq'."],
    ['$filter=createdDateTime gt \'yesterday\'', "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThan'."],
    ['$filter=status eq \'sleeping\'', "The string 'sleeping' is not a valid enumeration type constant."],
    ['$select=nope', "Parsing OData Select and Expand failed: Could not find a property named 'nope' on type 'microsoft.graph.exchangeRestoreSession'."],
    ['$top=-1', "Invalid value '-1' for $top query option found. The $top query option requires a non-negative integer value."],
    ['$count=maybe', "Invalid value 'maybe' for $count query option found. Valid values are 'true, false'."],
    ['$bogus=1', "The query specified in the URI is not valid. Query option '$bogus' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings."],
    ['$expand=status', "Parsing OData Select and Expand failed: Property 'status' on type 'microsoft.graph.exchangeRestoreSession' is not a navigation property or complex property. Only navigation properties can be expanded."],
    ['$expand=restorePoint', "Parsing OData Select and Expand failed: Could not find a property named 'restorePoint' on type 'microsoft.graph.exchangeRestoreSession'."],
    ["$expand=mailboxRestoreArtifacts($filter=status eq 'added')", "The query option '$filter' is not supported inside $expand; only $select is."],
    ['$expand=mailboxRestoreArtifacts($select=nope)', "Parsing OData Select and Expand failed: Could not find a property named 'nope' on type 'microsoft.graph.mailboxRestoreArtifact'."]
  ]
  for (const [query, message] of cases) {
    const response = await app.inject({ method: 'GET', url: `${LIST}?${query}`, headers: AUTH })
    t.equal(response.statusCode, 400, query)
    t.strictSame(response.json(), expectedError(response, 'BadRequest', message), query)
  }
})

t.test('settings: page size, $top above the maximum, unknown options', async (t) => {
  const clamped = await build(t, { sessions, pageSize: 4, maxPageSize: 10 })
  t.equal((await clamped.inject({ method: 'GET', url: LIST, headers: AUTH })).json<Page>().value.length, 4, 'default page size')
  t.equal((await clamped.inject({ method: 'GET', url: `${LIST}?$top=50`, headers: AUTH })).json<Page>().value.length, 10, 'clamped to the maximum')

  const strict = await build(t, { sessions, pageSize: 5, maxPageSize: 10, topAboveMax: 'error', unknownQueryOptions: 'ignore' })
  const tooMany = await strict.inject({ method: 'GET', url: `${LIST}?$top=50`, headers: AUTH })
  t.equal(tooMany.statusCode, 400)
  t.strictSame(tooMany.json(), expectedError(tooMany, 'BadRequest', "The query specified in the URI is not valid. The limit of '10' for Top query has been exceeded. The value from the incoming request is '50'."))
  t.equal((await strict.inject({ method: 'GET', url: `${LIST}?$bogus=1`, headers: AUTH })).statusCode, 200, 'unknown options ignored when configured')
})
