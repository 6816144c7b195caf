// Restore sessions of the three workloads (exchangeRestoreSessions, sharePointRestoreSessions,
// oneDriveForBusinessRestoreSessions, and restoreSessions over them), as Graph documents them:
// - create, empty or with artifacts inline: 201, `draft`, `standard` (`granular` with granular
//   artifacts), the artifacts counted; each artifact `added` (the resource page's rule: "draft: All
//   artifacts are added"; the SharePoint create example's `activating` contradicts it);
// - PATCH with `<artifacts>@delta` adds and (`@removed`) removes artifacts: 200 with the delta body
//   of the documented examples (their text says "an updated session object"; the examples, followed
//   here, show only the `@delta` collection), a remove of an unknown id as a
//   `@Core.DataModificationException` item, a successful remove not echoed (as in the Exchange example);
// - PATCH, DELETE and activate only in `draft` (403 RestoreSessionActionNotAllowed);
// - `activate`: 200 with the session `activating` (at most 25 at once: Graph's documented 500), its
//   bulk requests resolved into artifacts; then, one RESTORE_STEP apart on the clock, every artifact
//   goes scheduling → scheduled → inProgress → succeeded | failed and the session follows
//   (`active`, then `completed`, `completedWithError` or `failed`), its counts exact at every step.
// Which artifacts fail: a restore point's `@graphMock.restoreOutcome`, else FAILURE_RATE drawn from
// the seeded sequence at activation, in artifact order. Every step is a clock task that re-reads the
// session by id and does nothing once it is gone. Pure: the routes call these.

import { createHash } from 'node:crypto'
import type { StoredEntity, Tenant } from '../store/index.js'
import type { EntityBehaviour, WriteContext } from '../write/entity-behaviour.js'
import type { DeltaChange, Payload } from '../write/payload.js'
import { buildEntity, iso, replaceEntity, type Behaviours } from '../write/writes.js'
import { entityAnswer, registerOperation, type OperationAnswer, type OperationCall } from './operations.js'
import {
  artifactBehaviours, buildingPrechecked, checkArtifacts, collectionOf, refreshSession, type ArtifactInput
} from './restore-artifacts.js'
import { bulkBehaviour, resolveBulk, unresolvedOf, type BulkResolution } from './restore-bulk.js'
import { artifactErrorMessages, publicError, restoreErrors, type ArtifactErrorCode } from './restore-errors.js'
import {
  ALL_ARTIFACT_NAVIGATIONS, SESSION_BASE, allArtifacts, artifactNavigations, currentSession, rememberOwner,
  unitOfRestorePoint, workloadOf, type Workload
} from './restore-workloads.js'

/** At most this many sessions `activating` at once (the error page's TooManyActiveRestoreSessions). */
export const MAX_ACTIVATING_SESSIONS = 25

/** The outcome a restore point's `@graphMock.restoreOutcome` sets for the artifacts restored from it. */
export type RestoreOutcome = 'succeeded' | 'failed' | { readonly status: 'succeeded' | 'failed', readonly code?: ArtifactErrorCode }

/** The artifact behaviours, for the artifacts the session's own code builds. */
function localBehaviours (context: WriteContext): Behaviours {
  return { of: (type) => artifactBehaviours.find((family) => context.model.hasType(family.base) && context.model.derivesFrom(type, family.base)) }
}

function deltaKey (navigation: string): string {
  return `${navigation}@delta`
}

/** The session's artifact inputs of a create's inline collections. */
function inlineInputs (workload: Workload, payload: Payload): ArtifactInput[] {
  return artifactNavigations(workload).flatMap((navigation) => (payload.contained.get(navigation) ?? []).map((record) => ({ navigation, record })))
}

/** An added artifact as the documented delta body shows it: id, restore point, its set fields, created time. */
function deltaItem (artifact: StoredEntity, createdDateTime: string): Record<string, unknown> {
  const item: Record<string, unknown> = { id: artifact.row.id }
  const restorePoint = artifact.refs.get('restorePoint')
  if (typeof restorePoint === 'string') item.restorePoint = { id: restorePoint }
  for (const [name, value] of Object.entries(artifact.row)) {
    if (name !== 'id' && value !== null && !(Array.isArray(value) && value.length === 0)) item[name] = value
  }
  item.createdDateTime = createdDateTime
  return item
}

/** PATCH: the `@delta` changes of every artifact navigation, all checked before any is applied. */
function updateSession (context: WriteContext, entity: StoredEntity, payload: Payload): { status: number, body: Record<string, unknown>, context: string } {
  const workload = workloadOf(context.model, entity.type)
  if (workload === undefined) throw restoreErrors.invalidArtifactRequest('patch')
  const session = currentSession(context.tenant, workload, String(entity.row.id)) ?? entity
  if (session.row.status !== 'draft') throw restoreErrors.actionNotAllowed('patch')
  const changes: Array<{ navigation: string, change: DeltaChange }> = []
  for (const navigation of artifactNavigations(workload)) {
    for (const change of payload.deltas.get(navigation) ?? []) changes.push({ navigation, change })
  }
  if (changes.length === 0) throw restoreErrors.invalidArtifactRequest('patch')
  const adds = changes.flatMap(({ navigation, change }) => change.kind === 'add' ? [{ navigation, record: change.value }] : [])
  const removing = new Set(changes.flatMap(({ navigation, change }) => change.kind === 'remove' && session.collections.get(navigation)?.byId(change.id) !== undefined ? [change.id] : []))
  checkArtifacts(context.model, context.tenant, workload, session, adds, 'patch', { removing, changes: changes.length })
  // Every added artifact is built (and so read and checked as a payload) before anything changes.
  const built = buildingPrechecked(() => changes.map(({ navigation, change }) => {
    if (change.kind !== 'add') return undefined
    const nav = context.model.navigation(session.type, navigation)
    if (nav === undefined) return undefined
    const container = collectionOf(context.tenant, workload, session, navigation)
    return buildEntity(context, localBehaviours(context), nav.type, change.value, session, container, `/${deltaKey(navigation)}/${change.index}`)
  }))
  const created = iso(context.now)
  const answers = new Map<string, Array<Record<string, unknown>>>()
  changes.forEach(({ navigation, change }, position) => {
    const list = answers.get(navigation) ?? []
    answers.set(navigation, list)
    const container = collectionOf(context.tenant, workload, session, navigation)
    if (change.kind === 'add') {
      const artifact = built[position]
      if (artifact === undefined) return
      container.insert(artifact)
      list.push(deltaItem(artifact, created))
    } else if (container.remove(change.id) === undefined) {
      list.push({
        '@contentId': context.newId(),
        '@Core.DataModificationException': {
          info: { code: 'Invalid', message: 'The identifier to be removed from the Restore Session does not exist' },
          failedOperation: 'remove',
          responseCode: 409
        },
        id: change.id
      })
    }
  })
  refreshSession(context, workload, session, context.now)
  const body = Object.fromEntries([...answers].map(([navigation, list]) => [deltaKey(navigation), list]))
  return { status: 200, body, context: `solutions/backupRestore/${workload.sessionSet}/$entity` }
}

export const sessionBehaviour: EntityBehaviour = {
  base: SESSION_BASE,
  serverSet: ['status', 'restoreJobType', 'restoreSessionArtifactCount', 'completedDateTime', 'error'],
  createNavigations: ALL_ARTIFACT_NAVIGATIONS,
  updateNavigations: ALL_ARTIFACT_NAVIGATIONS,
  beforeCreate (context, request) {
    const workload = workloadOf(context.model, request.payload.type)
    if (workload === undefined) return
    const inputs = inlineInputs(workload, request.payload)
    checkArtifacts(context.model, context.tenant, workload, undefined, inputs, 'create')
    Object.assign(request.properties, {
      status: 'draft',
      restoreJobType: inputs.some((input) => input.navigation === workload.granular) ? 'granular' : 'standard',
      restoreSessionArtifactCount: { total: inputs.length, completed: 0, inProgress: 0, failed: 0 },
      completedDateTime: null,
      error: null
    })
  },
  afterCreate (context, entity) {
    const workload = workloadOf(context.model, entity.type)
    if (workload !== undefined) rememberOwner(workload, entity)
    return undefined
  },
  update: updateSession,
  beforeDelete (_context, entity) {
    return entity.row.status === 'draft' ? undefined : restoreErrors.actionNotAllowed('delete')
  }
}

// Sessions the mock is activating now, per tenant: added by activate, left at the first step. A
// fixture's session recorded as `activating` is a snapshot that never moves, so it does not count.
const activatingByTenant = new WeakMap<Tenant, Set<string>>()

function activatingOf (tenant: Tenant): Set<string> {
  let ids = activatingByTenant.get(tenant)
  if (ids === undefined) {
    ids = new Set()
    activatingByTenant.set(tenant, ids)
  }
  return ids
}

interface Outcome {
  readonly status: 'succeeded' | 'failed'
  readonly code: ArtifactErrorCode
}

/** An artifact's outcome: its restore point's annotation, else a seeded draw against FAILURE_RATE. */
function outcomeOf (context: WriteContext, artifact: StoredEntity): Outcome {
  const draw = context.random()
  const pointId = artifact.refs.get('restorePoint')
  const point = typeof pointId === 'string' ? context.tenant.root.collections.get('restorePoints')?.byId(pointId) : undefined
  const annotated = point?.annotations.get('restoreOutcome') as RestoreOutcome | undefined
  if (annotated !== undefined) {
    const status = typeof annotated === 'string' ? annotated : annotated.status
    return { status, code: typeof annotated === 'string' ? 'UnknownError' : annotated.code ?? 'UnknownError' }
  }
  return { status: draw < context.failureRate ? 'failed' : 'succeeded', code: 'UnknownError' }
}

function shortHash (text: string): string {
  return createHash('sha256').update(text).digest('base64').replace(/[^A-Za-z0-9]/g, '')
}

/** Where a succeeded artifact's content was restored to, for the types that say so. */
function restoredProperties (context: WriteContext, artifact: StoredEntity, at: number): Record<string, unknown> {
  const type = artifact.type
  const id = String(artifact.row.id)
  if (context.model.derivesFrom(type, 'microsoft.graph.mailboxRestoreArtifact')) {
    if (artifact.row.destinationType !== 'new') return {}
    return { restoredFolderId: `AAMk${shortHash(`folder ${id}`).slice(0, 40)}AAA=`, restoredFolderName: `Restore ${iso(at).slice(0, 10)}` }
  }
  if (context.model.derivesFrom(type, 'microsoft.graph.siteRestoreArtifact')) {
    const pointId = artifact.refs.get('restorePoint')
    const point = typeof pointId === 'string' ? context.tenant.root.collections.get('restorePoints')?.byId(pointId) : undefined
    const unit = point === undefined ? undefined : unitOfRestorePoint(context.tenant, point)
    const siteId = typeof unit?.row.siteId === 'string' ? unit.row.siteId : null
    const siteName = typeof unit?.row.siteName === 'string' ? unit.row.siteName : null
    const siteWebUrl = typeof unit?.row.siteWebUrl === 'string' ? unit.row.siteWebUrl : null
    if (artifact.row.destinationType !== 'new') return { restoredSiteId: siteId, restoredSiteName: siteName, restoredSiteWebUrl: siteWebUrl }
    const hex = createHash('sha256').update(`site ${id}`).digest('hex')
    return {
      restoredSiteId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
      restoredSiteName: siteName === null ? null : `${siteName} (restored)`,
      restoredSiteWebUrl: siteWebUrl === null ? null : `${siteWebUrl.replace(/\/$/, '')}-restored-${hex.slice(0, 6)}`
    }
  }
  if (context.model.derivesFrom(type, 'microsoft.graph.granularRestoreArtifactBase')) {
    return { restoredItemWebUrl: artifact.row.webUrl ?? null }
  }
  return {}
}

/** Moves every artifact of the session in status `from` on, and the session after them. */
function step (context: WriteContext, workload: Workload, sessionId: string, at: number, stage: 1 | 2 | 3, outcomes: ReadonlyMap<string, Outcome>): void {
  const session = currentSession(context.tenant, workload, sessionId)
  if (session === undefined) return
  const from = stage === 1 ? 'scheduling' : stage === 2 ? 'scheduled' : 'inProgress'
  for (const artifact of allArtifacts(workload, session)) {
    if (artifact.row.status !== from) continue
    if (stage === 1) replaceEntity(context, artifact, { status: 'scheduled' })
    else if (stage === 2) replaceEntity(context, artifact, { status: 'inProgress', startDateTime: iso(at) })
    else {
      const outcome = outcomes.get(String(artifact.row.id).toLowerCase()) ?? { status: 'succeeded', code: 'UnknownError' }
      replaceEntity(context, artifact, outcome.status === 'failed'
        ? { status: 'failed', completionDateTime: iso(at), error: publicError(outcome.code, artifactErrorMessages[outcome.code]) }
        : { status: 'succeeded', completionDateTime: iso(at), ...restoredProperties(context, artifact, at) })
    }
  }
  // Re-read: the first change to a seed artifact (in a namespace) stored a copy of the session.
  const artifacts = allArtifacts(workload, currentSession(context.tenant, workload, sessionId) ?? session)
  const running = artifacts.some((artifact) => ['scheduling', 'scheduled', 'inProgress'].includes(String(artifact.row.status)))
  let extra: Record<string, unknown> = { status: 'active' }
  if (!running) {
    const failed = artifacts.filter((artifact) => artifact.row.status === 'failed').length
    const status = failed === 0 ? 'completed' : failed === artifacts.length ? 'failed' : 'completedWithError'
    extra = { status, completedDateTime: iso(at) }
  }
  activatingOf(context.tenant).delete(sessionId.toLowerCase())
  refreshSession(context, workload, session, at, extra)
  if (running && stage < 3) {
    const next = (stage + 1) as 2 | 3
    context.schedule(at + context.durations.restoreStep, `restore session ${sessionId}: step ${next}`, (time) => { step(context, workload, sessionId, time, next, outcomes) })
  }
}

/** The bulk requests' artifacts: every active request resolved, its restore points not yet in the session. */
function bulkResolutions (context: WriteContext, workload: Workload, session: StoredEntity): BulkResolution[] {
  const requests = (session.collections.get(workload.bulk)?.entities ?? []).filter((request) => request.row.status === 'active')
  if (requests.length === 0) return []
  const wanted = new Set(requests.flatMap((request) => ((request.row.protectionUnitIds ?? []) as string[]).map((id) => id.toLowerCase())))
  const pointsByUnit = new Map<string, StoredEntity[]>()
  for (const point of context.tenant.root.collections.get('restorePoints')?.entities ?? []) {
    const unit = point.refs.get('protectionUnit')
    if (typeof unit !== 'string' || !wanted.has(unit.toLowerCase())) continue
    const list = pointsByUnit.get(unit.toLowerCase()) ?? []
    list.push(point)
    pointsByUnit.set(unit.toLowerCase(), list)
  }
  return requests.map((request) => resolveBulk(context.tenant, request, pointsByUnit, unresolvedOf(context.tenant, request)))
}

/** POST restoreSessions/{id}/activate */
export function activate (call: OperationCall): OperationAnswer {
  const context = call.write
  if (call.target.kind !== 'entity') throw restoreErrors.invalidArtifactRequest('create')
  const workload = workloadOf(context.model, call.target.entity.type)
  if (workload === undefined) throw restoreErrors.invalidArtifactRequest('create')
  const id = String(call.target.entity.row.id)
  let session = currentSession(context.tenant, workload, id) ?? call.target.entity
  if (session.row.status !== 'draft') throw restoreErrors.actionNotAllowed('activate')
  const activating = activatingOf(context.tenant)
  if (activating.size >= MAX_ACTIVATING_SESSIONS) throw restoreErrors.tooManyActiveSessions()
  // The bulk requests' artifacts: one per unit and restore point, none the session has already.
  const resolutions = bulkResolutions(context, workload, session)
  const present = new Set(allArtifacts(workload, session).flatMap((artifact) => {
    const point = artifact.refs.get('restorePoint')
    return typeof point === 'string' ? [point.toLowerCase()] : []
  }))
  const additions: Array<{ record: Record<string, unknown> }> = []
  for (const resolution of resolutions) {
    for (const restorePoint of resolution.restorePoints) {
      if (present.has(restorePoint.toLowerCase())) continue
      present.add(restorePoint.toLowerCase())
      additions.push({ record: { restorePoint: { id: restorePoint }, destinationType: resolution.request.row.destinationType } })
    }
  }
  if (allArtifacts(workload, session).length + additions.length === 0) throw restoreErrors.invalidArtifactRequest('create')
  const nav = context.model.navigation(session.type, workload.artifacts)
  const container = collectionOf(context.tenant, workload, session, workload.artifacts)
  const built = nav === undefined
    ? []
    : buildingPrechecked(() => additions.map(({ record }, index) => buildEntity(context, localBehaviours(context), nav.type, record, session, container, `/bulk/${index}`)))
  for (const artifact of built) container.insert(artifact)
  const now = iso(context.now)
  for (const resolution of resolutions) {
    replaceEntity(context, resolution.request, { status: resolution.status, error: resolution.error, lastModifiedDateTime: now })
  }
  // As stored now, with the artifacts just added (a seed session in a namespace is copied on its first write).
  session = currentSession(context.tenant, workload, id) ?? session
  // Every artifact is picked up (scheduling) and its outcome drawn now, in order.
  const outcomes = new Map<string, Outcome>()
  for (const artifact of allArtifacts(workload, session)) {
    replaceEntity(context, artifact, { status: 'scheduling' })
    outcomes.set(String(artifact.row.id).toLowerCase(), outcomeOf(context, artifact))
  }
  session = refreshSession(context, workload, session, context.now, { status: 'activating', completedDateTime: null })
  activating.add(id.toLowerCase())
  context.schedule(context.now + context.durations.restoreStep, `restore session ${id}: step 1`, (time) => { step(context, workload, id, time, 1, outcomes) })
  return { status: 200, context: 'solutions/backupRestore/restoreSessions/$entity', ...entityAnswer(call, session) }
}

registerOperation({ binding: SESSION_BASE, name: 'activate', kind: 'action', handle: activate })

/** The restore side's behaviours, for the registry (src/behaviours/index.ts). */
export const restoreBehaviours: readonly EntityBehaviour[] = [sessionBehaviour, ...artifactBehaviours, bulkBehaviour]
