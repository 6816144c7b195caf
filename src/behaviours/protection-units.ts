// Protection units: `offboard` and `cancelOffboard` (protectionUnits/{id}/…, 200 with the unit, the
// documented 403 OperationNotAllowed bodies otherwise), the units a client POSTs to a root-level unit
// set directly, and the restore points protected units get on the clock: one every
// RESTORE_POINT_INTERVAL per protected unit (protectionDateTime the task's time, expirationDateTime
// per the policy's retention), only the next one scheduled per unit, the unit's expired points pruned
// as each new one comes. Every task re-reads the unit by id and stops once it is gone or unprotected.

import { GraphError } from '../errors.js'
import type { StoredEntity, Tenant } from '../store/index.js'
import { makeEntity } from '../store/index.js'
import type { EntityBehaviour, WriteContext } from '../write/entity-behaviour.js'
import { iso, replaceEntity } from '../write/writes.js'
import { entityAnswer, registerOperation, type OperationAnswer, type OperationCall } from './operations.js'
import {
  PROTECTION_WORKLOADS, UNIT_BASE, currentPolicy, policyLinking, storedSet, unitWorkloadOf, type ProtectionWorkload
} from './protection-workloads.js'

const DAY = 24 * 60 * 60 * 1000

/** An ISO 8601 duration in ms (years as 365 days, months as 30); undefined when it is not one. */
export function durationMs (text: string): number | undefined {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text)
  if (match === null || text === 'P' || text.endsWith('T')) return undefined
  const [, y, mo, w, d, h, mi, s] = match.map((part) => Number(part ?? 0))
  return ((y ?? 0) * 365 + (mo ?? 0) * 30 + (w ?? 0) * 7 + (d ?? 0)) * DAY + ((h ?? 0) * 3600 + (mi ?? 0) * 60 + (s ?? 0)) * 1000
}

/**
 * How long a restore point of the policy is kept: the period of its first retention setting (the
 * most frequent one, `R/PT10M` for `P2W` in the documented default); 14 days without one.
 */
export function retentionOf (policy: StoredEntity | undefined): number {
  const settings = policy?.row.retentionSettings
  const first = Array.isArray(settings) ? settings[0] as { period?: unknown } | undefined : undefined
  return (typeof first?.period === 'string' ? durationMs(first.period) : undefined) ?? 14 * DAY
}

interface PointChains {
  /** Unit id (lower case) → the time of its next restore point. */
  readonly next: Map<string, number>
  /** Unit id (lower case) → the ids of its restore points, oldest first (built on the unit's first point). */
  readonly points: Map<string, string[]>
}

const chainsByTenant = new WeakMap<Tenant, PointChains>()

function chainsOf (tenant: Tenant): PointChains {
  let chains = chainsByTenant.get(tenant)
  if (chains === undefined) {
    chains = { next: new Map(), points: new Map() }
    chainsByTenant.set(tenant, chains)
  }
  return chains
}

function pointsOfUnit (tenant: Tenant, chains: PointChains, unitKey: string): string[] {
  let ids = chains.points.get(unitKey)
  if (ids === undefined) {
    ids = (tenant.root.stored.get('restorePoints')?.entities ?? [])
      .filter((point) => String(point.refs.get('protectionUnit') ?? '').toLowerCase() === unitKey)
      .map((point) => String(point.row.id))
    chains.points.set(unitKey, ids)
  }
  return ids
}

/** Adds a restore point of a protected unit at `at`, its expired ones removed. */
function addRestorePoint (context: WriteContext, workload: ProtectionWorkload, unit: StoredEntity, at: number): void {
  const chains = chainsOf(context.tenant)
  const key = String(unit.row.id).toLowerCase()
  const points = context.tenant.root.stored.get('restorePoints')
  if (points === undefined) return
  const policy = typeof unit.row.policyId === 'string' ? currentPolicy(context.tenant, workload, unit.row.policyId) : undefined
  const point = makeEntity(context.model, 'microsoft.graph.restorePoint', {
    id: context.newId(),
    protectionDateTime: iso(at),
    expirationDateTime: iso(at + retentionOf(policy)),
    tags: 'none'
  }, { refs: new Map([['protectionUnit', String(unit.row.id)]]) })
  const ids = pointsOfUnit(context.tenant, chains, key)
  // Expired points of the unit go as the new one comes: the set stays bounded.
  const kept = ids.filter((id) => {
    const existing = points.byId(id)
    if (existing === undefined) return false
    if (Date.parse(String(existing.row.expirationDateTime)) > at) return true
    points.remove(id)
    return false
  })
  points.insert(point)
  kept.push(String(point.row.id))
  chains.points.set(key, kept)
}

function restorePointTask (context: WriteContext, workload: ProtectionWorkload, unitId: string, at: number): void {
  const chains = chainsOf(context.tenant)
  const key = unitId.toLowerCase()
  if (chains.next.get(key) !== at) return
  const unit = storedSet(context.tenant, workload.units)?.byId(unitId)
  if (unit?.row.status !== 'protected') {
    chains.next.delete(key)
    return
  }
  addRestorePoint(context, workload, unit, at)
  const next = at + context.durations.restorePointInterval
  chains.next.set(key, next)
  context.schedule(next, `protection unit ${unitId}: restore point`, (time) => { restorePointTask(context, workload, unitId, time) })
}

/**
 * The cadence of the units a namespace loaded as protected: one task for all of them, every
 * RESTORE_POINT_INTERVAL from the start, so that a namespace holds nothing per loaded unit. A unit
 * that has a chain of its own (protected again through its policy) is left to it.
 */
function loadedUnitsSweep (context: WriteContext, at: number): void {
  const chains = chainsOf(context.tenant)
  for (const workload of PROTECTION_WORKLOADS) {
    for (const unit of storedSet(context.tenant, workload.units)?.entities ?? []) {
      if (unit.row.status !== 'protected' || chains.next.has(String(unit.row.id).toLowerCase())) continue
      addRestorePoint(context, workload, unit, at)
    }
  }
  const next = at + context.durations.restorePointInterval
  context.schedule(next, 'loaded protected units: restore points', (time) => { loadedUnitsSweep(context, time) })
}

/** A unit became protected at `at`: its first restore point comes one RESTORE_POINT_INTERVAL later. */
export function startRestorePoints (context: WriteContext, workload: ProtectionWorkload, unitId: string, at: number): void {
  const chains = chainsOf(context.tenant)
  const key = unitId.toLowerCase()
  const pending = chains.next.get(key)
  if (pending !== undefined && pending > at) return
  const next = at + context.durations.restorePointInterval
  chains.next.set(key, next)
  context.schedule(next, `protection unit ${unitId}: restore point`, (time) => { restorePointTask(context, workload, unitId, time) })
}

/** The documented 403 of offboard / cancelOffboard, body as the examples show it. */
function notAllowed (message: string): OperationAnswer {
  return { status: 403, body: { error: { code: 'OperationNotAllowed', message, details: [] } } }
}

function unitTarget (call: OperationCall): { workload: ProtectionWorkload, unit: StoredEntity } | undefined {
  if (call.target.kind !== 'entity') return undefined
  const workload = unitWorkloadOf(call.write.model, call.target.entity.type)
  if (workload === undefined) return undefined
  return { workload, unit: storedSet(call.write.tenant, workload.units)?.byId(String(call.target.entity.row.id)) ?? call.target.entity }
}

/**
 * The unit answered as the examples show it: `offboardRequested` and the other offboarding statuses
 * are evolvable members, which the examples show without a Prefer header, so action answers carry them.
 */
function unitAnswer (call: OperationCall, unit: StoredEntity): OperationAnswer {
  return { status: 200, context: 'solutions/backupRestore/protectionUnits/$entity', ...entityAnswer(call, unit, true) }
}

/** One PROTECTION_STEP after a request, the unit moves from `from` to `to` (if nothing changed it since). */
function scheduleStep (context: WriteContext, workload: ProtectionWorkload, unitId: string, from: string, to: Record<string, unknown>): void {
  context.schedule(context.now + context.durations.protectionStep, `protection unit ${unitId}: ${from}`, (at) => {
    const unit = storedSet(context.tenant, workload.units)?.byId(unitId)
    if (unit?.row.status !== from) return
    replaceEntity({ ...context, now: at }, unit, { ...to, lastModifiedDateTime: iso(at) })
  })
}

/** POST protectionUnits/{id}/offboard: only a unit no policy holds any more (removed from its policy). */
export function offboard (call: OperationCall): OperationAnswer {
  const target = unitTarget(call)
  const refusal = notAllowed('Can\'t process this request as it is not in valid state.')
  if (target === undefined) return refusal
  const { workload, unit } = target
  const id = String(unit.row.id)
  if (unit.row.status !== 'unprotected' || policyLinking(call.write.tenant, workload, id) !== undefined) return refusal
  const now = iso(call.write.now)
  const updated = replaceEntity(call.write, unit, { status: 'offboardRequested', offboardRequestedDateTime: now, lastModifiedDateTime: now, lastModifiedBy: call.write.identity })
  scheduleStep(call.write, workload, id, 'offboardRequested', { status: 'offboarded' })
  return unitAnswer(call, updated)
}

/** POST protectionUnits/{id}/cancelOffboard: only a unit in the offboarding flow. */
export function cancelOffboard (call: OperationCall): OperationAnswer {
  const target = unitTarget(call)
  const refusal = notAllowed('Offboarding cannot be cancelled as it is not in a valid state.')
  if (target === undefined) return refusal
  const { workload, unit } = target
  if (unit.row.status !== 'offboardRequested' && unit.row.status !== 'offboarded') return refusal
  const id = String(unit.row.id)
  const now = iso(call.write.now)
  const updated = replaceEntity(call.write, unit, { status: 'cancelOffboardRequested', lastModifiedDateTime: now, lastModifiedBy: call.write.identity })
  scheduleStep(call.write, workload, id, 'cancelOffboardRequested', { status: 'unprotected', offboardRequestedDateTime: null })
  return unitAnswer(call, updated)
}

registerOperation({ binding: UNIT_BASE, name: 'offboard', kind: 'action', handle: offboard })
registerOperation({ binding: UNIT_BASE, name: 'cancelOffboard', kind: 'action', handle: cancelOffboard })

/**
 * Units POSTed to a root-level unit set directly: the server's fields, `unprotected`, in no policy.
 * A unit a policy holds cannot be deleted (its policy's counts would no longer add up): Graph documents
 * no DELETE of a unit, so the mock refuses it with offboard's documented 403 until the unit is removed
 * from its policy.
 */
export const unitBehaviour: EntityBehaviour = {
  base: UNIT_BASE,
  serverSet: ['status', 'policyId', 'protectionSources', 'error', 'offboardRequestedDateTime'],
  beforeCreate (_context, request) {
    Object.assign(request.properties, { status: 'unprotected', policyId: null, protectionSources: 'manual', error: null, offboardRequestedDateTime: null })
  },
  /** The units the fixtures load as protected keep getting restore points on the clock. */
  startLoaded (context) {
    context.schedule(context.now + context.durations.restorePointInterval, 'loaded protected units: restore points', (time) => { loadedUnitsSweep(context, time) })
  },
  beforeDelete (context, entity) {
    const workload = unitWorkloadOf(context.model, entity.type)
    if (workload === undefined || policyLinking(context.tenant, workload, String(entity.row.id)) === undefined) return undefined
    return new GraphError(403, 'OperationNotAllowed', 'Can\'t process this request as it is not in valid state.')
  }
}
