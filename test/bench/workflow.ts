// Scenario 7: the restore workflow end to end, as a test suite runs it against a manual clock and as
// the README's worked example does: create a draft exchange session with one mailbox artifact, add
// nine more (one PATCH with `mailboxRestoreArtifacts@delta`), activate it, then advance the clock one
// RESTORE_STEP and GET the session until it has ended with its 10 artifacts.
// Several workflows run at once, one lane each, one request at a time; in alternating windows with
// the same mock's list throughput (autocannon, the list's first page), so the two figures sit side by
// side. Lanes that share one clock move each other's sessions on (a poll often finds its session
// several steps further); lanes in namespaces of their own (`/_ns/{name}`, a clock each) take every step.

import { measure, median, type LoadSettings } from './load.js'
import { AUTH, JSON_AUTH, expectJson, keepAlive, send } from './http.js'
import type { ServerChild } from './processes.js'

const BASE = '/beta/solutions/backupRestore'
const LIST = `${BASE}/exchangeRestoreSessions`
const ENDED = new Set(['completed', 'completedWithError', 'failed'])
/** More polls than the workflow's steps (activating → active → … → completed): a session stuck is an error. */
const MAX_POLLS = 20

/** How the clock moves: POST /__admin/clock/advance when the mock has it, else `app.clock.advance` in the mock's process. */
export type Advance = (ms: number) => Promise<void>

/** Where one worker runs its workflows: a path prefix before the version root ('' or `/_ns/{name}`), and its clock. */
export interface Lane {
  readonly prefix: string
  readonly advance: Advance
}

export interface WorkflowWindow {
  readonly workflows: number
  readonly requests: number
  readonly seconds: number
}

export interface WorkflowResult {
  readonly workers: number
  readonly artifacts: number
  /** How the clock was moved. */
  readonly clock: string
  readonly stepMs: number
  readonly workflowsPerSecond: number
  /** Graph requests per second during the workflow windows (clock advances not counted). */
  readonly requestsPerSecond: number
  /** Requests of one workflow, on average (create, PATCH, activate, polls), and the polls alone. */
  readonly requestsPerWorkflow: number
  readonly pollsPerWorkflow: number
  /** The median time of one whole workflow. */
  readonly medianWorkflowMs: number
  /** The session's statuses in the order the polls saw them, once (the first workflow). */
  readonly statusesSeen: readonly string[]
  readonly listRequestsPerSecond: number
  readonly listP99Ms: number
  readonly windows: readonly WorkflowWindow[]
}

interface Counter {
  workflows: number
  requests: number
  polls: number
  times: number[]
  statuses: string[] | undefined
}

async function oneWorkflow (origin: string, agent: ReturnType<typeof keepAlive>, points: readonly string[], lane: Lane, stepMs: number, counter: Counter): Promise<void> {
  const started = performance.now()
  const root = `${origin}${lane.prefix}`
  const [first, ...rest] = points.map((id) => ({ restorePoint: { id }, destinationType: 'new' }))
  const session = expectJson<{ id: string, status: string }>(await send(agent, 'POST', `${root}${LIST}`, { mailboxRestoreArtifacts: [first] }, JSON_AUTH), 201, `POST ${lane.prefix}${LIST}`)
  const delta = rest
  expectJson(await send(agent, 'PATCH', `${root}${LIST}/${session.id}`, { 'mailboxRestoreArtifacts@delta': delta }, JSON_AUTH), 200, `PATCH ${lane.prefix}${LIST}/{id}`)
  const activated = expectJson<{ status: string }>(await send(agent, 'POST', `${root}${BASE}/restoreSessions/${session.id}/activate`), 200, `POST ${lane.prefix}${BASE}/restoreSessions/{id}/activate`)
  const seen = [session.status, activated.status]
  let requests = 3
  let polls = 0
  for (;;) {
    if (polls === MAX_POLLS) throw new Error(`session ${session.id} did not end after ${MAX_POLLS} clock steps: ${seen.join(' → ')}`)
    await lane.advance(stepMs)
    const now = expectJson<{ status: string, restoreSessionArtifactCount: { total: number, completed: number, failed: number } }>(await send(agent, 'GET', `${root}${LIST}/${session.id}`, undefined, AUTH), 200, `GET ${lane.prefix}${LIST}/{id}`)
    requests++
    polls++
    if (seen.at(-1) !== now.status) seen.push(now.status)
    if (ENDED.has(now.status)) {
      const counts = now.restoreSessionArtifactCount
      if (counts.total !== points.length || counts.completed + counts.failed !== points.length) throw new Error(`session ${session.id} ended ${now.status} with counts ${JSON.stringify(counts)}`)
      break
    }
  }
  counter.workflows++
  counter.requests += requests
  counter.polls += polls
  counter.times.push(performance.now() - started)
  counter.statuses ??= seen
}

/** A workflow at a time in each lane, for `seconds`: every workflow started in the window is finished and counted. */
async function workflowWindow (mock: ServerChild, points: readonly string[], lanes: readonly Lane[], stepMs: number, seconds: number, counter: Counter): Promise<WorkflowWindow> {
  const agent = keepAlive(lanes.length)
  const before = { workflows: counter.workflows, requests: counter.requests }
  const started = performance.now()
  const deadline = started + seconds * 1000
  try {
    await Promise.all(lanes.map(async (lane) => {
      while (performance.now() < deadline) await oneWorkflow(mock.origin, agent, points, lane, stepMs, counter)
    }))
  } finally {
    agent.destroy()
  }
  return { workflows: counter.workflows - before.workflows, requests: counter.requests - before.requests, seconds: (performance.now() - started) / 1000 }
}

/**
 * `mock` runs a manual clock whose RESTORE_STEP is `stepMs`; `points` are restore points of
 * different mailboxes (one artifact each). Rounds alternate a workflow window and a list window.
 */
export async function scenarioWorkflow (mock: ServerChild, points: readonly string[], lanes: { how: string, lanes: readonly Lane[] }, stepMs: number, load: LoadSettings): Promise<WorkflowResult> {
  const counter: Counter = { workflows: 0, requests: 0, polls: 0, times: [], statuses: undefined }
  const list = { url: `${mock.origin}${LIST}?$top=10`, headers: AUTH }
  await workflowWindow(mock, points, lanes.lanes, stepMs, load.warmup, counter)
  await measure(list, load, load.warmup)
  const measured: Counter = { workflows: 0, requests: 0, polls: 0, times: [], statuses: counter.statuses }
  const windows: WorkflowWindow[] = []
  const listTotals = { requests: 0, seconds: 0, p99: [] as number[] }
  for (let round = 0; round < load.rounds; round++) {
    const runList = async (): Promise<void> => {
      const figures = await measure(list, load, load.window)
      listTotals.requests += figures.requests
      listTotals.seconds += figures.seconds
      listTotals.p99.push(figures.p99)
    }
    if (round % 2 === 1) await runList()
    windows.push(await workflowWindow(mock, points, lanes.lanes, stepMs, load.window, measured))
    if (round % 2 === 0) await runList()
  }
  const seconds = windows.reduce((sum, w) => sum + w.seconds, 0)
  return {
    workers: lanes.lanes.length,
    artifacts: points.length,
    clock: lanes.how,
    stepMs,
    workflowsPerSecond: measured.workflows / seconds,
    requestsPerSecond: measured.requests / seconds,
    requestsPerWorkflow: measured.requests / Math.max(measured.workflows, 1),
    pollsPerWorkflow: measured.polls / Math.max(measured.workflows, 1),
    medianWorkflowMs: median(measured.times),
    statusesSeen: measured.statuses ?? [],
    listRequestsPerSecond: listTotals.requests / listTotals.seconds,
    listP99Ms: median(listTotals.p99),
    windows
  }
}
