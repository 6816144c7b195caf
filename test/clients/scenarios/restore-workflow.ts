// The restore workflow through both of Microsoft's JavaScript clients, as a user's test would run it
// against the mock: create an Exchange restore session with artifacts, add one more with a
// `mailboxRestoreArtifacts@delta` PATCH, activate it, and poll until it reaches a terminal status.
// The graph client calls `…/restoreSessions/{id}/activate` as Graph's docs do; Kiota builds its
// requests with RequestInformation (the beta SDK publishes no `solutions` builders), sends the create
// as a typed ExchangeRestoreSession, and calls the qualified `microsoft.graph.activate` without a
// body. Each returns a plain summary the test compares with what the tenant says.

import { HttpMethod, RequestInformation, type ErrorMappings } from '@microsoft/kiota-abstractions'
import type { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk'
import {
  createExchangeRestoreSessionFromDiscriminatorValue,
  createMailboxRestoreArtifactCollectionResponseFromDiscriminatorValue,
  createRestoreSessionBaseFromDiscriminatorValue,
  serializeExchangeRestoreSession,
  type ExchangeRestoreSession,
  type MailboxRestoreArtifactCollectionResponse,
  type RestoreSessionBase
} from '@microsoft/msgraph-beta-sdk/models/index.js'
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js'
import { graphClient } from './graph-client.js'
import { kiotaAdapter } from './kiota.js'

/** The restore points the workflow restores from (test/behaviours/restore-tenant.ts): two succeed, one fails on purpose. */
export interface RestorePlan {
  readonly created: readonly string[]
  readonly patched: string
}

export interface RestoreSummary {
  createdStatus: unknown
  createdTotal: unknown
  patchedAdded: unknown
  activatedStatus: unknown
  /** Every status the polls saw, each once, in the order seen. */
  seen: unknown[]
  final: { status: unknown, total: unknown, completed: unknown, failed: unknown, inProgress: unknown, completedDateTimeSet: boolean }
  artifacts: unknown[]
}

const TERMINAL = new Set(['completed', 'completedWithError', 'failed'])
const SESSIONS = '/solutions/backupRestore/exchangeRestoreSessions'
const POLL_MS = 20
const MAX_POLLS = 500

function pause (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function artifactOf (restorePoint: string): { restorePoint: { id: string }, destinationType: string } {
  return { restorePoint: { id: restorePoint }, destinationType: 'new' }
}

function remember (seen: unknown[], status: unknown): void {
  if (seen.at(-1) !== status) seen.push(status)
}

interface SessionShape { status?: unknown, completedDateTime?: unknown, restoreSessionArtifactCount?: { total?: unknown, completed?: unknown, failed?: unknown, inProgress?: unknown } | null }

function finalOf (session: SessionShape): RestoreSummary['final'] {
  const count = session.restoreSessionArtifactCount
  return {
    status: session.status,
    total: count?.total,
    completed: count?.completed,
    failed: count?.failed,
    inProgress: count?.inProgress,
    completedDateTimeSet: session.completedDateTime != null
  }
}

export async function graphClientRestore (origin: string, plan: RestorePlan): Promise<RestoreSummary> {
  const client = graphClient(origin)
  const created = await client.api(SESSIONS).post({ mailboxRestoreArtifacts: plan.created.map(artifactOf) }) as { id: string, status: unknown, restoreSessionArtifactCount: { total: unknown } }
  const patched = await client.api(`${SESSIONS}/${created.id}`).patch({ 'mailboxRestoreArtifacts@delta': [artifactOf(plan.patched)] }) as Record<string, unknown[]>
  const activated = await client.api(`/solutions/backupRestore/restoreSessions/${created.id}/activate`).post({}) as { status: unknown }
  const seen: unknown[] = [activated.status]
  let session: SessionShape = {}
  for (let polls = 0; polls < MAX_POLLS; polls++) {
    session = await client.api(`${SESSIONS}/${created.id}`).get() as SessionShape
    remember(seen, session.status)
    if (TERMINAL.has(String(session.status))) break
    await pause(POLL_MS)
  }
  const artifacts = await client.api(`${SESSIONS}/${created.id}/mailboxRestoreArtifacts`).get() as { value: Array<{ status: unknown, error: { code?: unknown } | null }> }
  return {
    createdStatus: created.status,
    createdTotal: created.restoreSessionArtifactCount.total,
    patchedAdded: patched['mailboxRestoreArtifacts@delta']?.length,
    activatedStatus: activated.status,
    seen,
    final: finalOf(session),
    artifacts: artifacts.value.map((artifact) => [artifact.status, artifact.error?.code ?? null])
  }
}

const errorMappings: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue }

function info (method: HttpMethod, template: string, id?: string): RequestInformation {
  const request = new RequestInformation(method, template)
  request.headers.tryAdd('Accept', 'application/json')
  if (id !== undefined) request.pathParameters['id'] = id
  return request
}

export async function kiotaRestore (origin: string, plan: RestorePlan): Promise<RestoreSummary> {
  const adapter: GraphBetaRequestAdapter = kiotaAdapter(origin)
  const create = info(HttpMethod.POST, `{+baseurl}${SESSIONS}`)
  const body: ExchangeRestoreSession = { mailboxRestoreArtifacts: plan.created.map((id) => ({ restorePoint: { id }, destinationType: 'new' })) }
  create.setContentFromParsable(adapter, 'application/json', body, serializeExchangeRestoreSession)
  const created = await adapter.send<ExchangeRestoreSession>(create, createExchangeRestoreSessionFromDiscriminatorValue, errorMappings)
  const id = created?.id ?? ''
  // The @delta annotation is no model property: the PATCH goes as JSON the test writes itself.
  const update = info(HttpMethod.PATCH, `{+baseurl}${SESSIONS}/{id}`, id)
  update.setStreamContent(new TextEncoder().encode(JSON.stringify({ 'mailboxRestoreArtifacts@delta': [artifactOf(plan.patched)] })).buffer, 'application/json')
  const patched = await adapter.send<ExchangeRestoreSession>(update, createExchangeRestoreSessionFromDiscriminatorValue, errorMappings)
  const activate = info(HttpMethod.POST, '{+baseurl}/solutions/backupRestore/restoreSessions/{id}/microsoft.graph.activate', id)
  const activated = await adapter.send<RestoreSessionBase>(activate, createRestoreSessionBaseFromDiscriminatorValue, errorMappings)
  const seen: unknown[] = [activated?.status]
  let session: ExchangeRestoreSession | undefined
  for (let polls = 0; polls < MAX_POLLS; polls++) {
    session = await adapter.send<ExchangeRestoreSession>(info(HttpMethod.GET, `{+baseurl}${SESSIONS}/{id}`, id), createExchangeRestoreSessionFromDiscriminatorValue, errorMappings)
    remember(seen, session?.status)
    if (TERMINAL.has(String(session?.status))) break
    await pause(POLL_MS)
  }
  const artifacts = await adapter.send<MailboxRestoreArtifactCollectionResponse>(info(HttpMethod.GET, `{+baseurl}${SESSIONS}/{id}/mailboxRestoreArtifacts`, id), createMailboxRestoreArtifactCollectionResponseFromDiscriminatorValue, errorMappings)
  const delta = patched?.additionalData?.['mailboxRestoreArtifacts@delta']
  return {
    createdStatus: created?.status,
    createdTotal: created?.restoreSessionArtifactCount?.total,
    patchedAdded: Array.isArray(delta) ? delta.length : `not a list: ${typeof delta}`,
    activatedStatus: activated?.status,
    seen,
    final: finalOf({ ...session, completedDateTime: session?.completedDateTime }),
    artifacts: (artifacts?.value ?? []).map((artifact) => [artifact.status, artifact.errorEscaped?.code ?? null])
  }
}
