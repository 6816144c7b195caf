// The contract checker catches drift: a table of bodies that keep to the published contract and of
// bodies that break it, then a served response that drifts, caught through `build()`'s inject.

import type { Test } from 'tap'
import t from 'tap'
import type { ExchangeRestoreSession } from '../../schemas/index.js'
import { storeFromRecords } from '../../src/store/index.js'
import { AUTH, build, CONTEXT, LIST, ODATA_JSON, session } from '../helper.js'
import { checkResponse, SCHEMAS, type CheckedResponse } from './response-contract.js'

const ID = '5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31'
const TYPE = '#microsoft.graph.exchangeRestoreSession'
const item = { '@odata.type': TYPE, ...session(ID) }
const innerError = { date: '2026-11-28T10:17:05', 'request-id': ID, 'client-request-id': ID }

function response (url: string, body: unknown, overrides: Partial<CheckedResponse> = {}): CheckedResponse {
  return {
    method: 'GET',
    url,
    statusCode: 200,
    contentType: ODATA_JSON,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...overrides
  }
}

const entity = (changes: Record<string, unknown>): CheckedResponse => response(`${LIST}/${ID}`, { '@odata.context': `${CONTEXT}/$entity`, ...item, ...changes })
const page = (changes: Record<string, unknown>): CheckedResponse => response(LIST, { '@odata.context': CONTEXT, value: [item], ...changes })
const error = (body: unknown, overrides: Partial<CheckedResponse> = {}): CheckedResponse => response(LIST, body, { statusCode: 400, ...overrides })

t.test('responses that keep to the contract pass', async (t) => {
  const cases: Array<[string, CheckedResponse, string]> = [
    ['a page with count and nextLink', page({ '@odata.count': 7, '@odata.nextLink': `https://127.0.0.1:1${LIST}?$skiptoken=1` }), SCHEMAS.collection],
    ['an empty page', page({ value: [] }), SCHEMAS.collection],
    ['a $select page', page({ value: [{ '@odata.type': TYPE, id: ID, status: 'active' }] }), SCHEMAS.collection],
    ['an entity', entity({}), SCHEMAS.entity],
    ['an entity by key in parentheses', { ...entity({}), url: `${LIST}('${ID}')` }, SCHEMAS.entity],
    ['a $ref\'d property may be null', entity({ createdBy: null, restoreSessionArtifactCount: null, status: null }), SCHEMAS.entity],
    ['an identity set with one member', entity({ createdBy: { user: { id: null, displayName: 'Megan' } } }), SCHEMAS.entity],
    ['a session error', entity({ error: { code: 'X', message: 'Y', target: null, details: [{ code: 'A', message: null, target: null }], innerError: null } }), SCHEMAS.entity],
    ['other OData annotations', entity({ '@odata.etag': 'W/"1"', 'status@odata.type': '#microsoft.graph.restoreSessionStatus' }), SCHEMAS.entity],
    ['a count', response(`${LIST}/$count`, '12', { contentType: 'text/plain;charset=utf-8' }), SCHEMAS.count],
    ['a count, escaped', response(`${LIST}/%24count?$filter=x`, '0', { contentType: 'text/plain' }), SCHEMAS.count],
    ['a Graph error', error({ error: { code: 'BadRequest', message: 'm', innerError } }), SCHEMAS.error],
    ['a JSON error outside the Graph roots', error({ error: { code: 'BadRequest', message: 'Invalid version: v2' } }, { url: '/v2' }), SCHEMAS.error]
  ]
  for (const [name, candidate, schema] of cases) t.strictSame(checkResponse(candidate), { schema, errors: [] }, name)
})

t.test('drift from the contract is caught, naming the property', async (t) => {
  const cases: Array<[string, CheckedResponse, RegExp]> = [
    ['a property the contract lacks', entity({ policyId: 'p1' }), /must NOT have additional properties 'policyId'/],
    ['a timestamp in another format', entity({ createdDateTime: '2025-03-01 10:00' }), /\/createdDateTime must match pattern/],
    ['an enum member the contract lacks', entity({ status: 'paused' }), /\/status must be equal to one of the allowed values/],
    ['a fraction in an Int32', entity({ restoreSessionArtifactCount: { total: 1.5 } }), /\/restoreSessionArtifactCount\/total must be integer/],
    ['an Int32 out of range', entity({ restoreSessionArtifactCount: { total: 2 ** 31 } }), /\/restoreSessionArtifactCount\/total must be <= 2147483647/],
    ['an unknown key in an identity', entity({ createdBy: { user: { id: 'a', upn: 'x' } } }), /\/createdBy\/user must NOT have additional properties 'upn'/],
    ['a null id', entity({ id: null }), /\/id must be string/],
    ['a nullable string sent as a number', entity({ completedDateTime: 0 }), /\/completedDateTime must be string,null/],
    ['a mistyped annotation', entity({ '@odata.type': 7 }), /\/@odata\.type must be string/],
    ['a page without value', page({ value: undefined }), /\(body\) must have required property 'value'/],
    ['a page with an object for value', page({ value: {} }), /\/value must be array/],
    ['a negative count', page({ '@odata.count': -1 }), /\/@odata\.count must be >= 0/],
    ['a nextLink that is not a string', page({ '@odata.nextLink': 5 }), /\/@odata\.nextLink must be string,null/],
    ['a drifting item in a page', page({ value: [item, { ...item, restoreJobType: 'fast' }] }), /\/value\/1\/restoreJobType must be equal to one of the allowed values/],
    ['a JSON body without the JSON media type', { ...entity({}), contentType: 'text/plain' }, /Content-Type must be application\/json/],
    ['a body that is not JSON', response(LIST, '{"value":'), /the body is not JSON/],
    ['a count that is not a number', response(`${LIST}/$count`, '12.0', { contentType: 'text/plain' }), /must be an Int32 count/],
    ['a count as JSON', response(`${LIST}/$count`, '12'), /Content-Type must be text\/plain/],
    ['an error without a message', error({ error: { code: 'BadRequest' } }), /\/error must have required property 'message'/],
    ['an error with a stray key', error({ error: { code: 'BadRequest', message: 'm', stack: 'at x' } }), /\/error must NOT have additional properties 'stack'/],
    ['an error body that is not an ODataError', error({ code: 'BadRequest', message: 'm' }), /\(body\) must have required property 'error'/],
    ['a Graph error that is not JSON', error('Bad Request', { contentType: 'text/plain' }), /Content-Type must be application\/json/],
    ['a 2xx at a path the contract lacks', response('/beta/solutions/backupRestore/oneDriveRestoreSessions', { value: [] }), /the contract has no 200 answer to GET/]
  ]
  for (const [name, candidate, expected] of cases) {
    const verdict = checkResponse(candidate)
    t.ok(verdict !== undefined && verdict.errors.length > 0, `${name}: caught`)
    t.match(verdict?.errors.join('; '), expected, name)
  }
})

t.test('the contract says nothing about the open routes and HEAD', async (t) => {
  t.equal(checkResponse(response('/healthz', { status: 'ok' })), undefined, '/healthz')
  t.equal(checkResponse(response('/openapi.json', { openapi: '3.0.3' })), undefined, '/openapi.json')
  t.equal(checkResponse(response('/docs/nope', 'Not Found', { statusCode: 404, contentType: 'text/plain' })), undefined, 'a non-JSON error outside the Graph roots')
  t.equal(checkResponse(response(LIST, '', { method: 'HEAD' })), undefined, 'HEAD has no body')
})

/** Stands in for tap's `t` in build(): records failures instead of failing. */
function recordingTest (): { test: Test, failures: string[], close: () => Promise<void> } {
  const failures: string[] = []
  const teardowns: Array<() => unknown> = []
  const fake = {
    teardown: (fn: () => unknown) => { teardowns.push(fn) },
    fail: (message: string) => { failures.push(message); return false }
  }
  const close = async (): Promise<void> => { for (const fn of teardowns) await fn() }
  return { test: fake as unknown as Test, failures, close }
}

t.test('build(): a served body that drifts fails the test that injected it', async (t) => {
  const good = session(ID)
  const drifted = { ...good, policyId: 'policy-1', restoreSessionArtifactCount: { total: 4, completed: 'one' } } as unknown as ExchangeRestoreSession
  // A row that bypassed the store's validation, as a bug in the mock would serve it.
  const store = storeFromRecords([good])
  const sessions = store.root.stored.get('exchangeRestoreSessions')
  const stored = sessions?.byId(ID)
  if (sessions === undefined || stored === undefined) throw new Error('the session was not loaded')
  sessions.replace({ ...stored, row: Object.freeze({ ...drifted }) })
  const recording = recordingTest()
  t.teardown(recording.close)
  const app = await build(recording.test, { store })

  const list = await app.inject({ method: 'GET', url: LIST, headers: AUTH })
  t.equal(list.statusCode, 200, 'the mock served it')
  t.equal(recording.failures.length, 1, 'one failure for the page')
  t.match(recording.failures[0], /^GET \/beta\/solutions\/backupRestore\/exchangeRestoreSessions → 200 breaks the contract \(microsoft\.graph\.exchangeRestoreSessionCollectionResponse\): /)
  t.match(recording.failures[0], /\/value\/0 must NOT have additional properties 'policyId'/)
  t.match(recording.failures[0], /\/value\/0\/restoreSessionArtifactCount\/completed must be integer,null/)

  await app.inject({ method: 'GET', url: `${LIST}/${ID}?$select=id,status`, headers: AUTH })
  t.equal(recording.failures.length, 1, 'a $select that leaves the drift out passes')
  await app.inject({ method: 'GET', url: `${LIST}/${ID}`, headers: AUTH })
  t.equal(recording.failures.length, 2, 'the entity drifts too')
  t.match(recording.failures[1], /\(microsoft\.graph\.exchangeRestoreSession\): .*'policyId'/)
  await app.inject({ method: 'GET', url: `${LIST}/$count`, headers: AUTH })
  await app.inject({ method: 'GET', url: LIST })
  t.equal(recording.failures.length, 2, 'the count and the 401 keep to the contract')
})
