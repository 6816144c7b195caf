// Protection-unit bulk addition jobs and inclusion rules.
// - Jobs (mailbox/drive/siteProtectionUnitsBulkAdditionJobs): created `active`; the resources they
//   name (directoryObjectIds, mailboxes and drives by a known unit's email, siteIds, siteWebUrls) are
//   resolved and added to the policy as `protectRequested` units at once; one PROTECTION_STEP later the
//   job is `completed`, or `completedWithErrors` (with an error) when some could not be resolved or are
//   protected under another policy. The contract has POST only on the root-level sets (the docs POST
//   to the policy-scoped path, which the OpenAPI documents do not have): a job goes to the workload's
//   active policy, else its newest policy, and is linked to it (the policy's `…BulkAdditionJobs`).
// - Inclusion rules (mailbox/drive/siteInclusionRules): created `draft` (the resource page's initial
//   status), isAutoApplyEnabled false unless set; the expression is required (400 InvalidRuleExpression),
//   at most 100 group ids (413). PATCH and DELETE follow the error page's rules. `run` and
//   `deleteAndUnprotect` are implemented and registered, but the contract has no path for them, so no
//   route serves them yet.

import { GraphError } from '../errors.js'
import type { StoredEntity } from '../store/index.js'
import type { EntityBehaviour, WriteContext } from '../write/entity-behaviour.js'
import { iso, replaceEntity } from '../write/writes.js'
import { registerOperation, type OperationAnswer, type OperationCall } from './operations.js'
import { linkedKeys, newUnit, readUnitInput, refreshPolicy, settle, type UnitInput } from './protection-policies.js'
import { PROTECTION_WORKLOADS, isActivePolicy, linkedIds, jobWorkloadOf, serializeFor, storedSet, type ProtectionWorkload } from './protection-workloads.js'
import { publicError } from './restore-errors.js'

const JOB_BASE = 'microsoft.graph.protectionUnitsBulkJobBase'
const RULE_BASE = 'microsoft.graph.protectionRuleBase'

/** The policy a root-level job adds to: the workload's active one, else its newest. */
function policyForJob (context: WriteContext, workload: ProtectionWorkload): StoredEntity | undefined {
  const policies = storedSet(context.tenant, workload.policySet)?.entities ?? []
  return policies.find(isActivePolicy) ?? [...policies].sort((a, b) => String(b.row.createdDateTime).localeCompare(String(a.row.createdDateTime)))[0]
}

/** A job's resource, as a unit input: an email goes through a known unit that has it. */
function resolve (context: WriteContext, workload: ProtectionWorkload, list: string, value: string): UnitInput | undefined {
  const field = workload.jobKeys[list]
  if (field === undefined) return undefined
  if (field === 'email') {
    const email = value.toLowerCase()
    for (const other of PROTECTION_WORKLOADS.filter((candidate) => candidate.keys.includes('directoryObjectId'))) {
      const unit = storedSet(context.tenant, other.units)?.entities.find((candidate) => typeof candidate.row.email === 'string' && candidate.row.email.toLowerCase() === email)
      if (typeof unit?.row.directoryObjectId === 'string') return { fields: { directoryObjectId: unit.row.directoryObjectId }, key: `directoryObjectId:${unit.row.directoryObjectId.toLowerCase()}` }
    }
    return undefined
  }
  try {
    return readUnitInput(workload, { [field]: value }, list)
  } catch {
    return undefined
  }
}

interface JobOutcome {
  readonly status: 'completed' | 'completedWithErrors'
  readonly error: Record<string, unknown> | null
}

function runJob (context: WriteContext, workload: ProtectionWorkload, job: StoredEntity): JobOutcome {
  const policy = policyForJob(context, workload)
  if (policy === undefined) return { status: 'completedWithErrors', error: publicError('PolicyNotFound', 'Unable to get the Protection Policy.') }
  const owners = linkedKeys(context, workload)
  const units = storedSet(context.tenant, workload.units)
  const ids = [...linkedIds(workload, policy)]
  const unresolved: string[] = []
  const seen = new Set<string>()
  for (const list of Object.keys(workload.jobKeys)) {
    const values = job.row[list]
    for (const value of Array.isArray(values) ? values as unknown[] : []) {
      // The contract lets an item be null: it names no resource, so there is nothing to add.
      if (typeof value !== 'string') continue
      const input = resolve(context, workload, list, value)
      if (input === undefined) {
        unresolved.push(value)
        continue
      }
      if (seen.has(input.key)) continue
      seen.add(input.key)
      const owner = owners.get(input.key)
      if (owner !== undefined) {
        if (owner.toLowerCase() !== String(policy.row.id).toLowerCase()) unresolved.push(value)
        continue
      }
      const unit = newUnit(context, workload, String(policy.row.id), input, 'protectRequested')
      units?.insert(unit)
      ids.push(String(unit.row.id))
    }
  }
  const jobIds = policy.refs.get(workload.jobs)
  const linkedJobs = [...(jobIds === undefined ? [] : typeof jobIds === 'string' ? [jobIds] : jobIds), String(job.row.id)]
  const updated = refreshPolicy(context, workload, policy, { lastModifiedDateTime: iso(context.now) }, ids)
  replaceEntity(context, updated, {}, new Map([[workload.jobs, linkedJobs]]))
  const policyId = String(policy.row.id)
  context.schedule(context.now + context.durations.protectionStep, `protection policy ${policyId}: units settle`, (at) => { settle(context, workload, policyId, at) })
  return unresolved.length === 0
    ? { status: 'completed', error: null }
    : { status: 'completedWithErrors', error: publicError('ProtectionUnitNotFound', `These resources could not be added: ${unresolved.join(', ')}.`) }
}

export const jobBehaviour: EntityBehaviour = {
  base: JOB_BASE,
  serverSet: ['status', 'error'],
  beforeCreate (_context, request) {
    Object.assign(request.properties, { status: 'active', error: null })
  },
  afterCreate (context, entity) {
    const workload = jobWorkloadOf(context.model, entity.type)
    if (workload === undefined) return undefined
    const outcome = runJob(context, workload, entity)
    const id = String(entity.row.id)
    context.schedule(context.now + context.durations.protectionStep, `bulk addition job ${id}: ${outcome.status}`, (at) => {
      const job = storedSet(context.tenant, workload.jobs)?.byId(id)
      if (job?.row.status !== 'active') return
      replaceEntity({ ...context, now: at }, job, { ...outcome, lastModifiedDateTime: iso(at) })
    })
    return undefined
  }
}

// Inclusion rules: the error page's codes and messages (its last column).
export const ruleErrors = {
  invalidExpression: () => new GraphError(400, 'InvalidRuleExpression', 'The expression isn\'t valid and can\'t be parsed.'),
  groupLimit: () => new GraphError(413, 'InvalidRuleExpressionGroupLimitExceeded', 'The expression contains more group IDs than the imposed limit allows.'),
  autoApplyInPatch: () => new GraphError(400, 'InvalidProtectionRulePatchRequest', 'The **isAutoApplyEnabled** parameter can be supplied only at the time of creation. The conversion between a static rule and a dynamic rule, and vice versa, isn\'t allowed.'),
  patchStatic: () => new GraphError(400, 'PatchNotAllowedForStaticRule', 'Invalid update request.'),
  patchDeleteRequested: () => new GraphError(422, 'InvalidProtectionRuleStatusForDynamicRuleEdit', 'The patch operation isn\'t allowed in the `deleteRequested` state.'),
  deleteState: () => new GraphError(400, 'InvalidProtectionRuleStatusForDeletion', 'Invalid state to invoke the delete operation.'),
  deleteDynamic: () => new GraphError(422, 'InvalidProtectionRuleStatusForDynamicRuleDeletion', 'Invalid state to invoke the delete operation on a dynamic rule.'),
  runState: () => new GraphError(400, 'ProtectionRuleActionNotAllowed', 'Invalid state to invoke the run action.'),
  runDynamic: () => new GraphError(400, 'RunNotAllowedForDynamicRule', 'Invalid operation for dynamic rules.'),
  deleteAndUnprotectState: () => new GraphError(422, 'InvalidProtectionRuleStatusForDynamicRuleDeleteAndUnprotectAll', 'Invalid state to invoke the **deleteAndUnprotect** action.')
} as const

const EXPRESSIONS = ['mailboxExpression', 'siteExpression', 'driveExpression']
const GUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi

function checkExpression (value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') throw ruleErrors.invalidExpression()
  if ((value.match(GUIDS) ?? []).length > 100) throw ruleErrors.groupLimit()
}

function ruleSetOf (context: WriteContext, rule: StoredEntity): string | undefined {
  return PROTECTION_WORKLOADS.find((workload) => storedSet(context.tenant, workload.rules)?.byId(String(rule.row.id)) !== undefined)?.rules
}

export const ruleBehaviour: EntityBehaviour = {
  base: RULE_BASE,
  serverSet: ['status', 'error'],
  beforeCreate (_context, request) {
    const name = EXPRESSIONS.find((candidate) => request.payload.type.toLowerCase().includes(candidate.replace('Expression', '')))
    checkExpression(name === undefined ? undefined : request.properties[name])
    Object.assign(request.properties, { status: 'draft', error: null, isAutoApplyEnabled: request.properties.isAutoApplyEnabled ?? false })
  },
  update (_context, entity, payload) {
    if (payload.properties.isAutoApplyEnabled !== undefined) throw ruleErrors.autoApplyInPatch()
    if (entity.row.status === 'deleteRequested') throw ruleErrors.patchDeleteRequested()
    if (entity.row.isAutoApplyEnabled !== true) throw ruleErrors.patchStatic()
    for (const name of EXPRESSIONS) if (payload.properties[name] !== undefined) checkExpression(payload.properties[name])
    return undefined
  },
  beforeDelete (_context, entity) {
    if (entity.row.isAutoApplyEnabled === true && entity.row.status === 'deleteRequested') return ruleErrors.deleteDynamic()
    if (entity.row.status === 'active') return ruleErrors.deleteState()
    return undefined
  }
}

function ruleOf (call: OperationCall): StoredEntity {
  if (call.target.kind !== 'entity') throw ruleErrors.runState()
  const entity = call.target.entity
  const set = ruleSetOf(call.write, entity)
  return (set === undefined ? undefined : storedSet(call.write.tenant, set)?.byId(String(entity.row.id))) ?? entity
}

function ruleAnswer (call: OperationCall, rule: StoredEntity): OperationAnswer {
  return { status: 202, context: 'microsoft.graph.protectionRuleBase', body: serializeFor(call.model, rule, true) }
}

/** POST …InclusionRules/{id}/run: a static rule in `draft` goes `active`, then `completed`. */
export function runRule (call: OperationCall): OperationAnswer {
  const context = call.write
  const rule = ruleOf(call)
  if (rule.row.isAutoApplyEnabled === true) throw ruleErrors.runDynamic()
  if (rule.row.status !== 'draft') throw ruleErrors.runState()
  const id = String(rule.row.id)
  const updated = replaceEntity(context, rule, { status: 'active', lastModifiedDateTime: iso(context.now), lastModifiedBy: context.identity })
  const set = ruleSetOf(context, updated)
  context.schedule(context.now + context.durations.protectionStep, `inclusion rule ${id}: completed`, (at) => {
    const current = set === undefined ? undefined : storedSet(context.tenant, set)?.byId(id)
    if (current?.row.status !== 'active') return
    replaceEntity({ ...context, now: at }, current, { status: 'completed', lastModifiedDateTime: iso(at) })
  })
  return ruleAnswer(call, updated)
}

/** POST …InclusionRules/{id}/deleteAndUnprotect: a dynamic rule goes `deleteRequested`, then is gone. */
export function deleteAndUnprotect (call: OperationCall): OperationAnswer {
  const context = call.write
  const rule = ruleOf(call)
  if (rule.row.isAutoApplyEnabled !== true || rule.row.status === 'deleteRequested') throw ruleErrors.deleteAndUnprotectState()
  const id = String(rule.row.id)
  const updated = replaceEntity(context, rule, { status: 'deleteRequested', lastModifiedDateTime: iso(context.now), lastModifiedBy: context.identity })
  const set = ruleSetOf(context, updated)
  context.schedule(context.now + context.durations.protectionStep, `inclusion rule ${id}: deleted`, () => {
    if (set !== undefined) storedSet(context.tenant, set)?.remove(id)
  })
  return ruleAnswer(call, updated)
}

registerOperation({ binding: RULE_BASE, name: 'run', kind: 'action', handle: runRule })
registerOperation({ binding: RULE_BASE, name: 'deleteAndUnprotect', kind: 'action', handle: deleteAndUnprotect })
