// What the client tests serve and expect: a small set of sessions (several pages at PAGE_SIZE), the
// tokens, and the answers computed from the sessions themselves. Also runs a client's scenarios in a
// child process, for HTTPS: Node's fetch reads NODE_EXTRA_CA_CERTS only when a process starts.

import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { ExchangeRestoreSession } from '../../schemas/index.js'

export const SESSIONS_PATH = '/solutions/backupRestore/exchangeRestoreSessions'
/** The mock's page size: small, so every filtered set spans several pages. */
export const PAGE_SIZE = 3
/** The `$top` of the first listing: its pages are this long. */
export const TOP = 5
/** The only token the mock accepts in these tests (`verifyToken`). */
export const GOOD_TOKEN = 'good-token'
export const REJECTED_TOKEN = 'expired-token'
export const verifyToken = (token: string): boolean => token === GOOD_TOKEN
/** A GUID no session has. */
export const MISSING_ID = '00000000-0000-4000-8000-00000000ffff'

const STATUSES = ['active', 'completed', 'failed', 'draft', 'completedWithError', 'activating'] as const
const JOB_TYPES = ['standard', 'bulk', 'granular'] as const
const NAMES = ['Megan Bowen', 'Alex Wilber', 'Lidia Holloway', 'Nestor Wilke', 'Patti Fernandez']

function guid (n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`
}

/** 23 sessions; createdDateTime is distinct for each and not in id order. */
export const sessions: ExchangeRestoreSession[] = Array.from({ length: 23 }, (_, i) => {
  const day = ((i * 7) % 23) + 1
  const created = `2025-03-${String(day).padStart(2, '0')}T10:${String(i).padStart(2, '0')}:00.1234567Z`
  const status = STATUSES[i % STATUSES.length] ?? 'active'
  const finished = status === 'completed' || status === 'completedWithError' || status === 'failed'
  const byApp = i % 5 === 4
  const creator = byApp
    ? { application: { id: guid(900 + i), displayName: 'Backup Automation' }, device: null, user: null }
    : { application: null, device: null, user: { id: guid(500 + i), displayName: NAMES[i % NAMES.length] ?? 'Megan Bowen' } }
  return {
    id: guid(i + 1),
    status,
    restoreJobType: JOB_TYPES[i % JOB_TYPES.length] ?? 'standard',
    restoreSessionArtifactCount: { total: i + 2, completed: finished ? i + 1 : 0, inProgress: finished ? 0 : i + 2, failed: finished ? 1 : 0 },
    createdDateTime: created,
    createdBy: creator,
    completedDateTime: finished ? created.replace('T10:', 'T18:') : null,
    lastModifiedDateTime: created.replace('T10:', 'T12:'),
    lastModifiedBy: creator,
    error: status === 'failed' ? { code: 'RestoreFailed', message: `Restore of session ${i} failed.`, target: null, details: [], innerError: null } : null
  }
})

/** What Graph shows for an evolvable member without `Prefer: include-unknown-enum-members`. */
export function shownStatus (status: string | null | undefined): string | null {
  return status === 'failed' ? 'unknownFutureValue' : status ?? null
}

export function shownJobType (type: string | null | undefined): string | null {
  return type === 'granular' ? 'unknownFutureValue' : type ?? null
}

/** The filtered set the scenarios page through: active or completed, newest first. */
export const LISTED_FILTER = "status eq 'active' or status eq 'completed'"
export const listed = sessions
  .filter((s) => s.status === 'active' || s.status === 'completed')
  .sort((a, b) => String(b.createdDateTime).localeCompare(String(a.createdDateTime)))
export const failedIds = sessions.filter((s) => s.status === 'failed').map((s) => s.id)

/** The session the single-entity scenarios read: failed (so it has an error), created by a user. */
export const failedSession: ExchangeRestoreSession = (() => {
  const found = sessions.find((s) => s.status === 'failed' && s.createdBy?.user != null)
  if (found === undefined) throw new Error('the test data has no failed session created by a user')
  return found
})()

/** The creator's display name, the way both clients read it. */
export function creatorName (s: ExchangeRestoreSession): string | null {
  return s.createdBy?.user?.displayName ?? s.createdBy?.application?.displayName ?? null
}

const runner = fileURLToPath(new URL('./scripts/run-scenarios.ts', import.meta.url))

/**
 * Runs `test/clients/scripts/run-scenarios.ts <client>` against `url` in a child process that trusts
 * `certFile` (NODE_EXTRA_CA_CERTS), and returns what it printed, parsed.
 */
export async function runInChild (client: 'graph-client' | 'kiota', url: string, certFile: string): Promise<unknown> {
  // Without tap's NODE_OPTIONS (coverage hooks): the child is a plain client process.
  const env = { ...process.env }
  delete env['NODE_OPTIONS']
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', runner, client], {
      env: { ...env, GRAPH_MOCK_URL: url, NODE_EXTRA_CA_CERTS: certFile },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    const killer = setTimeout(() => { child.kill('SIGKILL') }, 60000)
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('close', (code) => {
      clearTimeout(killer)
      if (code !== 0) {
        reject(new Error(`${client} scenarios exited with ${String(code)}: ${stderr}`))
        return
      }
      try {
        resolve(JSON.parse(stdout))
      } catch {
        reject(new Error(`${client} scenarios printed no JSON: ${stdout} ${stderr}`))
      }
    })
  })
}

const iso = (text: string | null | undefined): string => text == null ? 'not a Date: undefined' : new Date(text).toISOString()

/** What the graph-client scenarios must report for the mock at `origin`. */
export function expectedGraphClientSummary (origin: string): unknown {
  const error = (statusCode: number, code: string, message: string): unknown => ({ name: 'GraphError', statusCode, code, message })
  return {
    firstPage: { count: listed.length, size: TOP, keys: ['@odata.type', 'id', 'status', 'createdDateTime', 'createdBy'], nextLinkOrigin: origin },
    listed: listed.map((s) => ({ id: s.id, status: shownStatus(s.status) })),
    failedStatuses: { hidden: failedIds.map(() => 'unknownFutureValue'), shown: failedIds.map(() => 'failed') },
    entity: { id: failedSession.id, createdBy: failedSession.createdBy?.user?.displayName, errorCode: failedSession.error?.code },
    count: String(failedIds.length),
    badFilter: error(400, 'BadRequest', "Could not find a property named 'nope' on type 'microsoft.graph.exchangeRestoreSession'."),
    notFound: error(404, 'RestoreSessionNotFound', 'Restore Session Not Found.'),
    rejectedToken: error(401, 'InvalidAuthenticationToken', 'Access token validation failure.')
  }
}

/** What the Kiota scenarios must report for the mock at `origin`: typed values described. */
export function expectedKiotaSummary (origin: string): unknown {
  const error = (responseStatusCode: number, code: string, message: string): unknown => ({ isODataError: true, responseStatusCode, code, message, innerErrorDateIsDate: true })
  const summary = (s: ExchangeRestoreSession): unknown => ({
    id: s.id,
    status: shownStatus(s.status),
    restoreJobType: shownJobType(s.restoreJobType),
    createdDateTime: iso(s.createdDateTime),
    createdBy: creatorName(s)
  })
  return {
    firstPage: { count: listed.length, size: TOP, nextLinkOrigin: origin },
    listed: listed.map(summary),
    failedShown: failedIds.map(() => 'failed'),
    entity: {
      ...(summary(failedSession) as object),
      completedDateTime: iso(failedSession.completedDateTime),
      errorCode: failedSession.error?.code,
      artifactTotal: failedSession.restoreSessionArtifactCount?.total
    },
    count: failedIds.length,
    badFilter: error(400, 'BadRequest', "Could not find a property named 'nope' on type 'microsoft.graph.exchangeRestoreSession'."),
    notFound: error(404, 'RestoreSessionNotFound', 'Restore Session Not Found.'),
    rejectedToken: error(401, 'InvalidAuthenticationToken', 'Access token validation failure.')
  }
}
