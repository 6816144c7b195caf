// $batch under hostile input: whatever the body (nested, huge, deep, hostile ids, prototype keys),
// the answer is a 200 with one well-formed answer per item in request order, or Graph's 4xx; never
// a 5xx, never a hang; Object.prototype gets no new keys; a normal request works right after.

import fc from 'fast-check'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { AUTH, LIST } from '../helper.js'
import { BATCH_PATH, hostileBatchBody } from './batch-arbitraries.js'
import { batchAnswerProblems } from './batch-answer-shape.js'

const SEED = 42
// Several hundred batches of up to 22 items each: more than tap's default 30 s.
t.setTimeout(240000)

t.test('any batch body: 200 with one answer per item, or Graph\'s 4xx; never a 5xx or a hang', async (t) => {
  const app = await buildApp({})
  t.teardown(async () => { await app.close() })
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort()
  let slowest = 0
  await fc.assert(fc.asyncProperty(hostileBatchBody, async (payload) => {
    const started = performance.now()
    const response = await app.inject({ method: 'POST', url: BATCH_PATH, headers: { ...AUTH, 'content-type': 'application/json' }, payload })
    slowest = Math.max(slowest, performance.now() - started)
    const problems = batchAnswerProblems(response.statusCode, response.headers, response.body, payload)
    const normal = await app.inject({ method: 'GET', url: `${LIST}?$top=2`, headers: AUTH })
    if (normal.statusCode !== 200) problems.push(`the normal request after it answered ${normal.statusCode}`)
    if (problems.length > 0) throw new Error(`${payload.slice(0, 300)} → ${response.statusCode}: ${problems.join('; ')}`)
  }), { seed: SEED, numRuns: 400 }).catch((error: unknown) => { t.fail(String(error instanceof Error && error.cause instanceof Error ? `${String(error)}\n${error.cause.message}` : error)) })
  t.ok(slowest < 10000, `the slowest batch answered in ${Math.round(slowest)} ms`)
  t.strictSame(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeBefore, 'Object.prototype has no new keys')
})

t.test('hostile batches, one by one', async (t) => {
  const app = await buildApp({})
  t.teardown(async () => { await app.close() })
  const post = async (payload: string, headers: Record<string, string> = {}) => await app.inject({ method: 'POST', url: BATCH_PATH, headers: { ...AUTH, 'content-type': 'application/json', ...headers }, payload })
  const get = (id: string, extra: object = {}): object => ({ id, method: 'GET', url: '/solutions/backupRestore/exchangeRestoreSessions/$count', ...extra })

  const deepOuter = await post(`${'['.repeat(300000)}${']'.repeat(300000)}`)
  t.equal(deepOuter.statusCode, 400, 'a body nested 300000 deep')
  const deepItem = await post(`{"requests":[{"id":"1","method":"POST","url":"/solutions","headers":{"Content-Type":"application/json"},"body":${'{"a":'.repeat(100000)}1${'}'.repeat(100000)}}]}`)
  t.equal(deepItem.statusCode, 400, 'an item body nested 100000 deep')
  t.match(deepItem.json(), { error: { code: 'BadRequest', message: "The request '1' has a body nested deeper than 512 levels." } })

  const prototypeId = await post(JSON.stringify({ requests: [get('__proto__'), get('constructor', { dependsOn: ['__proto__'] }), get('toString', { dependsOn: ['constructor'] })] }))
  t.equal(prototypeId.statusCode, 200)
  t.strictSame(prototypeId.json<{ responses: Array<{ id: string, status: number }> }>().responses.map((r) => [r.id, r.status]), [['__proto__', 200], ['constructor', 200], ['toString', 200]], 'prototype keys are ids like any other')

  const protoBody = await post('{"requests":[{"id":"1","method":"GET","url":"/solutions","__proto__":{"polluted":true}}]}')
  t.equal(protoBody.statusCode, 400, 'a __proto__ key in the body is refused')
  t.equal(({} as Record<string, unknown>)['polluted'], undefined)

  const huge = await post(JSON.stringify({ requests: Array.from({ length: 20 }, (_, i) => get(String(i), { url: `/solutions/backupRestore/exchangeRestoreSessions?$filter=${encodeURIComponent("status eq 'active' or ".repeat(150))}status eq 'x'` })) }))
  t.equal(huge.statusCode, 200, 'twenty heavy $filter items')
  t.ok(huge.json<{ responses: Array<{ status: number }> }>().responses.every((r) => r.status === 200 || r.status === 400))

  const manyDependencies = await post(JSON.stringify({ requests: [get('1'), get('2', { dependsOn: Array.from({ length: 50000 }, () => '1') })] }))
  t.equal(manyDependencies.statusCode, 200, 'a dependsOn of 50000 entries naming one request')
  t.strictSame(manyDependencies.json<{ responses: Array<{ status: number }> }>().responses.map((r) => r.status), [200, 200])

  const manyHeaders = await post(JSON.stringify({ requests: [get('1', { headers: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`x-h${i}`, 'v'])) })] }))
  t.equal(manyHeaders.statusCode, 200)
  t.equal(manyHeaders.json<{ responses: Array<{ status: number }> }>().responses[0]?.status, 431, 'an item with too many headers gets the 431 a request of its own would')

  const forged = await post(JSON.stringify({ requests: [get('1', { headers: { 'X-Graph-Mock-Batch-Item': 'guess 1 https' } })] }), { 'x-graph-mock-batch-item': 'guess 1 https' })
  t.equal(forged.statusCode, 200, 'a forged item marker is only a header')
  t.equal(forged.json<{ responses: Array<{ status: number }> }>().responses[0]?.status, 200)

  for (const nested of ['$batch', '%24batch', '$BATCH', '/./$batch', 'x/../$batch', '$batch/']) {
    const response = await post(JSON.stringify({ requests: [{ id: '1', method: 'POST', url: nested, headers: { 'Content-Type': 'application/json' }, body: { requests: [get('2')] } }] }))
    t.equal(response.statusCode, 400, `nested as ${nested}: 400`)
  }

  const big = await post(JSON.stringify({ requests: [get('1', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x'.repeat(1_100_000) })] }))
  t.equal(big.statusCode, 413, 'a batch over the body limit')
})
