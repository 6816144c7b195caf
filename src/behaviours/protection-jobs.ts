// Protection-unit bulk addition jobs and inclusion rules.
// - Jobs (mailbox/drive/siteProtectionUnitsBulkAdditionJobs): created `active`; the resources they
//   name (directoryObjectIds, mailboxes and drives by a known unit's email, siteIds, siteWebUrls) are
//   resolved and added to the policy as `protectRequested` units at once; one PROTECTION_STEP later the
//   job is `completed`, or `completedWithErrors` (with an error) when some could not be resolved or are
//   protected under another policy. A job POSTed to a policy's own set (the docs' path,
//   `exchangeProtectionPolicies/{id}/mailboxProtectionUnitsBulkAdditionJobs`) is linked to that policy
//   by the write and adds to it; one POSTed to the root-level set (the OpenAPI documents' only POST)
//   goes to the workload's active policy, else its newest, and is linked to it.
// - Inclusion rules (mailbox/drive/siteInclusionRules): created `draft` (the resource page's initial
//   status), isAutoApplyEnabled false unless set; the expression is required (400 InvalidRuleExpression),
//   at most 100 group ids (413). PATCH and DELETE follow the error page's rules. `run` (a static rule:
//   draft → active, completed one step later) and `deleteAndUnprotect` (a dynamic rule: deleteRequested,
//   gone one step later, the units it protected losing the dynamicRule source) answer 202 with the rule,
//   on the docs' policy-scoped paths and on the root-level rule sets (src/model/generate.ts adds them).

import { GraphError } from '../errors.js'
import type { StoredEntity } from '../store/index.js'
import type { EntityBehaviour, WriteContext } from '../write/entity-behaviour.js'
import { iso, replaceEntity } from '../write/writes.js'
import { entityAnswer, registerOperation, type OperationAnswer, type OperationCall } from './operations.js'
import { linkedKeys, newUnit, readUnitInput, refreshPolicy, settle, type UnitInput } from './protection-policies.js'
import { PROTECTION_WORKLOADS, isActivePolicy, linkedIds, linkedUnits, jobWorkloadOf, storedSet, type ProtectionWorkload } from './protection-workloads.js'
import { publicError } from './restore-errors.js'

const JOB_BASE = 'microsoft.graph.protectionUnitsBulkJobBase'
const RULE_BASE = 'microsoft.graph.protectionRuleBase'

/** The ids a policy links in a reference navigation. */
function refsOf (policy: StoredEntity, navigation: string): string[] {
  const ids = policy.refs.get(navigation)
  return ids === undefined ? [] : typeof ids === 'string' ? [ids] : [...ids]
}

/**
 * The policy a job adds to: the one it was created under (which links it already), else, for a job
 * created in the root-level set, the workload's active policy, else its newest.
 */
function policyForJob (context: WriteContext, workload: ProtectionWorkload, jobId: string): StoredEntity | undefined {
  const policies = storedSet(context.tenant, workload.policySet)?.entities ?? []
  const key = jobId.toLowerCase()
  return policies.find((policy) => refsOf(policy, workload.jobs).some((id) => id.toLowerCase() === key)) ??
    policies.find(isActivePolicy) ??
    [...policies].sort((a, b) => String(b.row.createdDateTime).localeCompare(String(a.row.createdDateTime)))[0]
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
  const policy = policyForJob(context, workload, String(job.row.id))
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
  const linkedJobs = refsOf(policy, workload.jobs)
  if (!linkedJobs.some((id) => id.toLowerCase() === String(job.row.id).toLowerCase())) linkedJobs.push(String(job.row.id))
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

function ruleWorkloadOf (context: WriteContext, rule: StoredEntity): ProtectionWorkload | undefined {
  return PROTECTION_WORKLOADS.find((workload) => storedSet(context.tenant, workload.rules)?.byId(String(rule.row.id)) !== undefined)
}

function ruleSetOf (context: WriteContext, rule: StoredEntity): string | undefined {
  return ruleWorkloadOf(context, rule)?.rules
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

/**
 * 202 with the rule, as the run examples answer (the run page's text says 200, the deleteAndUnprotect
 * examples 200 and 202 around a `value` wrapper: the mock answers the rule itself, 202, as the text
 * of deleteAndUnprotect and every run example do). `deleteRequested` and `updateRequested` come after
 * unknownFutureValue; the examples show them without a Prefer header, so the answer does too.
 * Content-Location is the rule as requested, as the run examples give it.
 */
function ruleAnswer (call: OperationCall, context: WriteContext, rule: StoredEntity): OperationAnswer {
  const id = String(rule.row.id)
  const set = ruleSetOf(context, rule) ?? 'mailboxInclusionRules'
  return {
    status: 202,
    headers: { 'content-location': `${call.base}/${call.path.replace(/\/[^/]*$/, '')}('${id}')` },
    context: `solutions/backupRestore/${set}/$entity`,
    ...entityAnswer(call, rule, true)
  }
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
  return ruleAnswer(call, context, updated)
}

/** A unit's `protectionSources` flags. */
function sourcesOf (unit: StoredEntity): string[] {
  const sources = unit.row.protectionSources
  return typeof sources === 'string' ? sources.split(',').map((flag) => flag.trim()).filter((flag) => flag !== '') : []
}

/** The `protectionSources` flags of a unit without `dynamicRule` (`none` when nothing is left). */
function withoutDynamicRule (unit: StoredEntity): string {
  const rest = sourcesOf(unit).filter((flag) => flag !== 'dynamicRule' && flag !== 'none')
  return rest.length === 0 ? 'none' : rest.join(',')
}

/**
 * The units a dynamic rule protected lose that source: the mock does not resolve a rule's groups, so
 * these are the units of the policies linking the rule that have the `dynamicRule` source, once no
 * other dynamic rule of the policy is left. A unit protected by nothing else leaves its policy
 * (removeRequested now, then unprotected and out of its list one step later, as a remove by PATCH);
 * one also protected manually stays, `manual`.
 */
function unprotectRuleUnits (context: WriteContext, workload: ProtectionWorkload, rule: StoredEntity): void {
  const ruleKey = String(rule.row.id).toLowerCase()
  const rules = storedSet(context.tenant, workload.rules)
  const now = iso(context.now)
  for (const policy of storedSet(context.tenant, workload.policySet)?.entities ?? []) {
    const ruleIds = refsOf(policy, workload.rules)
    if (!ruleIds.some((id) => id.toLowerCase() === ruleKey)) continue
    const othersDynamic = ruleIds.some((id) => {
      if (id.toLowerCase() === ruleKey) return false
      const other = rules?.byId(id)
      return other?.row.isAutoApplyEnabled === true && other.row.status !== 'deleteRequested'
    })
    if (othersDynamic) continue
    let changed = false
    for (const unit of linkedUnits(context.tenant, workload, policy)) {
      if (!sourcesOf(unit).includes('dynamicRule')) continue
      const sources = withoutDynamicRule(unit)
      const leaves = sources === 'none' && unit.row.status !== 'removeRequested'
      replaceEntity(context, unit, { protectionSources: sources, ...(leaves ? { status: 'removeRequested' } : {}), lastModifiedDateTime: now, lastModifiedBy: context.identity })
      changed = true
    }
    if (!changed) continue
    const policyId = String(policy.row.id)
    refreshPolicy(context, workload, policy, { lastModifiedDateTime: now })
    context.schedule(context.now + context.durations.protectionStep, `protection policy ${policyId}: units settle`, (at) => { settle(context, workload, policyId, at) })
  }
}

/** One step after deleteAndUnprotect the rule is gone, from its set and from its policies' lists. */
function removeRule (context: WriteContext, workload: ProtectionWorkload, id: string): void {
  const key = id.toLowerCase()
  for (const policy of storedSet(context.tenant, workload.policySet)?.entities ?? []) {
    const ruleIds = refsOf(policy, workload.rules)
    if (!ruleIds.some((other) => other.toLowerCase() === key)) continue
    replaceEntity(context, policy, {}, new Map([[workload.rules, ruleIds.filter((other) => other.toLowerCase() !== key)]]))
  }
  storedSet(context.tenant, workload.rules)?.remove(id)
}

/** POST …InclusionRules/{id}/deleteAndUnprotect: a dynamic rule goes `deleteRequested`, then is gone. */
export function deleteAndUnprotect (call: OperationCall): OperationAnswer {
  const context = call.write
  const rule = ruleOf(call)
  if (rule.row.isAutoApplyEnabled !== true || rule.row.status === 'deleteRequested') throw ruleErrors.deleteAndUnprotectState()
  const id = String(rule.row.id)
  const workload = ruleWorkloadOf(context, rule)
  const updated = replaceEntity(context, rule, { status: 'deleteRequested', lastModifiedDateTime: iso(context.now), lastModifiedBy: context.identity })
  if (workload !== undefined) unprotectRuleUnits(context, workload, updated)
  context.schedule(context.now + context.durations.protectionStep, `inclusion rule ${id}: deleted`, (at) => {
    if (workload !== undefined && storedSet(context.tenant, workload.rules)?.byId(id) !== undefined) removeRule({ ...context, now: at }, workload, id)
  })
  return ruleAnswer(call, context, updated)
}

registerOperation({ binding: RULE_BASE, name: 'run', kind: 'action', handle: runRule })
registerOperation({ binding: RULE_BASE, name: 'deleteAndUnprotect', kind: 'action', handle: deleteAndUnprotect })
