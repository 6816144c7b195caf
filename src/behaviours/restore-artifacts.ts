// Restore artifacts: the checks every way of adding them shares (inline on create, `@delta` on PATCH,
// POST on the navigation, a bulk request's resolution), their behaviours (server-set properties,
// `added` on creation, only in a draft session), and the session's aggregates they drive. Pure.

import { badRequest, type GraphError } from '../errors.js'
import type { Model } from '../model/index.js'
import type { StoredEntity, Tenant } from '../store/index.js'
import { containedCollection, containerOf, type EntityCollection } from '../store/index.js'
import type { EntityBehaviour, WriteContext } from '../write/entity-behaviour.js'
import { iso, replaceEntity } from '../write/writes.js'
import { restoreErrors } from './restore-errors.js'
import {
  allArtifacts, countOf, currentSession, ownerOf, rememberOwner, restorePointOf, unitOfRestorePoint, workloadOf, type Workload
} from './restore-workloads.js'

/** At most this many artifacts in one request (create, PATCH or POST). */
export const MAX_ARTIFACTS_PER_REQUEST = 50

export const STANDARD_ARTIFACT_BASE = 'microsoft.graph.restoreArtifactBase'
export const GRANULAR_ARTIFACT_BASE = 'microsoft.graph.granularRestoreArtifactBase'

/** One artifact a request adds, as sent (not yet read as a payload). */
export interface ArtifactInput {
  readonly navigation: string
  readonly record: Readonly<Record<string, unknown>>
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The restore point id an artifact record names: `restorePoint: {id}` or `restorePoint@odata.bind`. */
export function restorePointIdOf (record: Readonly<Record<string, unknown>>): string | undefined {
  const reference = record.restorePoint
  if (isRecord(reference) && typeof reference.id === 'string' && reference.id !== '') return reference.id
  const bind = record['restorePoint@odata.bind']
  if (typeof bind === 'string') {
    const key = /\('([^']+)'\)$|\/([^/()]+)$/.exec(bind)
    return key?.[1] ?? key?.[2] ?? undefined
  }
  return undefined
}

function isGranularSiteOrDrive (workload: Workload, navigation: string): boolean {
  return navigation === workload.granular && workload.browseSet !== undefined
}

/**
 * What makes two artifacts the same: the protection unit of a standard artifact's restore point
 * (restoring one mailbox, site or drive twice in a session), the restore point and search of a
 * granular mailbox artifact, the browse session and item of a granular site or drive artifact.
 */
function text (value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function artifactKey (tenant: Tenant, workload: Workload, navigation: string, fields: { restorePoint?: string | undefined, searchResponseId?: unknown, browseSessionId?: unknown, webUrl?: unknown }): string {
  if (isGranularSiteOrDrive(workload, navigation)) return `browse:${text(fields.browseSessionId).toLowerCase()}|${text(fields.webUrl)}`
  if (navigation === workload.granular) return `search:${text(fields.restorePoint).toLowerCase()}|${text(fields.searchResponseId)}`
  const point = fields.restorePoint === undefined ? undefined : tenant.root.collections.get('restorePoints')?.byId(fields.restorePoint)
  const unit = point === undefined ? undefined : unitOfRestorePoint(tenant, point)
  return `unit:${(unit === undefined ? text(fields.restorePoint) : text(unit.row.id)).toLowerCase()}`
}

function keyOfStored (tenant: Tenant, workload: Workload, navigation: string, artifact: StoredEntity): string {
  const restorePoint = artifact.refs.get('restorePoint')
  return artifactKey(tenant, workload, navigation, {
    restorePoint: typeof restorePoint === 'string' ? restorePoint : undefined,
    searchResponseId: artifact.row.searchResponseId,
    browseSessionId: artifact.row.browseSessionId,
    webUrl: artifact.row.webUrl
  })
}

/** The destination types a session already has (its artifacts', and its bulk requests'). */
export function destinationTypesOf (workload: Workload, session: StoredEntity, except: ReadonlySet<string> = new Set()): Set<string> {
  const types = new Set<string>()
  for (const artifact of allArtifacts(workload, session)) {
    if (except.has(String(artifact.row.id).toLowerCase())) continue
    if (typeof artifact.row.destinationType === 'string') types.add(artifact.row.destinationType)
  }
  for (const bulk of session.collections.get(workload.bulk)?.entities ?? []) {
    if (typeof bulk.row.destinationType === 'string') types.add(bulk.row.destinationType)
  }
  return types
}

/**
 * Checks the artifacts one request adds to a session (`session` undefined: the session is being
 * created with them): the count, then each artifact's destination type and restore point (or browse
 * session), then one destination type across the request and the session (Graph's resource page:
 * "Restoring to both a new location and the same URL in a single restore session is not supported"),
 * then duplicates within the request and against the session. `removing`: ids the same request
 * removes, left out of the session's side. Throws the first problem's GraphError.
 */
export function checkArtifacts (model: Model, tenant: Tenant, workload: Workload, session: StoredEntity | undefined, inputs: readonly ArtifactInput[], operation: 'create' | 'patch', options: { removing?: ReadonlySet<string>, changes?: number } = {}): void {
  if ((options.changes ?? inputs.length) > MAX_ARTIFACTS_PER_REQUEST) throw restoreErrors.artifactsLimitBreached(operation)
  const keys = new Set<string>()
  const destinations = new Set<string>()
  for (const { navigation, record } of inputs) {
    if (isGranularSiteOrDrive(workload, navigation)) {
      const browseId = record.browseSessionId
      if (typeof browseId !== 'string' || tenant.root.collections.get(workload.browseSet ?? '')?.byId(browseId) === undefined) throw restoreErrors.invalidRestorePoint(operation)
    } else {
      const destination = record.destinationType
      if (destination !== 'new' && destination !== 'inPlace') throw restoreErrors.invalidPathType()
      destinations.add(destination)
      if (restorePointOf(model, tenant, workload, restorePointIdOf(record)) === undefined) throw restoreErrors.invalidRestorePoint(operation)
      if (navigation === workload.granular && (typeof record.searchResponseId !== 'string' || record.searchResponseId === '')) {
        throw badRequest('The property \'searchResponseId\' of a granularMailboxRestoreArtifact is required: the id of the restore point search the items come from.')
      }
    }
  }
  const removing = new Set([...(options.removing ?? [])].map((id) => id.toLowerCase()))
  const existing = session === undefined ? new Set<string>() : destinationTypesOf(workload, session, removing)
  if (new Set([...destinations, ...existing]).size > 1) throw restoreErrors.differentDestinationType()
  const present = new Set<string>()
  if (session !== undefined) {
    for (const navigation of [workload.artifacts, workload.granular]) {
      for (const artifact of session.collections.get(navigation)?.entities ?? []) {
        if (!removing.has(String(artifact.row.id).toLowerCase())) present.add(keyOfStored(tenant, workload, navigation, artifact))
      }
    }
  }
  for (const { navigation, record } of inputs) {
    const key = artifactKey(tenant, workload, navigation, { restorePoint: restorePointIdOf(record), searchResponseId: record.searchResponseId, browseSessionId: record.browseSessionId, webUrl: record.webUrl })
    if (keys.has(key) || present.has(key)) throw restoreErrors.duplicateArtifact()
    keys.add(key)
  }
}

/** The session's aggregates after its artifacts changed: counts, job type, modification stamps. */
export function refreshSession (context: WriteContext, workload: Workload, given: StoredEntity, at: number, extra: Readonly<Record<string, unknown>> = {}, touch = true): StoredEntity {
  // The session as stored now: a write to its artifacts may have replaced it (in a namespace, the
  // first write to a seed session's collection stores a copy of the session holding the copy).
  const session = currentSession(context.tenant, workload, String(given.row.id)) ?? given
  const artifacts = allArtifacts(workload, session)
  const granular = (session.collections.get(workload.granular)?.size ?? 0) > 0
  const properties: Record<string, unknown> = {
    restoreSessionArtifactCount: countOf(artifacts),
    restoreJobType: granular ? 'granular' : session.row.restoreJobType === 'bulk' ? 'bulk' : 'standard',
    ...extra
  }
  if (touch) {
    properties.lastModifiedDateTime = iso(at)
    if (Object.keys(context.identity).length > 0) properties.lastModifiedBy = context.identity
  }
  return replaceEntity(context, session, properties)
}

/** The session's contained collection under `navigation`, made when it has none yet. */
export function collectionOf (tenant: Tenant, workload: Workload, session: StoredEntity, navigation: string): EntityCollection {
  // Never the session's own map, changed in place: it may be the seed's (shared by every namespace,
  // a fork's first write copies the collection) or the empty map sessions without artifacts share.
  // The session as stored now: a collection made by an earlier call on a copy held since is kept.
  const current = currentSession(tenant, workload, String(session.row.id)) ?? session
  const collection = containedCollection(tenant, current, navigation)
  rememberOwner(workload, currentSession(tenant, workload, String(session.row.id)) ?? current)
  return collection
}

// Artifacts added by the session's own code (PATCH, bulk requests) are checked before they are
// built; while it builds them, the artifact behaviour leaves the checks of a POST out.
let prechecked = false

export function buildingPrechecked<T> (build: () => T): T {
  prechecked = true
  try {
    return build()
  } finally {
    prechecked = false
  }
}

// Artifacts POSTed on a session's navigation: the session they go to, for the recount after storing.
// Keyed by the new artifact's id: set before it is built, read once it is stored.
const postedTo = new Map<string, { readonly workload: Workload, readonly id: string }>()

const STANDARD_SERVER_SET = [
  'status', 'startDateTime', 'completionDateTime', 'error',
  'restoredFolderId', 'restoredFolderName', 'restoredItemCount', 'restoredSiteId', 'restoredSiteName', 'restoredSiteWebUrl', 'artifactCount'
]
const GRANULAR_SERVER_SET = ['status', 'startDateTime', 'completionDateTime', 'restoredItemKey', 'restoredItemPath', 'restoredItemWebUrl']

function artifactBehaviour (base: string, serverSet: readonly string[], createNavigations: readonly string[]): EntityBehaviour {
  return {
    base,
    serverSet,
    createNavigations,
    referenceError: () => restoreErrors.invalidRestorePoint('create'),
    beforeCreate (context, request) {
      request.properties.status = 'added'
      const parent = request.parent
      const workload = workloadOf(context.model, parent.type)
      // Inline in a create, or built by the session's own code: already checked.
      if (workload === undefined || prechecked || containerOf(context.tenant, parent) === undefined) return
      const session = currentSession(context.tenant, workload, String(parent.row.id)) ?? parent
      if (session.row.status !== 'draft') throw restoreErrors.actionNotAllowed('patch')
      const navigation = [...session.collections].find(([, collection]) => collection === request.container)?.[0] ?? workload.artifacts
      checkArtifacts(context.model, context.tenant, workload, session, [{ navigation, record: rawRecord(request) }], 'create')
      postedTo.set(String(request.properties.id), { workload, id: String(session.row.id) })
    },
    afterCreate (context, entity) {
      const id = String(entity.row.id)
      const posted = postedTo.get(id)
      if (posted === undefined) return undefined
      postedTo.delete(id)
      const session = currentSession(context.tenant, posted.workload, posted.id)
      if (session !== undefined) refreshSession(context, posted.workload, session, context.now)
      return undefined
    },
    update (context, entity, payload) {
      const owner = ownerOf(context.tenant, entity)
      if (owner === undefined) return undefined
      if (owner.session.row.status !== 'draft') throw restoreErrors.actionNotAllowed('patch')
      const destination = payload.properties.destinationType
      if (destination !== undefined) {
        if (destination !== 'new' && destination !== 'inPlace') throw restoreErrors.invalidPathType()
        const others = destinationTypesOf(owner.workload, owner.session, new Set([String(entity.row.id).toLowerCase()]))
        if ([...others].some((type) => type !== destination)) throw restoreErrors.differentDestinationType()
      }
      replaceEntity(context, entity, payload.properties)
      refreshSession(context, owner.workload, owner.session, context.now)
      return { status: 204 }
    },
    beforeDelete (context, entity) {
      const owner = ownerOf(context.tenant, entity)
      if (owner === undefined) return undefined
      if (owner.session.row.status !== 'draft') return restoreErrors.actionNotAllowed('patch')
      // The delete follows at once: the session's counts already leave the artifact out.
      const container = containerOf(context.tenant, entity)
      container?.remove(String(entity.row.id))
      refreshSession(context, owner.workload, owner.session, context.now)
      if (container !== undefined) container.insert(entity)
      return undefined
    }
  }
}

/** The fields of a create's payload the checks read: the record as sent, rebuilt from the payload. */
function rawRecord (request: { payload: { properties: Readonly<Record<string, unknown>>, references: ReadonlyMap<string, string | readonly string[]> } }): Record<string, unknown> {
  const restorePoint = request.payload.references.get('restorePoint')
  return { ...request.payload.properties, ...(typeof restorePoint === 'string' ? { restorePoint: { id: restorePoint } } : {}) }
}

export const artifactBehaviours: readonly EntityBehaviour[] = [
  artifactBehaviour(STANDARD_ARTIFACT_BASE, STANDARD_SERVER_SET, ['restorePoint']),
  artifactBehaviour(GRANULAR_ARTIFACT_BASE, GRANULAR_SERVER_SET, [])
]

export type { GraphError }
