// $batch: each item answered as the same request on its own is answered (one pipeline), in request
// order, with dependsOn order and 424s; every malformed batch is Graph's 400 naming the rule.

import t from 'tap'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { AUTH, expectedError, LIST, ODATA_JSON, session } from '../helper.js'
import { build } from './build.js'

// Many apps built and many requests made: more than tap's default 30 s on a loaded machine.
t.setTimeout(120000)

const IDS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333']
const sessions = IDS.map((id, i) => session(id, { createdDateTime: `2025-03-0${i + 1}T10:00:00.0000000Z` }))
const RELATIVE = LIST.replace(/^\/beta/, '')
const MISSING = '00000000-0000-4000-8000-00000000ffff'
const UNITS = '/solutions/backupRestore/protectionUnits'

interface Answer { id: string, status: number, headers: Record<string, string>, body?: unknown }

async function batch (app: FastifyInstance, requests: unknown, extra: Record<string, string> = {}, version = 'beta'): Promise<{ statusCode: number, answers: Answer[], raw: string, headers: Record<string, unknown> }> {
  const response = await app.inject({ method: 'POST', url: `/${version}/$batch`, headers: { ...AUTH, 'content-type': 'application/json', ...extra }, payload: JSON.stringify({ requests }) })
  const parsed = response.statusCode === 200 ? response.json<{ responses: Answer[] }>().responses : []
  return { statusCode: response.statusCode, answers: parsed, raw: response.body, headers: response.headers }
}

/** What the same request gets on its own, in the shape of a batch answer (ids and dates aside). */
async function alone (app: FastifyInstance, options: InjectOptions): Promise<{ status: number, body: unknown }> {
  const response = await app.inject({ ...options, headers: { ...AUTH, ...(options.headers ?? {}) } })
  const type = String(response.headers['content-type'] ?? '')
  return { status: response.statusCode, body: type.includes('json') ? scrub(response.json()) : response.body }
}

/** An error body without what differs per request (its ids and date). */
function scrub (body: unknown): unknown {
  const error: unknown = typeof body === 'object' && body !== null && 'error' in body ? body.error : undefined
  if (typeof error !== 'object' || error === null || !('code' in error) || !('message' in error)) return body
  return { error: { code: error.code, message: error.message } }
}

t.test('GET items: 200 envelope, answers in request order, each as the request on its own would get it', async (t) => {
  const app = await build(t, { sessions, pageSize: 2 })
  const requests = [
    { id: 'list', method: 'GET', url: `${RELATIVE}?$select=id,status&$orderby=createdDateTime` },
    { id: 'one', method: 'GET', url: `${RELATIVE.slice(1)}/${IDS[1] ?? ''}` },
    { id: 'count', method: 'GET', url: `${RELATIVE}/$count` },
    { id: 'points', method: 'get', url: `${RELATIVE}?$top=1&$select=id&$count=true` }
  ]
  const { statusCode, answers, headers } = await batch(app, requests)
  t.equal(statusCode, 200)
  t.equal(headers['content-type'], ODATA_JSON)
  t.strictSame(answers.map((a) => a.id), ['list', 'one', 'count', 'points'], 'request order')
  t.strictSame(answers.map((a) => a.status), [200, 200, 200, 200])
  const list = answers[0]
  t.strictSame(list?.body, (await alone(app, { method: 'GET', url: `${LIST}?$select=id,status&$orderby=createdDateTime` })).body, 'the list, nextLink included, as on its own')
  t.strictSame(list?.body, {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions(id,status)',
    '@odata.nextLink': (list?.body as Record<string, string>)['@odata.nextLink'],
    value: [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: IDS[0], status: 'active' }, { '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: IDS[1], status: 'active' }]
  })
  t.match((list?.body as Record<string, string>)['@odata.nextLink'], /^http:\/\/localhost:80\/beta\/solutions\/backupRestore\/exchangeRestoreSessions\?\$select=id,status&\$orderby=createdDateTime&\$skiptoken=/, 'the nextLink is on the host the batch came to')
  t.strictSame(answers[1]?.body, (await alone(app, { method: 'GET', url: `${LIST}/${IDS[1] ?? ''}` })).body)
  t.equal(answers[2]?.body, '3', 'a count is text')
  t.equal(answers[2]?.headers['Content-Type'], 'text/plain;charset=utf-8')
  t.strictSame(answers[3]?.body, (await alone(app, { method: 'GET', url: `${LIST}?$top=1&$select=id&$count=true` })).body)
  for (const answer of answers) {
    t.equal(answer.headers['OData-Version'], '4.0', `${answer.id}: OData-Version`)
    t.match(answer.headers['request-id'], /^[0-9a-f-]{36}$/, `${answer.id}: an id of its own`)
    t.equal(answer.headers['Content-Length'], undefined, `${answer.id}: no framing headers`)
  }
  t.strictSame(Object.keys(answers[1]?.headers ?? {}).sort(), ['Cache-Control', 'Content-Type', 'OData-Version', 'client-request-id', 'request-id'])
})

t.test('failing items (404, 400, 405) get what they would get alone, and never fail the batch', async (t) => {
  const app = await build(t, { sessions })
  const cases: Array<[string, string, string, unknown?]> = [
    ['missing', 'GET', `${RELATIVE}/${MISSING}`],
    ['badId', 'GET', `${RELATIVE}/not-a-guid`],
    ['segment', 'GET', '/solutions/backupRestore/nothingHere'],
    ['filter', 'GET', `${RELATIVE}?$filter=nope eq 1`],
    ['top', 'GET', `${RELATIVE}?$top=-1`],
    // protectionUnits is read-only in the contract: these are 405s whatever writes the mock serves.
    ['create', 'POST', UNITS, { displayName: 'x' }],
    ['update', 'PATCH', `${UNITS}/${IDS[0] ?? ''}`, { status: 'protected' }],
    ['remove', 'DELETE', `${UNITS}/${IDS[0] ?? ''}`],
    ['other', 'GET', '/me/messages']
  ]
  const requests = cases.map(([id, method, url, body]) => body === undefined ? { id, method, url } : { id, method, url, body, headers: { 'Content-Type': 'application/json' } })
  const { statusCode, answers } = await batch(app, requests)
  t.equal(statusCode, 200)
  t.strictSame(answers.map((a) => [a.id, a.status]), [['missing', 404], ['badId', 400], ['segment', 400], ['filter', 400], ['top', 400], ['create', 405], ['update', 405], ['remove', 405], ['other', 404]])
  for (const [i, [id, method, url, body]] of cases.entries()) {
    const own = await alone(app, body === undefined ? { method, url: `/beta${url}` } : { method, url: `/beta${url}`, payload: body as object })
    t.strictSame({ status: answers[i]?.status, body: scrub(answers[i]?.body) }, own, `${id}: the same answer as on its own`)
  }
  t.strictSame(scrub(answers[0]?.body), { error: { code: 'RestoreSessionNotFound', message: 'Restore Session Not Found.' } })
  t.equal(answers[5]?.headers['Allow'], 'GET, HEAD, OPTIONS', 'a 405 keeps its Allow header')
})

t.test('write items get what the same write gets on its own', async (t) => {
  const twin = await build(t, { sessions })
  const app = await build(t, { sessions })
  const create = { method: 'POST', url: RELATIVE, headers: { 'Content-Type': 'application/json' }, body: { restoreSessionArtifactCount: null } }
  const own = await twin.inject({ method: 'POST', url: LIST, headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify(create.body) })
  const { answers } = await batch(app, [{ id: 'create', ...create }, { id: 'after', method: 'GET', url: `${RELATIVE}/$count`, dependsOn: ['create'] }])
  t.equal(answers[0]?.status, own.statusCode, `the create answered ${own.statusCode}, as on its own`)
  const ownBody: unknown = own.statusCode >= 400 ? scrub(own.json()) : undefined
  if (ownBody !== undefined) t.strictSame(scrub(answers[0]?.body), ownBody, 'the same error')
  const count = await twin.inject({ method: 'GET', url: `${LIST}/$count`, headers: AUTH })
  t.strictSame(answers[1], own.statusCode < 300
    ? { id: 'after', status: 200, headers: answers[1]?.headers, body: count.body }
    : { id: 'after', status: 424, headers: answers[1]?.headers, body: answers[1]?.body }, 'the next item sees the write, or fails with it')
})

t.test('dependsOn: an item runs after what it depends on; a failed dependency gives 424, transitively', async (t) => {
  const app = await build(t, { sessions })
  const events: string[] = []
  app.addHook('onRequest', async (request) => { events.push(`start ${request.url}`) })
  app.addHook('onResponse', async (request) => { events.push(`end ${request.url}`) })
  const requests = [
    { id: 'c', method: 'GET', url: `${RELATIVE}/$count`, dependsOn: ['B'] },
    { id: 'b', method: 'GET', url: `${RELATIVE}/${IDS[1] ?? ''}`, dependsOn: ['a'] },
    { id: 'a', method: 'GET', url: `${RELATIVE}/${IDS[0] ?? ''}` }
  ]
  const { answers } = await batch(app, requests)
  t.strictSame(answers.map((a) => [a.id, a.status]), [['c', 200], ['b', 200], ['a', 200]], 'answered in request order')
  const items = events.filter((event) => !event.endsWith('$batch'))
  t.strictSame(items, [
    `start ${LIST}/${IDS[0] ?? ''}`, `end ${LIST}/${IDS[0] ?? ''}`,
    `start ${LIST}/${IDS[1] ?? ''}`, `end ${LIST}/${IDS[1] ?? ''}`,
    `start ${LIST}/$count`, `end ${LIST}/$count`
  ], 'each item started only after its dependency had answered')

  events.length = 0
  const failing = [
    { id: 'first', method: 'GET', url: `${RELATIVE}/${MISSING}` },
    { id: 'second', method: 'GET', url: `${RELATIVE}/${IDS[1] ?? ''}`, dependsOn: ['first'] },
    { id: 'third', method: 'GET', url: `${RELATIVE}/$count`, dependsOn: ['second'] },
    { id: 'free', method: 'GET', url: `${RELATIVE}/$count` },
    { id: 'both', method: 'GET', url: `${RELATIVE}/$count`, dependsOn: ['free', 'first'] }
  ]
  const second = await batch(app, failing)
  t.strictSame(second.answers.map((a) => [a.id, a.status]), [['first', 404], ['second', 424], ['third', 424], ['free', 200], ['both', 424]])
  const failed = second.answers[1]
  t.strictSame(scrub(failed?.body), { error: { code: 'FailedDependency', message: "The request 'first' this request depends on failed." } })
  t.equal(failed?.headers['Content-Type'], ODATA_JSON)
  t.strictSame(scrub(second.answers[2]?.body), { error: { code: 'FailedDependency', message: "The request 'second' this request depends on failed." } })
  t.notOk(events.some((event) => event.includes(`start ${LIST}/${IDS[1] ?? ''}`)), 'an item whose dependency failed is not run')
  const body = failed?.body as { error: { innerError: Record<string, string> } }
  t.equal(body.error.innerError['request-id'], failed?.headers['request-id'], 'its innerError carries its own request-id')
})

t.test('the batch\'s Authorization goes to every item; an item\'s own Authorization is ignored', async (t) => {
  const app = await build(t, { sessions, verifyToken: (token) => token === 'good' })
  const requests = [{ id: '1', method: 'GET', url: `${RELATIVE}/$count`, headers: { Authorization: 'Bearer bad' } }]
  const ok = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { authorization: 'Bearer good', 'content-type': 'application/json' }, payload: { requests } })
  t.equal(ok.statusCode, 200)
  t.strictSame(ok.json<{ responses: Answer[] }>().responses.map((a) => [a.status, a.body]), [[200, '3']])
  const refused = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { authorization: 'Bearer bad', 'content-type': 'application/json' }, payload: { requests } })
  t.equal(refused.statusCode, 401)
  t.strictSame(refused.json(), expectedError(refused, 'InvalidAuthenticationToken', 'Access token validation failure.'))
  const none = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { 'content-type': 'application/json' }, payload: { requests } })
  t.equal(none.statusCode, 401, 'the batch itself needs a token')
  t.equal(none.headers['www-authenticate']?.toString().startsWith('Bearer'), true)
})

t.test('item headers reach the item: Prefer, client-request-id; v1.0 batches address v1.0', async (t) => {
  const app = await build(t, { sessions: [session(IDS[0] ?? '', { status: 'failed' })] })
  const requests = [
    { id: 'shown', method: 'GET', url: `${RELATIVE}?$select=status`, headers: { Prefer: 'include-unknown-enum-members', 'client-request-id': 'mine-1' } },
    { id: 'hidden', method: 'GET', url: `${RELATIVE}?$select=status` }
  ]
  const { answers } = await batch(app, requests)
  t.strictSame((answers[0]?.body as { value: unknown[] }).value, [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', status: 'failed' }])
  t.equal(answers[0]?.headers['Preference-Applied'], 'include-unknown-enum-members')
  t.equal(answers[0]?.headers['client-request-id'], 'mine-1')
  t.strictSame((answers[1]?.body as { value: unknown[] }).value, [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', status: 'unknownFutureValue' }])
  const v1 = await batch(app, [
    { id: '1', method: 'GET', url: `${RELATIVE}/$count` },
    { id: '2', method: 'GET', url: '/solutions/backupRestore/browseSessions' }
  ], {}, 'v1.0')
  t.strictSame(v1.answers.map((a) => [a.status, typeof a.body === 'string' ? a.body : scrub(a.body)]), [
    [200, '1'],
    [400, { error: { code: 'BadRequest', message: "Resource not found for the segment 'browseSessions'." } }]
  ])
})

t.test('malformed batches: Graph\'s 400, with a message naming the rule', async (t) => {
  const app = await build(t, { sessions })
  const get = (id: string, extra: object = {}): object => ({ id, method: 'GET', url: '/solutions/backupRestore', ...extra })
  const cases: Array<[string, unknown, string]> = [
    ['no requests', {}, "The batch body has no 'requests' array."],
    ['requests not an array', { requests: { a: 1 } }, "The batch body has no 'requests' array."],
    ['a list, not an object', [get('1')], "The batch body must be a JSON object with a 'requests' array."],
    ['empty', { requests: [] }, "The batch's 'requests' array is empty; give at least one request."],
    ['21 requests', { requests: Array.from({ length: 21 }, (_, i) => get(String(i))) }, 'Number of requests inside batch exceeds the limit.'],
    ['an item not an object', { requests: [get('1'), 'GET /x'] }, 'The request at index 1 is not a JSON object.'],
    ['no id', { requests: [{ method: 'GET', url: '/solutions' }] }, "The request at index 0 has no 'id'; every request needs an id (a non-empty string) unique in the batch."],
    ['a numeric id', { requests: [{ id: 1, method: 'GET', url: '/solutions' }] }, "The request at index 0 has no 'id'; every request needs an id (a non-empty string) unique in the batch."],
    ['duplicate ids, by case', { requests: [get('Alpha'), get('alpha')] }, "The id 'alpha' is used by more than one request; ids must be unique in a batch (case-insensitively)."],
    ['no method', { requests: [{ id: '1', url: '/solutions' }] }, "The request '1' has no 'method'; give one of GET, POST, PUT, PATCH, DELETE."],
    ['an unknown method', { requests: [get('1', { method: 'TRACE' })] }, "The request '1' has the method 'TRACE', which a batch does not support; give one of GET, POST, PUT, PATCH, DELETE."],
    ['no url', { requests: [{ id: '1', method: 'GET' }] }, "The request '1' has no 'url'; give a url relative to the version root, such as /solutions/backupRestore."],
    ['an absolute url', { requests: [get('1', { url: 'https://graph.microsoft.com/beta/solutions' })] }, "The request '1' has an absolute url; a batch takes urls relative to the version root, such as /solutions/backupRestore."],
    ['a scheme-relative url', { requests: [get('1', { url: '//graph.microsoft.com/beta/solutions' })] }, "The request '1' has an absolute url; a batch takes urls relative to the version root, such as /solutions/backupRestore."],
    ['the version in the url', { requests: [get('1', { url: '/beta/solutions/backupRestore' })] }, "The request '1' has a url that names the version ('beta'); batch urls are relative to the version root the batch was posted to."],
    ['the other version', { requests: [get('1', { url: 'V1.0/solutions' })] }, "The request '1' has a url that names the version ('v1.0'); batch urls are relative to the version root the batch was posted to."],
    ['a url leaving the root', { requests: [get('1', { url: '/solutions/../../beta/solutions' })] }, "The request '1' has a url that leaves the version root."],
    ['a nested batch', { requests: [get('1', { method: 'POST', url: '/$batch', headers: { 'content-type': 'application/json' }, body: { requests: [] } })] }, "The request '1' is a $batch request; batches cannot be nested."],
    ['a nested batch by dot segments', { requests: [get('1', { method: 'POST', url: 'solutions/../%24BATCH' })] }, "The request '1' is a $batch request; batches cannot be nested."],
    ['a url with a control character', { requests: [get('1', { url: '/solutions/backup\u0000Restore' })] }, "The request '1' has a url with control characters."],
    ['a body without Content-Type', { requests: [get('1', { method: 'POST', body: { a: 1 } })] }, "The request '1' has a body but no Content-Type header; a request with a body must say its content type."],
    ['headers not an object', { requests: [get('1', { headers: ['Prefer: x'] })] }, "The request '1' has 'headers' that are not a JSON object of names and values."],
    ['a header name that is not a token', { requests: [get('1', { headers: { 'bad name': 'x' } })] }, 'The request \'1\' has a header name that is not valid: "bad name".'],
    ['a header value with a line break', { requests: [get('1', { headers: { Prefer: 'a\r\nX-Injected: 1' } })] }, "The request '1' has a value for the header 'Prefer' with characters a header cannot carry."],
    ['dependsOn an unknown id', { requests: [get('1', { dependsOn: ['2'] })] }, "The request '1' depends on '2', which is not a request of this batch."],
    ['dependsOn not a list', { requests: [get('1', { dependsOn: { id: '2' } })] }, "The request '1' has a 'dependsOn' that is not a list of request ids."],
    ['a cycle', { requests: [get('a', { dependsOn: ['b'] }), get('b', { dependsOn: ['c'] }), get('c', { dependsOn: ['a'] })] }, "The requests' dependsOn form a cycle ('a' → 'b' → 'c' → 'a'); a request can run only after the ones it depends on."],
    ['a self-dependency', { requests: [get('a', { dependsOn: ['A'] })] }, "The requests' dependsOn form a cycle ('a' → 'a'); a request can run only after the ones it depends on."]
  ]
  for (const [name, body, message] of cases) {
    const response = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { ...AUTH, 'content-type': 'application/json' }, payload: JSON.stringify(body) })
    t.equal(response.statusCode, 400, `${name}: 400`)
    t.strictSame(response.json(), expectedError(response, 'BadRequest', message), `${name}: the message`)
  }
  const notJson = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"requests": [' })
  t.equal(notJson.statusCode, 400)
  t.strictSame(notJson.json(), expectedError(notJson, 'BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'))
  const text = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { ...AUTH, 'content-type': 'text/plain' }, payload: 'x' })
  t.strictSame(text.json(), expectedError(text, 'BadRequest', "The batch body must be a JSON object with a 'requests' array."), 'a batch is JSON')
  const get405 = await app.inject({ method: 'GET', url: '/beta/$batch', headers: AUTH })
  t.equal(get405.statusCode, 405)
  t.equal(get405.headers.allow, 'POST, OPTIONS')
  t.strictSame(get405.json(), expectedError(get405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.'))
  const options = await app.inject({ method: 'OPTIONS', url: '/beta/$batch', headers: AUTH })
  t.equal(options.statusCode, 204)
  t.equal(options.headers.allow, 'POST, OPTIONS')
})

t.test('ids come back as sent; at most 20 items, each answered', async (t) => {
  const app = await build(t, { sessions })
  const ids = ['__proto__', 'constructor', 'x'.repeat(500), 'é 日本', 'hasOwnProperty', ...Array.from({ length: 15 }, (_, i) => `n${i}`)]
  const { statusCode, answers } = await batch(app, ids.map((id, i) => ({ id, method: 'GET', url: `${RELATIVE}/$count`, ...(i > 0 ? { dependsOn: [ids[i - 1]] } : {}) })))
  t.equal(statusCode, 200)
  t.strictSame(answers.map((a) => a.id), ids)
  t.ok(answers.every((a) => a.status === 200 && a.body === '3'), 'twenty items, a chain of dependencies, all answered')
  t.strictSame(Object.getOwnPropertyNames(Object.prototype).includes('status'), false, 'Object.prototype untouched')
})

t.test('permissions mode: the batch needs a valid token; each item is checked against its own operation', async (t) => {
  const { issueToken } = await import('../../src/auth/token.js')
  const app = await build(t, { authMode: 'permissions' })
  const reader = (await issueToken({ scopes: ['BackupRestore-Restore.Read.All'] }, [], Date.now())).token
  const requests = [
    { id: 'sessions', method: 'GET', url: '/solutions/backupRestore/restoreSessions/$count' },
    { id: 'policies', method: 'GET', url: '/solutions/backupRestore/protectionPolicies' }
  ]
  const response = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' }, payload: { requests } })
  t.equal(response.statusCode, 200)
  const answers = response.json<{ responses: Answer[] }>().responses
  t.strictSame(answers.map((a) => [a.id, a.status]), [['sessions', 200], ['policies', 403]], 'a restore reader counts sessions but cannot list policies')
  t.strictSame(scrub(answers[1]?.body), { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } })
  const expired = (await issueToken({ scopes: ['BackupRestore-Restore.Read.All'], expiresIn: -1 }, [], Date.now())).token
  const refused = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { authorization: `Bearer ${expired}`, 'content-type': 'application/json' }, payload: { requests } })
  t.strictSame([refused.statusCode, refused.json()], [401, expectedError(refused, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.')], 'the batch itself is refused')
})

t.test('each item is linked to its batch (batchOf, for the journal); the marker never reaches the routes', async (t) => {
  const { batchOf } = await import('../../src/protocol/batch.js')
  const app = await build(t, { sessions })
  const seen: Array<{ url: string, batch: string | undefined, headers: string[] }> = []
  app.addHook('preHandler', async (request) => { seen.push({ url: request.url, batch: batchOf(request), headers: Object.keys(request.headers) }) })
  const response = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { ...AUTH, 'content-type': 'application/json', 'x-graph-mock-batch-item': 'forged 1 https' }, payload: { requests: [{ id: '1', method: 'GET', url: `${RELATIVE}/$count` }] } })
  t.equal(response.statusCode, 200)
  t.strictSame(seen.map((s) => [s.url, s.batch]), [['/beta/$batch', undefined], [`${LIST}/$count`, response.headers['request-id']]], 'the item carries the batch\'s request id; the batch itself (a forged marker) none')
  t.ok(seen.every((s) => !s.headers.includes('x-graph-mock-batch-item')), 'no route sees the marker header')
})
