// Property: whatever a client sends (random query strings, paths, methods, headers and bodies), the
// mock answers without a 5xx, every error is Graph's body, it still answers a normal request right
// after, and nothing it serves from changes (Object.prototype never, the tenant not through reads). A fixed seed keeps
// `npm test` reproducible; `npm run fuzz` (test/scripts/fuzz.ts) runs the same properties longer.

import fc from 'fast-check'
import t from 'tap'
import type { InjectOptions } from 'fastify'
import { AUTH, build, LIST } from '../helper.js'
import { hostileRequest, queryString, type HostileRequest } from './arbitraries.js'
import { answerProblems } from './graph-error-shape.js'
import { tenantSnapshot } from './tenant-snapshot.js'

/** fast-check's report, with the failing run's own message (kept in `cause`). */
function failure (error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `\n${error.cause.message}` : ''
  return `${String(error)}${cause}`
}

const SEED = 42

function injectOptions (request: HostileRequest): InjectOptions {
  return request.payload === undefined
    ? { method: request.method, url: request.url, headers: request.headers }
    : { method: request.method, url: request.url, headers: request.headers, payload: request.payload }
}

t.test('any request: no 5xx, errors in Graph\'s shape, and a normal request still works after it', async (t) => {
  const app = await build(t)
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort()
  let failures = 0
  await fc.assert(fc.asyncProperty(hostileRequest, async (request) => {
    const response = await app.inject(injectOptions(request))
    const problems = answerProblems({ method: request.method, statusCode: response.statusCode, headers: response.headers, body: response.body })
    const normal = await app.inject({ method: 'GET', url: `${LIST}?$top=2`, headers: AUTH })
    if (normal.statusCode !== 200) problems.push(`the normal request after it answered ${normal.statusCode}`)
    if (problems.length > 0) {
      failures++
      throw new Error(`${request.method} ${request.url.slice(0, 200)} → ${response.statusCode}: ${problems.join('; ')}`)
    }
  }), { seed: SEED, numRuns: 15000 }).catch((error: unknown) => { t.fail(failure(error)) })
  t.equal(failures, 0, 'every answer was well-formed')
  t.strictSame(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeBefore, 'Object.prototype has no new keys')
})

// Writes change the tenant by design (a POST of '{}' creates a draft session); reads never do.
t.test('any read (GET, HEAD, OPTIONS) leaves the tenant as it was', async (t) => {
  const app = await build(t)
  const before = tenantSnapshot(app.fixtureStore)
  const reads = hostileRequest.filter((request) => request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS')
  await fc.assert(fc.asyncProperty(reads, async (request) => {
    const response = await app.inject(injectOptions(request))
    if (response.statusCode >= 500) throw new Error(`${request.method} ${request.url.slice(0, 200)} → ${response.statusCode}`)
  }), { seed: SEED, numRuns: 3000 }).then(() => { t.pass('3000 reads') }, (error: unknown) => { t.fail(failure(error)) })
  t.strictSame(tenantSnapshot(app.fixtureStore), before, 'the tenant is unchanged')
})

t.test('any query string on the list: 200 or a 400 in Graph\'s shape, never anything else', async (t) => {
  const app = await build(t)
  await fc.assert(fc.asyncProperty(queryString, async (query) => {
    const response = await app.inject({ method: 'GET', url: `${LIST}?${query}`, headers: AUTH })
    const problems = answerProblems({ method: 'GET', statusCode: response.statusCode, headers: response.headers, body: response.body })
    if (response.statusCode !== 200 && response.statusCode !== 400) problems.push(`status ${response.statusCode}`)
    if (problems.length > 0) throw new Error(`?${query.slice(0, 200)} → ${response.statusCode}: ${problems.join('; ')}`)
  }), { seed: SEED, numRuns: 15000 }).then(() => { t.pass('15000 query strings') }, (error: unknown) => { t.fail(failure(error)) })
})
