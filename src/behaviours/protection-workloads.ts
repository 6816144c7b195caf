// The three protection workloads as data (Exchange mailboxes, SharePoint sites, OneDrive drives):
// each policy type's unit navigation, the root-level set its units live in, the fields that name a
// unit, its bulk addition jobs and inclusion rules. Plus the lookups and the errors the protection
// behaviours share. Pure.

import { GraphError } from '../errors.js'
import { createEntitySerializer } from '../graph/serializer.js'
import { versionView } from '../graph/version-view.js'
import { storageModel, type Model } from '../model/index.js'
import type { EntityCollection, StoredEntity, Tenant } from '../store/index.js'

export interface ProtectionWorkload {
  /** The policy type and its stored root-level set. */
  readonly policy: string
  readonly policySet: string
  /** The policy's unit navigation, which is also the name of the root-level set the units live in. */
  readonly units: string
  readonly unit: string
  /** The fields a unit is named by in a create or a delta add (the first one is its identity). */
  readonly keys: readonly string[]
  /** The unit fields a new unit copies from a known unit of the same identity (read-only on Graph). */
  readonly copied: readonly string[]
  readonly jobs: string
  readonly job: string
  /** A job's resource lists: property → the unit property it matches (case-insensitive). */
  readonly jobKeys: Readonly<Record<string, string>>
  readonly rules: string
}

export const PROTECTION_WORKLOADS: readonly ProtectionWorkload[] = [
  {
    policy: 'microsoft.graph.exchangeProtectionPolicy',
    policySet: 'exchangeProtectionPolicies',
    units: 'mailboxProtectionUnits',
    unit: 'microsoft.graph.mailboxProtectionUnit',
    keys: ['directoryObjectId'],
    copied: ['displayName', 'email', 'mailboxType'],
    jobs: 'mailboxProtectionUnitsBulkAdditionJobs',
    job: 'microsoft.graph.mailboxProtectionUnitsBulkAdditionJob',
    jobKeys: { mailboxes: 'email', directoryObjectIds: 'directoryObjectId' },
    rules: 'mailboxInclusionRules'
  },
  {
    policy: 'microsoft.graph.sharePointProtectionPolicy',
    policySet: 'sharePointProtectionPolicies',
    units: 'siteProtectionUnits',
    unit: 'microsoft.graph.siteProtectionUnit',
    keys: ['siteId', 'siteWebUrl'],
    copied: ['siteId', 'siteName', 'siteWebUrl'],
    jobs: 'siteProtectionUnitsBulkAdditionJobs',
    job: 'microsoft.graph.siteProtectionUnitsBulkAdditionJob',
    jobKeys: { siteWebUrls: 'siteWebUrl', siteIds: 'siteId' },
    rules: 'siteInclusionRules'
  },
  {
    policy: 'microsoft.graph.oneDriveForBusinessProtectionPolicy',
    policySet: 'oneDriveForBusinessProtectionPolicies',
    units: 'driveProtectionUnits',
    unit: 'microsoft.graph.driveProtectionUnit',
    keys: ['directoryObjectId'],
    copied: ['displayName', 'email'],
    jobs: 'driveProtectionUnitsBulkAdditionJobs',
    job: 'microsoft.graph.driveProtectionUnitsBulkAdditionJob',
    jobKeys: { drives: 'email', directoryObjectIds: 'directoryObjectId' },
    rules: 'driveInclusionRules'
  }
]

export const POLICY_BASE = 'microsoft.graph.protectionPolicyBase'
export const UNIT_BASE = 'microsoft.graph.protectionUnitBase'
export const ALL_UNIT_NAVIGATIONS: readonly string[] = PROTECTION_WORKLOADS.map((workload) => workload.units)

/** At most this many protection units in one create or PATCH (ProtectionUnitsLimitBreached). */
export const MAX_UNITS_PER_REQUEST = 50

/** Unit statuses that wait for the clock. */
export const REQUESTED = new Set(['protectRequested', 'unprotectRequested', 'removeRequested'])

export function policyWorkloadOf (model: Model, type: string): ProtectionWorkload | undefined {
  return PROTECTION_WORKLOADS.find((workload) => model.derivesFrom(type, workload.policy))
}

export function unitWorkloadOf (model: Model, type: string): ProtectionWorkload | undefined {
  return PROTECTION_WORKLOADS.find((workload) => model.derivesFrom(type, workload.unit))
}

export function jobWorkloadOf (model: Model, type: string): ProtectionWorkload | undefined {
  return PROTECTION_WORKLOADS.find((workload) => model.derivesFrom(type, workload.job))
}

export function storedSet (tenant: Tenant, name: string): EntityCollection | undefined {
  return tenant.root.stored.get(name)
}

/** The policy as stored now (entities are replaced on every change: always re-read by id). */
export function currentPolicy (tenant: Tenant, workload: ProtectionWorkload, id: string): StoredEntity | undefined {
  return storedSet(tenant, workload.policySet)?.byId(id)
}

/** The ids a policy links in its unit navigation. */
export function linkedIds (workload: ProtectionWorkload, policy: StoredEntity): readonly string[] {
  const ids = policy.refs.get(workload.units)
  return ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids
}

/** The units a policy links, as stored now. */
export function linkedUnits (tenant: Tenant, workload: ProtectionWorkload, policy: StoredEntity): StoredEntity[] {
  const set = storedSet(tenant, workload.units)
  return linkedIds(workload, policy).flatMap((id) => {
    const unit = set?.byId(id)
    return unit === undefined ? [] : [unit]
  })
}

/** The policy whose unit list holds a unit, if any. */
export function policyLinking (tenant: Tenant, workload: ProtectionWorkload, unitId: string): StoredEntity | undefined {
  const key = unitId.toLowerCase()
  return storedSet(tenant, workload.policySet)?.entities.find((policy) => linkedIds(workload, policy).some((id) => id.toLowerCase() === key))
}

/** A unit's identity value (directoryObjectId, or siteId / siteWebUrl), lower-cased, for matching. */
export function unitKeyOf (workload: ProtectionWorkload, fields: Readonly<Record<string, unknown>>): string | undefined {
  for (const key of workload.keys) {
    const value = fields[key]
    if (typeof value === 'string' && value !== '') return `${key}:${value.toLowerCase()}`
  }
  return undefined
}

/** The keys a stored unit matches under (a site unit by its id and by its URL). */
export function unitKeysOf (workload: ProtectionWorkload, unit: StoredEntity): string[] {
  return workload.keys.flatMap((key) => {
    const value = unit.row[key]
    return typeof value === 'string' && value !== '' ? [`${key}:${value.toLowerCase()}`] : []
  })
}

/** Statuses of a policy counted as active for "one active policy per service". */
export function isActivePolicy (policy: StoredEntity): boolean {
  return policy.row.status === 'active' || policy.row.status === 'activeWithErrors' || (policy.row.status === 'updating' && policy.row.isEnabled === true)
}

/** An entity as the version's model serializes it (for action answers). */
export function serializeFor (model: Model, entity: StoredEntity, includeUnknownEnumMembers = false): Record<string, unknown> {
  const served = model.schema(entity.type)
  const serializer = createEntitySerializer(entity.type, served, { view: versionView(served, storageModel.schema(entity.type)) })
  return JSON.parse(serializer.serialize(entity.row, { includeUnknownEnumMembers })) as Record<string, unknown>
}

/** Graph's errors of the protection side, from Backup Storage's error page (the message is its last column). */
export const protectionErrors = {
  invalidDisplayName: () => new GraphError(400, 'InvalidDisplayName', 'Please ensure policy name length should be > 0 chars and <= 1024 chars.'),
  invalidProtectionUnitId: () => new GraphError(400, 'InvalidProtectionUnitId', 'Protection Unit ID is invalid.'),
  unitsLimitBreached: () => new GraphError(413, 'ProtectionUnitsLimitBreached', 'Number of Protection Units in each request must not exceed 50.'),
  policyCreationNotAllowed: () => new GraphError(409, 'PolicyCreationNotAllowed', 'Can\'t create Policy. Another active Policy already exists.'),
  /**
   * The error page's row for this code has its message and description columns swapped (the
   * "message" column holds the description's wording with placeholders); the mock answers the
   * wording that names the unit and the policy, filled in.
   */
  unitAlreadyExists: (unit: string, policyId: string) =>
    new GraphError(409, 'ProtectionUnitAlreadyExists', `Artifact ${unit} is not eligible for protection because it is already protected under policy ${policyId}.`),
  duplicateUnit: () => new GraphError(400, 'DuplicateProtectionUnitInList', 'Protection Unit level error: Duplicate Protection Unit in list.'),
  unitActionNotAllowed: () => new GraphError(400, 'ProtectionUnitActionNotAllowed', 'Protection units protected via dynamic rules can\'t be removed manually.'),
  deleteNotAllowed: () => new GraphError(403, 'PolicyActionNotAllowed', 'Can\'t delete policy. Only policy in Inactive status can be deleted.'),
  /**
   * Activating a policy that is not inactive or activeWithErrors (deactivating one that is not active
   * or activeWithErrors). The API pages answer 400 `invalidStateForActivation` with these messages;
   * the error page says 403 PolicyActionNotAllowed. The mock follows the resource's API pages.
   */
  invalidState: (status: string, action: 'activate' | 'deactivate') =>
    new GraphError(400, 'invalidStateForActivation', action === 'activate'
      ? `Policy in ${status === 'active' ? 'already active' : status} state, which is invalid for activation. Policy must be Inactive or ActiveWithErrors state.`
      : `Policy in ${status} state, which is invalid for deactivation. Policy must be in Active or ActiveWithErrors state.`),
  /** A second active policy for the same service: the activate page says only one is supported, without an error; the mock's. */
  anotherActivePolicy: () => new GraphError(403, 'PolicyActionNotAllowed', 'Can\'t activate policy. Another active Policy already exists.')
} as const
