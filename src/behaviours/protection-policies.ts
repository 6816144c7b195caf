// Protection policies of the three workloads (exchangeProtectionPolicies, sharePointProtectionPolicies,
// oneDriveForBusinessProtectionPolicies, and protectionPolicies over them), as Graph documents them:
// - create: 201, `inactive`, isEnabled false, the example's retention settings when none are given;
//   units inline (`mailboxProtectionUnits: [{directoryObjectId}]`, sites by siteId or siteWebUrl) are
//   created in the root-level unit sets with the policy's id and linked to it, `unprotected` (an
//   inactive policy's units are unprotected); at most 50 (413 ProtectionUnitsLimitBreached); 409
//   PolicyCreationNotAllowed while another policy of the service is active, 409
//   ProtectionUnitAlreadyExists for a unit another policy protects;
// - PATCH with `<units>@delta`: adds (`protectRequested`) and `@removed` removes (`removeRequested`),
//   200 with the documented delta body, per-item failures as `@Core.DataModificationException`;
// - `activate` / `deactivate`: 202, `updating`; the units go protectRequested → protected
//   (unprotectRequested → unprotected) one PROTECTION_STEP later, and the policy follows (`active`,
//   `inactive`). The API pages' state rule is kept (400 invalidStateForActivation; the error page's
//   403 PolicyActionNotAllowed contradicts it); one active policy per service;
// - DELETE only when `inactive` (403 PolicyActionNotAllowed).
// The policy's status and protectionPolicyArtifactCount always aggregate its units. Every clock task
// re-reads the policy and its units by id and does nothing for what is gone. Pure: the routes call these.

import { badRequest } from '../errors.js'
import { storageModel } from '../model/index.js'
import { makeEntity, type StoredEntity } from '../store/index.js'
import type { EntityBehaviour, WriteContext } from '../write/entity-behaviour.js'
import type { Payload } from '../write/payload.js'
import { iso, replaceEntity } from '../write/writes.js'
import { entityAnswer, registerOperation, type OperationAnswer, type OperationCall } from './operations.js'
import {
  ALL_UNIT_NAVIGATIONS, MAX_UNITS_PER_REQUEST, POLICY_BASE, PROTECTION_WORKLOADS, REQUESTED, currentPolicy, isActivePolicy, linkedIds,
  linkedUnits, policyWorkloadOf, protectionErrors, storedSet, unitKeyOf, unitKeysOf, type ProtectionWorkload
} from './protection-workloads.js'
import { startRestorePoints } from './protection-units.js'

/** The retention a policy gets when its create names none (the create example's). */
export const DEFAULT_RETENTION = [{ interval: 'R/PT10M', period: 'P2W' }, { interval: 'R/P1W', period: 'P1Y' }]

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A unit a request names: its identity fields, checked. */
export interface UnitInput {
  readonly fields: Readonly<Record<string, string>>
  readonly key: string
}

/** Reads one unit record of a create or a delta add: only the workload's identity fields, each valid. */
export function readUnitInput (workload: ProtectionWorkload, record: unknown, where: string): UnitInput {
  if (!isRecord(record)) throw badRequest(`The item '${where}' must be a ${workload.unit.replace('microsoft.graph.', '')} object, found ${JSON.stringify(record) ?? String(record)}.`)
  const fields: Record<string, string> = {}
  for (const [name, value] of Object.entries(record)) {
    if (name === '@odata.type') {
      const type = typeof value === 'string' ? value.replace(/^#/, '') : ''
      if (type !== workload.unit) throw badRequest(`A resource with type '${String(value)}' was found, but it is not assignable to the expected type '${workload.unit}'. The type specified in the resource must be equal to either the expected type or a derived type.`)
      continue
    }
    if (!workload.keys.includes(name)) {
      if (storageModel.type(workload.unit).properties.some((property) => property.name === name)) throw badRequest(`The property '${name}' is read-only and cannot be set.`)
      throw badRequest(`The property '${name}' does not exist on type '${workload.unit}'. Make sure to only use property names that are defined by the type or mark the type as open type.`)
    }
    if (typeof value !== 'string') throw badRequest(`Cannot convert the literal '${JSON.stringify(value) ?? String(value)}' to the expected type 'Edm.String'.`)
    if (name === 'directoryObjectId' && !GUID.test(value)) throw protectionErrors.invalidProtectionUnitId()
    if (name === 'siteId' && value.trim() === '') throw protectionErrors.invalidProtectionUnitId()
    if (name === 'siteWebUrl' && !/^https?:\/\/[^\s/]+/i.test(value)) throw protectionErrors.invalidProtectionUnitId()
    fields[name] = value
  }
  const key = unitKeyOf(workload, fields)
  if (key === undefined) throw protectionErrors.invalidProtectionUnitId()
  return { fields, key }
}

/** Every unit key a policy of the workload links now → that policy's id. */
export function linkedKeys (context: WriteContext, workload: ProtectionWorkload): Map<string, string> {
  const keys = new Map<string, string>()
  for (const policy of storedSet(context.tenant, workload.policySet)?.entities ?? []) {
    for (const unit of linkedUnits(context.tenant, workload, policy)) {
      if (unit.row.status === 'removeRequested') continue
      for (const key of unitKeysOf(workload, unit)) keys.set(key, String(policy.row.id))
    }
  }
  return keys
}

/** A known unit of the same identity (any set, any policy): where a new unit's read-only fields come from. */
function knownUnit (context: WriteContext, workload: ProtectionWorkload, input: UnitInput): StoredEntity | undefined {
  const sets = workload.keys.includes('directoryObjectId') ? PROTECTION_WORKLOADS.filter((other) => other.keys.includes('directoryObjectId')) : [workload]
  const own = sets.filter((other) => other === workload)
  for (const other of [...own, ...sets.filter((set) => set !== workload)]) {
    const found = storedSet(context.tenant, other.units)?.entities.find((unit) => unitKeysOf(other, unit).includes(input.key))
    if (found !== undefined) return found
  }
  return undefined
}

/** A new unit (not stored yet): the request's identity, what a known unit of it says, the policy's id. */
export function newUnit (context: WriteContext, workload: ProtectionWorkload, policyId: string, input: UnitInput, status: string): StoredEntity {
  const now = iso(context.now)
  const known = knownUnit(context, workload, input)
  const copied: Record<string, unknown> = {}
  for (const name of workload.copied) {
    if (known?.row[name] !== undefined && storageModel.type(workload.unit).properties.some((property) => property.name === name)) copied[name] = known.row[name]
  }
  return makeEntity(context.model, workload.unit, {
    id: context.newId(),
    createdBy: context.identity,
    createdDateTime: now,
    lastModifiedBy: context.identity,
    lastModifiedDateTime: now,
    error: null,
    offboardRequestedDateTime: null,
    policyId,
    protectionSources: 'manual',
    status,
    ...copied,
    ...input.fields
  })
}

/** The policy's status and counts from its units (`isEnabled` says where an activation is heading). */
export function aggregate (policy: StoredEntity, units: readonly StoredEntity[]): Record<string, unknown> {
  const enabled = policy.row.isEnabled === true
  const requested = units.filter((unit) => REQUESTED.has(String(unit.row.status))).length
  const failed = units.filter((unit) => !REQUESTED.has(String(unit.row.status)) && unit.row.error !== null && unit.row.error !== undefined).length
  const settled = units.length - requested - failed
  let status: string
  if (requested > 0) status = 'updating'
  else if (!enabled) status = 'inactive'
  else status = units.every((unit) => unit.row.status === 'protected' && (unit.row.error === null || unit.row.error === undefined)) ? 'active' : 'activeWithErrors'
  return { status, protectionPolicyArtifactCount: { completed: settled, failed, inProgress: requested, total: units.length } }
}

/** Re-aggregates a policy where it is stored, with `extra` changes; returns the new entity. */
export function refreshPolicy (context: WriteContext, workload: ProtectionWorkload, policy: StoredEntity, extra: Record<string, unknown> = {}, ids?: readonly string[]): StoredEntity {
  const refs = ids === undefined ? undefined : new Map([[workload.units, ids]])
  const withExtra = { ...policy, row: { ...policy.row, ...extra }, refs: refs === undefined ? policy.refs : new Map([...policy.refs, ...refs]) } as StoredEntity
  return replaceEntity(context, policy, { ...extra, ...aggregate(withExtra, linkedUnits(context.tenant, workload, withExtra)) }, refs)
}

/** Every unit of the policy whose request is PROTECTION_STEP old by `at` settles, then the policy. */
export function settle (context: WriteContext, workload: ProtectionWorkload, policyId: string, at: number): void {
  const policy = currentPolicy(context.tenant, workload, policyId)
  if (policy === undefined) return
  const enabled = policy.row.isEnabled === true
  const removed = new Set<string>()
  for (const unit of linkedUnits(context.tenant, workload, policy)) {
    const status = String(unit.row.status)
    if (!REQUESTED.has(status)) continue
    const since = Date.parse(String(unit.row.lastModifiedDateTime))
    if (Number.isFinite(since) && since + context.durations.protectionStep > at) continue
    const next = status === 'protectRequested' && enabled ? 'protected' : 'unprotected'
    const settled = replaceEntity({ ...context, now: at }, unit, { status: next, lastModifiedDateTime: iso(at) })
    if (status === 'removeRequested') removed.add(String(unit.row.id).toLowerCase())
    if (next === 'protected') startRestorePoints(context, workload, String(settled.row.id), at)
  }
  const ids = linkedIds(workload, policy).filter((id) => !removed.has(id.toLowerCase()))
  refreshPolicy(context, workload, policy, { lastModifiedDateTime: iso(at) }, removed.size > 0 ? ids : undefined)
}

function scheduleSettle (context: WriteContext, workload: ProtectionWorkload, policyId: string): void {
  context.schedule(context.now + context.durations.protectionStep, `protection policy ${policyId}: units settle`, (at) => { settle(context, workload, policyId, at) })
}

// The units a create builds before the policy is stored, by the policy's id, for afterCreate.
const pendingUnits = new Map<string, StoredEntity[]>()

/** A unit as the delta answer shows it: every field that has a value. */
function deltaItem (unit: StoredEntity): Record<string, unknown> {
  return Object.fromEntries(Object.entries(unit.row).filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0)))
}

function failure (context: WriteContext, code: string, message: string, operation: 'add' | 'remove', identity: Record<string, unknown>): Record<string, unknown> {
  return {
    '@contentId': context.newId(),
    '@Core.DataModificationException': { info: { code, message }, failedOperation: operation, responseCode: 409 },
    ...identity
  }
}

/** PATCH: displayName and the unit navigation's `@delta` changes, all checked before any is applied. */
function updatePolicy (context: WriteContext, entity: StoredEntity, payload: Payload): { status: number, body: Record<string, unknown>, context: string } | undefined {
  const workload = policyWorkloadOf(context.model, entity.type)
  if (workload === undefined) return undefined
  const changes = payload.deltas.get(workload.units)
  if (changes === undefined) return undefined
  const policy = currentPolicy(context.tenant, workload, String(entity.row.id)) ?? entity
  if (payload.properties.displayName !== undefined) checkDisplayName(payload.properties.displayName)
  if (changes.length > MAX_UNITS_PER_REQUEST) throw protectionErrors.unitsLimitBreached()
  const linked = new Set(linkedIds(workload, policy).map((id) => id.toLowerCase()))
  const seen = new Set<string>()
  const inputs = changes.map((change) => {
    if (change.kind === 'remove') {
      const key = `id:${change.id.toLowerCase()}`
      if (seen.has(key)) throw protectionErrors.duplicateUnit()
      seen.add(key)
      const unit = linked.has(change.id.toLowerCase()) ? storedSet(context.tenant, workload.units)?.byId(change.id) : undefined
      if (unit !== undefined && String(unit.row.protectionSources).split(',').includes('dynamicRule')) throw protectionErrors.unitActionNotAllowed()
      return { change, unit }
    }
    const input = readUnitInput(workload, change.value, `${workload.units}@delta/${change.index}`)
    if (seen.has(input.key)) throw protectionErrors.duplicateUnit()
    seen.add(input.key)
    return { change, input }
  })
  const owners = linkedKeys(context, workload)
  const items: Array<Record<string, unknown>> = []
  const ids = [...linkedIds(workload, policy)]
  const units = storedSet(context.tenant, workload.units)
  for (const item of inputs) {
    if ('input' in item && item.input !== undefined) {
      const owner = owners.get(item.input.key)
      if (owner !== undefined) {
        items.push(failure(context, 'ProtectionUnitAlreadyExists', `Artifact ${Object.values(item.input.fields)[0] ?? ''} is not eligible for protection because it is already protected under policy ${owner}.`, 'add', item.input.fields))
        continue
      }
      const unit = newUnit(context, workload, String(policy.row.id), item.input, 'protectRequested')
      units?.insert(unit)
      ids.push(String(unit.row.id))
      items.push(deltaItem(unit))
    } else if (item.change.kind === 'remove') {
      const unit = 'unit' in item ? item.unit : undefined
      if (unit === undefined || unit.row.status === 'removeRequested') {
        items.push(failure(context, 'Invalid', 'The identifier to be removed from the Protection Policy does not exist', 'remove', { id: item.change.id }))
        continue
      }
      items.push(deltaItem(replaceEntity(context, unit, { status: 'removeRequested', lastModifiedDateTime: iso(context.now), lastModifiedBy: context.identity })))
    }
  }
  const stamps = { ...payload.properties, lastModifiedDateTime: iso(context.now), lastModifiedBy: context.identity }
  const updated = refreshPolicy(context, workload, policy, stamps, ids)
  scheduleSettle(context, workload, String(policy.row.id))
  const body: Record<string, unknown> = {}
  if (payload.properties.displayName !== undefined) body.displayName = updated.row.displayName
  body[`${workload.units}@delta`] = items
  return { status: 200, body, context: `solutions/backupRestore/${workload.policySet}/$entity` }
}

function checkDisplayName (value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 1024) throw protectionErrors.invalidDisplayName()
}

export const policyBehaviour: EntityBehaviour = {
  base: POLICY_BASE,
  serverSet: ['status', 'isEnabled', 'protectionPolicyArtifactCount'],
  createNavigations: ALL_UNIT_NAVIGATIONS,
  inlineNavigations: ALL_UNIT_NAVIGATIONS,
  updateNavigations: ALL_UNIT_NAVIGATIONS,
  beforeCreate (context, request) {
    const workload = policyWorkloadOf(context.model, request.payload.type)
    if (workload === undefined) return
    checkDisplayName(request.properties.displayName)
    if ((storedSet(context.tenant, workload.policySet)?.entities ?? []).some(isActivePolicy)) throw protectionErrors.policyCreationNotAllowed()
    const records = request.payload.contained.get(workload.units) ?? []
    if (records.length > MAX_UNITS_PER_REQUEST) throw protectionErrors.unitsLimitBreached()
    const seen = new Set<string>()
    const inputs = records.map((record, index) => {
      const input = readUnitInput(workload, record, `${workload.units}/${index}`)
      if (seen.has(input.key)) throw protectionErrors.duplicateUnit()
      seen.add(input.key)
      return input
    })
    const owners = linkedKeys(context, workload)
    for (const input of inputs) {
      const owner = owners.get(input.key)
      if (owner !== undefined) throw protectionErrors.unitAlreadyExists(Object.values(input.fields)[0] ?? '', owner)
    }
    const policyId = String(request.properties.id)
    const units = inputs.map((input) => newUnit(context, workload, policyId, input, 'unprotected'))
    pendingUnits.set(policyId.toLowerCase(), units)
    Object.assign(request.properties, {
      status: 'inactive',
      isEnabled: false,
      retentionSettings: request.properties.retentionSettings ?? DEFAULT_RETENTION,
      protectionPolicyArtifactCount: { completed: units.length, failed: 0, inProgress: 0, total: units.length }
    })
  },
  afterCreate (context, entity) {
    const workload = policyWorkloadOf(context.model, entity.type)
    const key = String(entity.row.id).toLowerCase()
    const units = pendingUnits.get(key) ?? []
    pendingUnits.delete(key)
    if (workload === undefined) return undefined
    const set = storedSet(context.tenant, workload.units)
    for (const unit of units) set?.insert(unit)
    return { ...entity, refs: new Map([...entity.refs, [workload.units, units.map((unit) => String(unit.row.id))]]) }
  },
  update: updatePolicy,
  beforeDelete (_context, entity) {
    return entity.row.status === 'inactive' ? undefined : protectionErrors.deleteNotAllowed()
  }
}

function policyTarget (call: OperationCall): { workload: ProtectionWorkload, policy: StoredEntity } {
  if (call.target.kind !== 'entity') throw badRequest('The action is bound to a protection policy.')
  const workload = policyWorkloadOf(call.write.model, call.target.entity.type)
  if (workload === undefined) throw badRequest('The action is bound to a protection policy.')
  return { workload, policy: currentPolicy(call.write.tenant, workload, String(call.target.entity.row.id)) ?? call.target.entity }
}

function accepted (call: OperationCall, policy: StoredEntity): OperationAnswer {
  const id = String(policy.row.id)
  return {
    status: 202,
    headers: { 'content-location': `${call.base}/solutions/backupRestore/protectionPolicies('${id}')` },
    context: 'solutions/backupRestore/protectionPolicies/$entity',
    ...entityAnswer(call, policy)
  }
}

/** POST protectionPolicies/{id}/activate */
export function activatePolicy (call: OperationCall): OperationAnswer {
  const context = call.write
  const { workload, policy } = policyTarget(call)
  const status = String(policy.row.status)
  if (status !== 'inactive' && status !== 'activeWithErrors') throw protectionErrors.invalidState(status, 'activate')
  const others = (storedSet(context.tenant, workload.policySet)?.entities ?? []).filter((other) => String(other.row.id).toLowerCase() !== String(policy.row.id).toLowerCase())
  if (others.some(isActivePolicy)) throw protectionErrors.anotherActivePolicy()
  const now = iso(context.now)
  for (const unit of linkedUnits(context.tenant, workload, policy)) {
    if (unit.row.status === 'unprotected' || unit.row.status === 'unprotectRequested' || (unit.row.status === 'protected' && unit.row.error !== null)) {
      replaceEntity(context, unit, { status: 'protectRequested', error: null, lastModifiedDateTime: now, lastModifiedBy: context.identity })
    }
  }
  const updated = refreshPolicy(context, workload, policy, { isEnabled: true, lastModifiedDateTime: now, lastModifiedBy: context.identity })
  // With no unit to wait for, the policy is still `updating` until the step has passed.
  const answered = updated.row.status === 'updating' ? updated : replaceEntity(context, updated, { status: 'updating' })
  scheduleSettle(context, workload, String(policy.row.id))
  return accepted(call, answered)
}

/** POST protectionPolicies/{id}/deactivate */
export function deactivatePolicy (call: OperationCall): OperationAnswer {
  const context = call.write
  const { workload, policy } = policyTarget(call)
  const status = String(policy.row.status)
  if (status !== 'active' && status !== 'activeWithErrors') throw protectionErrors.invalidState(status, 'deactivate')
  const now = iso(context.now)
  for (const unit of linkedUnits(context.tenant, workload, policy)) {
    if (unit.row.status === 'protected' || unit.row.status === 'protectRequested') {
      replaceEntity(context, unit, { status: 'unprotectRequested', lastModifiedDateTime: now, lastModifiedBy: context.identity })
    }
  }
  const updated = refreshPolicy(context, workload, policy, { isEnabled: false, lastModifiedDateTime: now, lastModifiedBy: context.identity })
  const answered = updated.row.status === 'updating' ? updated : replaceEntity(context, updated, { status: 'updating' })
  scheduleSettle(context, workload, String(policy.row.id))
  return accepted(call, answered)
}

registerOperation({ binding: POLICY_BASE, name: 'activate', kind: 'action', handle: activatePolicy })
registerOperation({ binding: POLICY_BASE, name: 'deactivate', kind: 'action', handle: deactivatePolicy })
