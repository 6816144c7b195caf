// The three restore workloads as data (Exchange mailboxes, SharePoint sites, OneDrive drives): each
// session type's artifact navigations, the protection units its restore points must belong to, how a
// bulk addition request names its resources, and the browse sessions granular artifacts come from.
// Plus the lookups the restore behaviours share: a session's workload, an artifact's session, a
// restore point's protection unit, the counts. Pure.

import { containerOf, type Collection, type EntityCollection, type StoredEntity, type Tenant } from '../store/index.js'
import type { Model } from '../model/index.js'

export interface Workload {
  readonly session: string
  /** The stored root-level set the sessions live in. */
  readonly sessionSet: string
  /** Artifacts restored from a restore point (standard). */
  readonly artifacts: string
  /** Granular artifacts (items of a mailbox search or of a browse session). */
  readonly granular: string
  readonly bulk: string
  /** The protection unit type a restore point of this workload belongs to, and its stored set. */
  readonly unit: string
  readonly unitSet: string
  /** Granular site/drive artifacts name a browse session of this set; granular mailbox ones a restore point. */
  readonly browseSet?: string
  /** A bulk request's resource lists: property → the unit property it matches (case-insensitive). */
  readonly bulkKeys: Readonly<Record<string, string>>
}

export const WORKLOADS: readonly Workload[] = [
  {
    session: 'microsoft.graph.exchangeRestoreSession',
    sessionSet: 'exchangeRestoreSessions',
    artifacts: 'mailboxRestoreArtifacts',
    granular: 'granularMailboxRestoreArtifacts',
    bulk: 'mailboxRestoreArtifactsBulkAdditionRequests',
    unit: 'microsoft.graph.mailboxProtectionUnit',
    unitSet: 'mailboxProtectionUnits',
    bulkKeys: { mailboxes: 'email', directoryObjectIds: 'directoryObjectId' }
  },
  {
    session: 'microsoft.graph.sharePointRestoreSession',
    sessionSet: 'sharePointRestoreSessions',
    artifacts: 'siteRestoreArtifacts',
    granular: 'granularSiteRestoreArtifacts',
    bulk: 'siteRestoreArtifactsBulkAdditionRequests',
    unit: 'microsoft.graph.siteProtectionUnit',
    unitSet: 'siteProtectionUnits',
    browseSet: 'sharePointBrowseSessions',
    bulkKeys: { siteWebUrls: 'siteWebUrl', siteIds: 'siteId' }
  },
  {
    session: 'microsoft.graph.oneDriveForBusinessRestoreSession',
    sessionSet: 'oneDriveForBusinessRestoreSessions',
    artifacts: 'driveRestoreArtifacts',
    granular: 'granularDriveRestoreArtifacts',
    bulk: 'driveRestoreArtifactsBulkAdditionRequests',
    unit: 'microsoft.graph.driveProtectionUnit',
    unitSet: 'driveProtectionUnits',
    browseSet: 'oneDriveForBusinessBrowseSessions',
    bulkKeys: { drives: 'email', directoryObjectIds: 'directoryObjectId' }
  }
]

export const SESSION_BASE = 'microsoft.graph.restoreSessionBase'

export function workloadOf (model: Model, sessionType: string): Workload | undefined {
  return WORKLOADS.find((workload) => model.derivesFrom(sessionType, workload.session))
}

/** The artifact navigations of a workload: standard first, then granular. */
export function artifactNavigations (workload: Workload): readonly [string, string] {
  return [workload.artifacts, workload.granular]
}

export const ALL_ARTIFACT_NAVIGATIONS: readonly string[] = WORKLOADS.flatMap((workload) => artifactNavigations(workload))

/** The stored set of a session (where it is re-read by id). */
export function sessionSetOf (tenant: Tenant, workload: Workload): EntityCollection | undefined {
  return tenant.root.stored.get(workload.sessionSet)
}

/** A session as it is stored now (undefined once deleted). */
export function currentSession (tenant: Tenant, workload: Workload, id: string): StoredEntity | undefined {
  return sessionSetOf(tenant, workload)?.byId(id)
}

/** The artifacts (or bulk requests) of a session under one navigation. */
export function childrenOf (session: StoredEntity, navigation: string): readonly StoredEntity[] {
  return session.collections.get(navigation)?.entities ?? []
}

/** Every artifact of a session, standard and granular. */
export function allArtifacts (workload: Workload, session: StoredEntity): StoredEntity[] {
  return artifactNavigations(workload).flatMap((navigation) => childrenOf(session, navigation))
}

// Which session holds a contained collection: filled as sessions are met, and by one scan of the
// three session sets for a collection not met yet (a fixture session's artifact deleted first).
const owners = new WeakMap<Collection, { readonly workload: Workload, readonly id: string, readonly navigation: string }>()

export function rememberOwner (workload: Workload, session: StoredEntity): void {
  for (const [navigation, collection] of session.collections) owners.set(collection, { workload, id: String(session.row.id), navigation })
}

/** The session an artifact or bulk request belongs to, as stored now, with its workload. */
export function ownerOf (tenant: Tenant, child: StoredEntity): { workload: Workload, session: StoredEntity, navigation: string } | undefined {
  const container = containerOf(tenant, child)
  if (container === undefined) return undefined
  let owner = owners.get(container)
  if (owner === undefined) {
    for (const workload of WORKLOADS) {
      for (const session of sessionSetOf(tenant, workload)?.entities ?? []) rememberOwner(workload, session)
    }
    owner = owners.get(container)
  }
  if (owner === undefined) return undefined
  const session = currentSession(tenant, owner.workload, owner.id)
  return session === undefined ? undefined : { workload: owner.workload, session, navigation: owner.navigation }
}

/** The protection unit a restore point belongs to, if it is stored. */
export function unitOfRestorePoint (tenant: Tenant, restorePoint: StoredEntity): StoredEntity | undefined {
  const unitId = restorePoint.refs.get('protectionUnit')
  if (typeof unitId !== 'string') return undefined
  return tenant.root.collections.get('protectionUnits')?.byId(unitId)
}

/** The restore point `id` names, if it exists and belongs to a protection unit of the workload. */
export function restorePointOf (model: Model, tenant: Tenant, workload: Workload, id: unknown): StoredEntity | undefined {
  if (typeof id !== 'string' || id === '') return undefined
  const point = tenant.root.collections.get('restorePoints')?.byId(id)
  if (point === undefined) return undefined
  const unit = unitOfRestorePoint(tenant, point)
  return unit !== undefined && model.derivesFrom(unit.type, workload.unit) ? point : undefined
}

export interface ArtifactCount {
  readonly total: number
  readonly completed: number
  readonly inProgress: number
  readonly failed: number
}

/**
 * The session's `restoreSessionArtifactCount` from its artifacts: succeeded ones are completed,
 * failed ones failed, and every artifact the activation has picked up and that has not finished
 * (scheduling, scheduled, inProgress) in progress; `added` ones count only in the total.
 */
export function countOf (artifacts: readonly StoredEntity[]): ArtifactCount {
  let completed = 0
  let inProgress = 0
  let failed = 0
  for (const artifact of artifacts) {
    const status = artifact.row.status
    if (status === 'succeeded') completed++
    else if (status === 'failed') failed++
    else if (status === 'scheduling' || status === 'scheduled' || status === 'inProgress') inProgress++
  }
  return { total: artifacts.length, completed, inProgress, failed }
}
