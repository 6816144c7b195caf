// Restore-artifact bulk addition requests (mailbox, site and drive): created `active` in a draft
// session, their mailboxes / directory object ids / site URLs / site ids / drives resolved to the
// tenant's protection units at once (`protectionUnitIds`); when the session is activated each unit
// gets the restore point its time period, preference (latest by default) and tags pick, as an
// artifact of the session, and the request is `completed`, or `completedWithErrors` when a resource
// named no unit or a unit had no such restore point. Deleted only once finished. Pure.

import type { StoredEntity, Tenant } from '../store/index.js'
import type { EntityBehaviour } from '../write/entity-behaviour.js'
import { restoreErrors, publicError, artifactErrorMessages } from './restore-errors.js'
import { destinationTypesOf } from './restore-artifacts.js'
import { currentSession, workloadOf, type Workload } from './restore-workloads.js'

export const BULK_BASE = 'microsoft.graph.restoreArtifactsBulkRequestBase'

/** The most resources one bulk request may name. */
export const MAX_BULK_RESOURCES = 1000

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const SITE_URL = /^https?:\/\/[^\s/]+(\/\S*)?$/i

/** The units of the workload whose `property` equals one of `values` (case-insensitive), and the values that named none. */
function resolveUnits (tenant: Tenant, workload: Workload, lists: ReadonlyArray<readonly [string, readonly string[]]>): { ids: string[], unresolved: string[] } {
  const units = tenant.root.stored.get(workload.unitSet)?.entities ?? []
  const ids: string[] = []
  const unresolved: string[] = []
  for (const [property, values] of lists) {
    const wanted = new Map(values.map((value) => [value.toLowerCase(), value]))
    const found = new Set<string>()
    for (const unit of units) {
      const key = unit.row[property]
      if (typeof key !== 'string' || !wanted.has(key.toLowerCase())) continue
      found.add(key.toLowerCase())
      const id = String(unit.row.id)
      if (!ids.includes(id)) ids.push(id)
    }
    for (const [key, value] of wanted) if (!found.has(key)) unresolved.push(value)
  }
  return { ids, unresolved }
}

/** The restore point a bulk request picks for a unit: in its time period, with its tags, latest or oldest. */
export function pickRestorePoint (points: readonly StoredEntity[], request: Readonly<Record<string, unknown>>): StoredEntity | undefined {
  const period = request.protectionTimePeriod as { startDateTime?: string | null, endDateTime?: string | null } | null | undefined
  const start = typeof period?.startDateTime === 'string' ? Date.parse(period.startDateTime) : -Infinity
  const end = typeof period?.endDateTime === 'string' ? Date.parse(period.endDateTime) : Infinity
  const tags = typeof request.tags === 'string' ? request.tags.split(',').map((tag) => tag.trim()).filter((tag) => tag !== 'none' && tag !== '') : []
  const candidates = points.filter((point) => {
    const time = Date.parse(String(point.row.protectionDateTime))
    if (Number.isNaN(time) || time < start || time > end) return false
    const own = typeof point.row.tags === 'string' ? point.row.tags.split(',').map((tag) => tag.trim()) : []
    return tags.every((tag) => own.includes(tag))
  })
  const oldest = request.restorePointPreference === 'oldest'
  let best: StoredEntity | undefined
  for (const point of candidates) {
    if (best === undefined) { best = point; continue }
    const a = Date.parse(String(point.row.protectionDateTime))
    const b = Date.parse(String(best.row.protectionDateTime))
    if (oldest ? a < b : a > b) best = point
  }
  return best
}

export interface BulkResolution {
  readonly request: StoredEntity
  /** Restore point ids, one per unit that has one. */
  readonly restorePoints: readonly string[]
  readonly status: 'completed' | 'completedWithErrors'
  readonly error: Record<string, unknown> | null
}

/** What activating the session makes of one active bulk request (nothing is changed here). */
export function resolveBulk (tenant: Tenant, request: StoredEntity, pointsByUnit: ReadonlyMap<string, readonly StoredEntity[]>, unresolved: number): BulkResolution {
  const unitIds = (request.row.protectionUnitIds ?? []) as readonly string[]
  const restorePoints: string[] = []
  let missing = unresolved
  for (const unitId of unitIds) {
    const point = pickRestorePoint(pointsByUnit.get(unitId.toLowerCase()) ?? [], request.row)
    if (point === undefined) missing++
    else restorePoints.push(String(point.row.id))
  }
  return {
    request,
    restorePoints,
    status: missing === 0 ? 'completed' : 'completedWithErrors',
    error: missing === 0 ? null : publicError('ArtifactNotFound', artifactErrorMessages.ArtifactNotFound)
  }
}

// How many resources of each request named no unit, per tenant and request id (kept beside the
// request: its type has no property for it).
const unresolvedCounts = new WeakMap<Tenant, Map<string, number>>()

function countsOf (tenant: Tenant): Map<string, number> {
  let counts = unresolvedCounts.get(tenant)
  if (counts === undefined) {
    counts = new Map()
    unresolvedCounts.set(tenant, counts)
  }
  return counts
}

export function unresolvedOf (tenant: Tenant, request: StoredEntity): number {
  return countsOf(tenant).get(String(request.row.id).toLowerCase()) ?? 0
}

export const bulkBehaviour: EntityBehaviour = {
  base: BULK_BASE,
  serverSet: ['status', 'protectionUnitIds', 'error'],
  createNavigations: [],
  beforeCreate (context, request) {
    const workload = workloadOf(context.model, request.parent.type)
    if (workload === undefined) return
    const session = currentSession(context.tenant, workload, String(request.parent.row.id)) ?? request.parent
    if (session.row.status !== 'draft') throw restoreErrors.actionNotAllowed('patch')
    const properties = request.properties
    const lists = Object.entries(workload.bulkKeys).map(([name, unitProperty]) => {
      const value = properties[name]
      return [name, unitProperty, Array.isArray(value) ? value.map(String) : []] as const
    })
    const total = lists.reduce((sum, [, , values]) => sum + values.length, 0)
    if (total === 0) throw restoreErrors.bulkInvalidCreateRequest()
    if (total > MAX_BULK_RESOURCES) throw restoreErrors.bulkCountExceedsLimit()
    for (const [name, , values] of lists) {
      if (name === 'mailboxes' || name === 'drives') {
        if (values.some((value) => !EMAIL.test(value))) throw restoreErrors.bulkInvalidUserEmail()
      } else if (name === 'siteWebUrls') {
        if (values.some((value) => !SITE_URL.test(value))) throw restoreErrors.bulkInvalidSiteUrl()
      }
    }
    const destination = properties.destinationType
    if (destination !== 'new' && destination !== 'inPlace') throw restoreErrors.invalidPathType()
    if ([...destinationTypesOf(workload, session)].some((type) => type !== destination)) throw restoreErrors.differentDestinationType()
    const { ids, unresolved } = resolveUnits(context.tenant, workload, lists.map(([, unitProperty, values]) => [unitProperty, values] as const))
    properties.status = 'active'
    properties.protectionUnitIds = ids
    countsOf(context.tenant).set(String(properties.id).toLowerCase(), unresolved.length)
  },
  beforeDelete (context, entity) {
    const status = entity.row.status
    if (status !== 'completed' && status !== 'completedWithErrors') return restoreErrors.bulkDeletionNotAllowed()
    countsOf(context.tenant).delete(String(entity.row.id).toLowerCase())
    return undefined
  }
}
