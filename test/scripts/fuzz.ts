// The long fuzz run: the properties of test/hardening/fuzz.test.ts with a random seed (printed, so a
// failure can be replayed) and as many runs as asked.
//   node --import tsx test/scripts/fuzz.ts [--runs N] [--seed S]
// Exit code 0: every run held; 1: a counterexample was found (printed, shrunk); 2: bad usage.

import { parseArgs } from 'node:util'
import fc from 'fast-check'
import { buildApp } from '../../src/app.js'
import { hostileRequest, LIST_PATH } from '../hardening/arbitraries.js'
import { answerProblems } from '../hardening/graph-error-shape.js'
import { BATCH_PATH, hostileBatchBody } from '../hardening/batch-arbitraries.js'
import { batchAnswerProblems } from '../hardening/batch-answer-shape.js'

function options (): { runs: number, seed: number } {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20000' }, seed: { type: 'string' } } })
  const runs = Number(values.runs)
  const seed = values.seed === undefined ? Math.floor(Math.random() * 0x7fffffff) : Number(values.seed)
  if (!Number.isSafeInteger(runs) || runs < 1 || !Number.isSafeInteger(seed)) {
    process.stderr.write('usage: test/scripts/fuzz.ts [--runs N] [--seed S]\n')
    process.exit(2)
  }
  return { runs, seed }
}

async function main (): Promise<void> {
  const { runs, seed } = options()
  process.stdout.write(`fuzz: ${runs} runs, seed ${seed} (replay with --seed ${seed})\n`)
  const app = await buildApp({})
  const fixturesBefore = JSON.stringify(app.fixtureStore.root.collections.get('exchangeRestoreSessions')?.rows)
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort().join()
  const statuses = new Map<number, number>()
  const started = performance.now()
  const details = await fc.check(fc.asyncProperty(hostileRequest, async (request) => {
    const response = await app.inject(request.payload === undefined
      ? { method: request.method, url: request.url, headers: request.headers }
      : { method: request.method, url: request.url, headers: request.headers, payload: request.payload })
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
    const problems = answerProblems({ method: request.method, statusCode: response.statusCode, headers: response.headers, body: response.body })
    const normal = await app.inject({ method: 'GET', url: `${LIST_PATH}?$top=2`, headers: { authorization: 'Bearer fuzz' } })
    if (normal.statusCode !== 200) problems.push(`the normal request after it answered ${normal.statusCode}`)
    if (problems.length > 0) throw new Error(`${request.method} ${request.url.slice(0, 300)} → ${response.statusCode}: ${problems.join('; ')}`)
  }), { seed, numRuns: runs })
  const seconds = (performance.now() - started) / 1000
  const unchanged = JSON.stringify(app.fixtureStore.root.collections.get('exchangeRestoreSessions')?.rows) === fixturesBefore &&
    Object.getOwnPropertyNames(Object.prototype).sort().join() === prototypeBefore
  await app.close()
  const histogram = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')
  process.stdout.write(`${details.numRuns} runs in ${seconds.toFixed(1)} s (${Math.round(details.numRuns / seconds)}/s); statuses ${histogram}\n`)
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
    process.stdout.write(`FAILED after ${details.numRuns} runs, seed ${seed}, path ${details.counterexamplePath ?? ''}\n${cause}\n${JSON.stringify(details.counterexample)}\n`)
    process.exit(1)
  }
  if (!unchanged) {
    process.stdout.write('FAILED: the fixtures or Object.prototype changed\n')
    process.exit(1)
  }
  process.stdout.write('ok: no 5xx, every error in Graph\'s shape, fixtures and prototypes unchanged\n')
  await batches(Math.max(1, Math.floor(runs / 10)), seed)
}

/** The $batch property of test/hardening/batch-hardening.test.ts, a tenth as many runs (a batch is up to 22 requests). */
async function batches (runs: number, seed: number): Promise<void> {
  process.stdout.write(`fuzz $batch: ${runs} runs, seed ${seed}\n`)
  const app = await buildApp({})
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort().join()
  const started = performance.now()
  let slowest = 0
  const details = await fc.check(fc.asyncProperty(hostileBatchBody, async (payload) => {
    const begun = performance.now()
    const response = await app.inject({ method: 'POST', url: BATCH_PATH, headers: { authorization: 'Bearer fuzz', 'content-type': 'application/json' }, payload })
    slowest = Math.max(slowest, performance.now() - begun)
    const problems = batchAnswerProblems(response.statusCode, response.headers, response.body, payload)
    if (problems.length > 0) throw new Error(`${payload.slice(0, 300)} → ${response.statusCode}: ${problems.join('; ')}`)
  }), { seed, numRuns: runs })
  const unchanged = Object.getOwnPropertyNames(Object.prototype).sort().join() === prototypeBefore
  await app.close()
  process.stdout.write(`${details.numRuns} batches in ${((performance.now() - started) / 1000).toFixed(1)} s; the slowest ${Math.round(slowest)} ms\n`)
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
    process.stdout.write(`FAILED after ${details.numRuns} batches, seed ${seed}, path ${details.counterexamplePath ?? ''}\n${cause}\n`)
    process.exit(1)
  }
  if (!unchanged) {
    process.stdout.write('FAILED: Object.prototype changed\n')
    process.exit(1)
  }
  process.stdout.write('ok: every batch answered 200 with one answer per item, or a 4xx in Graph\'s shape\n')
}

await main()
