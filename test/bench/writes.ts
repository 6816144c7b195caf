// Scenario 6: a write's cost against the size of the set. POST an exchange restore session (with one
// mailbox artifact inline) and read it back, one pair at a time over a keep-alive connection, on a
// mock of a small set and on one of a large set, in alternating rounds (A B B A …), so that drift of
// a noisy machine falls on both. Each pair adds a session: the sizes at the start are reported.
// The read is a GET of the session (6a); or, to show what a write leaves a list to redo, the list's
// first page (6b, `$top=10`, store order) or its newest session (6c, `$orderby=createdDateTime
// desc&$top=1`, which must be the session just written).

import { median } from './load.js'
import { JSON_AUTH, expectJson, keepAlive, send } from './http.js'
import type { ServerChild } from './processes.js'

const LIST = '/beta/solutions/backupRestore/exchangeRestoreSessions'
const NEWEST = `${LIST}?$orderby=${encodeURIComponent('createdDateTime desc')}&$top=1&$select=id,createdDateTime`

const FIRST = `${LIST}?$top=10`

/** What each pair reads after its write: the session by id, the list's first page, or its newest session. */
export type WriteRead = 'entity' | 'first' | 'newest'

function readPath (read: WriteRead, id: string): string {
  if (read === 'entity') return `${LIST}/${id}`
  return read === 'first' ? FIRST : NEWEST
}

export interface WriteSide {
  /** Sessions in the set when the measured pairs started, and when they ended. */
  readonly sessionsAtStart: number
  readonly sessionsAtEnd: number
  readonly pairs: number
  /** Mean time of a POST + GET pair (all pairs of every round), and its parts. */
  readonly meanPairUs: number
  readonly medianPairUs: number
  readonly p99PairUs: number
  readonly meanPostUs: number
  readonly meanGetUs: number
}

export interface WriteResult {
  readonly read: WriteRead
  readonly small: WriteSide
  readonly large: WriteSide
  /** large ÷ small of the mean pair time (1: the set's size costs nothing). */
  readonly ratio: number
  readonly medianRatio: number
  /** The ratio of each round. */
  readonly roundRatios: readonly number[]
}

interface Timing {
  post: number[]
  get: number[]
}

/** `count` POST + GET pairs on one mock; the times of each part, in microseconds. */
async function pairs (mock: ServerChild, body: string, count: number, read: WriteRead, into: Timing): Promise<void> {
  const agent = keepAlive()
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now()
      const created = expectJson<{ id: string, createdDateTime: string }>(await send(agent, 'POST', `${mock.origin}${LIST}`, body, JSON_AUTH), 201, `POST ${LIST}`)
      const posted = performance.now()
      const answer = await send(agent, 'GET', `${mock.origin}${readPath(read, created.id)}`)
      const done = performance.now()
      if (answer.status !== 200) throw new Error(`GET ${readPath(read, created.id)}: HTTP ${answer.status}`)
      if (read === 'newest') {
        const [top] = expectJson<{ value: Array<{ id: string, createdDateTime: string }> }>(answer, 200, `GET ${NEWEST}`).value
        // Two sessions written in the same clock tick may come in either order; an older one on top is a stale list.
        if (top === undefined || (top.id !== created.id && top.createdDateTime < created.createdDateTime)) {
          throw new Error(`GET ${NEWEST} does not show the session just written (${created.id}, ${created.createdDateTime}): ${JSON.stringify(top)}`)
        }
      }
      into.post.push((posted - started) * 1000)
      into.get.push((done - posted) * 1000)
    }
  } finally {
    agent.destroy()
  }
}

function percentile (values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0
}

function side (timing: Timing, sessionsAtStart: number): WriteSide {
  const total = timing.post.map((post, i) => post + (timing.get[i] ?? 0))
  const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / Math.max(values.length, 1)
  return {
    sessionsAtStart,
    sessionsAtEnd: sessionsAtStart + total.length,
    pairs: total.length,
    meanPairUs: mean(total),
    medianPairUs: median(total),
    p99PairUs: percentile(total, 0.99),
    meanPostUs: mean(timing.post),
    meanGetUs: mean(timing.get)
  }
}

/**
 * `small` and `large` are mocks over tenants of `sizes.small` and `sizes.large` exchange sessions;
 * `restorePoint` is a mailbox restore point both hold. `warmup` pairs on each side first, then
 * `rounds` rounds of `perRound` pairs per side.
 */
export async function scenarioWrites (mocks: { small: ServerChild, large: ServerChild }, sizes: { small: number, large: number }, restorePoint: string, read: WriteRead, settings: { warmup: number, rounds: number, perRound: number }): Promise<WriteResult> {
  const body = JSON.stringify({ mailboxRestoreArtifacts: [{ restorePoint: { id: restorePoint }, destinationType: 'new' }] })
  const discard: Timing = { post: [], get: [] }
  await pairs(mocks.small, body, settings.warmup, read, discard)
  await pairs(mocks.large, body, settings.warmup, read, discard)
  const timings = { small: { post: [], get: [] } as Timing, large: { post: [], get: [] } as Timing }
  const roundRatios: number[] = []
  for (let round = 0; round < settings.rounds; round++) {
    const order: Array<'small' | 'large'> = round % 2 === 0 ? ['small', 'large'] : ['large', 'small']
    const means: Record<string, number> = {}
    for (const which of order) {
      const timing: Timing = { post: [], get: [] }
      await pairs(mocks[which], body, settings.perRound, read, timing)
      timings[which].post.push(...timing.post)
      timings[which].get.push(...timing.get)
      means[which] = timing.post.reduce((sum, value, i) => sum + value + (timing.get[i] ?? 0), 0) / settings.perRound
    }
    roundRatios.push((means['large'] ?? 0) / (means['small'] ?? 1))
  }
  const small = side(timings.small, sizes.small + settings.warmup)
  const large = side(timings.large, sizes.large + settings.warmup)
  return { read, small, large, ratio: large.meanPairUs / small.meanPairUs, medianRatio: large.medianPairUs / small.medianPairUs, roundRatios }
}
