// The smaller query rules a new user ran into: $top and $skip beyond Int64 are Graph's 400, parameter
// aliases in $filter and $orderby, the context URL in the model's spelling whatever the $select's, and
// one property order inside complex values (the contract's) in full and `$select`ed responses alike.

import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { AUTH, CONTEXT, LIST, build, expectedError, session } from '../helper.js'

const TYPE = '#microsoft.graph.exchangeRestoreSession'
const A = '0b5e5f30-1a2b-4c3d-8e9f-00000000000a'
const B = '0b5e5f30-1a2b-4c3d-8e9f-00000000000b'
const C = '0b5e5f30-1a2b-4c3d-8e9f-00000000000c'
const sessions = [
  session(A, { status: 'active', createdDateTime: '2025-03-02T10:00:00Z' }),
  session(B, { status: 'draft', createdDateTime: '2025-03-03T10:00:00Z', restoreSessionArtifactCount: { total: 9, completed: 0, inProgress: 0, failed: 0 } }),
  session(C, { status: 'draft', createdDateTime: '2025-03-01T10:00:00Z' })
]

interface Answer { status: number, body: unknown, text: string }

async function get (app: FastifyInstance, query: string, path = LIST): Promise<Answer> {
  const response = await app.inject({ method: 'GET', url: `${path}?${query}`, headers: { ...AUTH, host: 'mock.test' } })
  return { status: response.statusCode, body: response.json(), text: response.body }
}

function ids (answer: Answer): unknown {
  return (answer.body as { value?: Array<{ id?: unknown }> }).value?.map((item) => item.id)
}

async function badRequest (t: Test, app: FastifyInstance, query: string, message: string): Promise<void> {
  const response = await app.inject({ method: 'GET', url: `${LIST}?${query}`, headers: AUTH })
  t.equal(response.statusCode, 400, `${query}: 400`)
  t.strictSame(response.json(), expectedError(response, 'BadRequest', message), `${query}: Graph's body`)
}

t.test('$top and $skip beyond Int64 are a 400, as the OData library reads them', async (t) => {
  const app = await build(t, { sessions })
  const invalid = (option: string, value: string): string => `Invalid value '${value}' for $${option} query option found. The $${option} query option requires a non-negative integer value.`
  await badRequest(t, app, '$top=99999999999999999999', invalid('top', '99999999999999999999'))
  await badRequest(t, app, '$top=9223372036854775808', invalid('top', '9223372036854775808'))
  await badRequest(t, app, '$skip=99999999999999999999', invalid('skip', '99999999999999999999'))
  const largest = await get(app, '$top=9223372036854775807&$select=id')
  t.strictSame({ status: largest.status, ids: ids(largest) }, { status: 200, ids: [A, B, C] }, 'Int64\'s maximum is a $top (clamped to the page size)')
  const padded = await get(app, '$top=000000000000000000000001&$select=id')
  t.strictSame({ status: padded.status, ids: ids(padded) }, { status: 200, ids: [A] }, 'leading zeros do not count')
  const skipped = await get(app, '$skip=9223372036854775807&$select=id')
  t.strictSame({ status: skipped.status, ids: ids(skipped) }, { status: 200, ids: [] }, 'a $skip past the end is an empty page')
})

t.test('parameter aliases in $filter and $orderby', async (t) => {
  const app = await build(t, { sessions })
  const cases: Array<[string, string[]]> = [
    ["$filter=status eq @s&@s='draft'", [B, C]],
    ["@s='draft'&$filter=status eq @s", [B, C]],
    ['$filter=status eq @s&@s=%27draft%27', [B, C]],
    ["$filter=@p&@p=status eq 'active'", [A]],
    ['$filter=restoreSessionArtifactCount/total gt @n add 1&@n=4', [B]],
    ["$filter=status eq @a or id eq @b&@a='active'&@b='" + C + "'", [A, C]],
    ["$filter=contains(id, @x)&@x='00b'", [B]],
    ["$filter=status eq @outer&@outer=@inner&@inner='active'", [A]],
    ['$orderby=@o desc&@o=createdDateTime', [B, A, C]],
    ['$filter=status eq @missing', []],
    ["$filter=id eq 'x@y' or status eq @s&@s='active'", [A]]
  ]
  for (const [query, expected] of cases) {
    const answer = await get(app, `${query}&$select=id`)
    t.strictSame({ status: answer.status, ids: ids(answer) }, { status: 200, ids: expected }, query)
  }
  await badRequest(t, app, '$filter=status eq @a&@a=@a', "The parameter alias '@a' refers to itself.")
  await badRequest(t, app, '$filter=status eq @a&@a=@b&@b=@a', "The parameter alias '@a' refers to itself.")
  await badRequest(t, app, "$filter=status eq @s&@s='draft'&@s='active'", "Query option '@s' was specified more than once, but it must be specified at most once.")
  await badRequest(t, app, "$filter=status eq @s&@s='sleeping'", "The string 'sleeping' is not a valid enumeration type constant.")
})

t.test('an alias stays in the nextLink, and its token holds only for the same value', async (t) => {
  const app = await build(t, { sessions })
  const first = await get(app, "$filter=status eq @s&@s='draft'&$select=id&$top=1")
  const nextLink = (first.body as { '@odata.nextLink'?: string })['@odata.nextLink'] ?? ''
  t.match(nextLink, /^http:\/\/mock\.test\/beta\/solutions\/backupRestore\/exchangeRestoreSessions\?\$filter=status%20eq%20@s&@s=%27draft%27&\$select=id&\$top=1&\$skiptoken=[^&]+$/)
  const url = new URL(nextLink)
  const second = await app.inject({ method: 'GET', url: `${url.pathname}${url.search}`, headers: AUTH })
  t.strictSame(second.json<{ value: unknown }>().value, [{ '@odata.type': TYPE, id: C }], 'the second page')
  const token = url.searchParams.get('$skiptoken') ?? ''
  await badRequest(t, app, `$filter=status eq @s&@s='active'&$select=id&$top=1&$skiptoken=${encodeURIComponent(token)}`,
    'The $skiptoken value is not valid for this request. Follow the @odata.nextLink exactly as it was returned.')
})

t.test('the context URL names the selected properties in the model\'s spelling', async (t) => {
  const app = await build(t, { sessions })
  const cases: Array<[string, string]> = [
    ['$select=ID,Status', '(id,status)'],
    ['$select= id , STATUS ', '(id,status)'],
    ['$select=CreatedBy/User/DisplayName,id', '(createdBy/user/displayName,id)'],
    ['$select=*', '(*)'],
    ['$select=createdBy/*', '(createdBy/*)']
  ]
  for (const [query, suffix] of cases) {
    const answer = await get(app, query)
    t.equal((answer.body as Record<string, unknown>)['@odata.context'], `${CONTEXT}${suffix}`, query)
  }
  const entity = await get(app, '$select=ID,Status', `${LIST}/${A}`)
  t.strictSame(entity.body, { '@odata.context': `${CONTEXT}(id,status)/$entity`, '@odata.type': TYPE, id: A, status: 'active' }, 'on the entity route too')
})

t.test('inside complex values the properties come in the contract\'s order, full or $selected', async (t) => {
  const app = await build(t, { sessions: [sessions[0]] })
  const full = await get(app, '')
  const item = (full.body as { value: Array<Record<string, Record<string, unknown>>> }).value[0] ?? {}
  t.strictSame(Object.keys(item['createdBy']?.['user'] ?? {}), ['displayName', 'id'], 'identity: displayName, id')
  t.strictSame(Object.keys(item['createdBy'] ?? {}), ['application', 'device', 'user'], 'identitySet')
  t.strictSame(Object.keys(item['restoreSessionArtifactCount'] ?? {}), ['completed', 'failed', 'inProgress', 'total'], 'restoreSessionArtifactCount')
  const user = '"user":{"displayName":"Megan Bowen","id":"0f6c5b1a-2d3e-4f50-8a9b-1c2d3e4f5a6b"}'
  const count = '"restoreSessionArtifactCount":{"completed":1,"failed":1,"inProgress":2,"total":4}'
  t.ok(full.text.includes(`"createdBy":{"application":null,"device":null,${user}}`), 'the full response, byte for byte')
  t.ok(full.text.includes(count))
  for (const query of ['$select=createdBy,restoreSessionArtifactCount', '$select=createdBy/user/id,createdBy/user/displayName,restoreSessionArtifactCount/total,restoreSessionArtifactCount/completed,restoreSessionArtifactCount/failed,restoreSessionArtifactCount/inProgress', '$select=restoreSessionArtifactCount/*,createdBy/user']) {
    const selected = await get(app, query)
    t.ok(selected.text.includes(`"createdBy":{${query.includes('createdBy,') ? '"application":null,"device":null,' : ''}${user}}`), `${query}: createdBy as in the full response`)
    t.ok(selected.text.includes(count), `${query}: the counts as in the full response`)
  }
  const partial = await get(app, '$select=restoreSessionArtifactCount/total,restoreSessionArtifactCount/completed,id')
  t.equal(partial.text.slice(partial.text.indexOf('"value"')), `"value":[{"@odata.type":"${TYPE}","restoreSessionArtifactCount":{"completed":1,"total":4},"id":"${A}"}]}`, 'selected sub-properties in the type\'s order; the entity\'s own in $select order')
})
