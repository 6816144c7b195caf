// What Graph answers for a key that matches nothing, per type family, from Backup Storage's
// documented error codes (../shared/reference/backup-storage/errors.md): a key that is not a GUID
// is the family's 400 "invalid id" where one is documented, an unknown GUID its 404. Types without
// a documented code get Graph's generic 404 itemNotFound. Pure data and one lookup.

import { GraphError } from '../errors.js'
import type { Model } from '../model/index.js'

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

interface NotFoundRule {
  /** The family's base type. */
  readonly base: string
  readonly invalid?: { readonly code: string, readonly message: string }
  readonly missing: { readonly code: string, readonly message: string }
}

const rules: readonly NotFoundRule[] = [
  {
    base: 'microsoft.graph.restoreSessionBase',
    invalid: { code: 'InvalidRestoreSessionId', message: 'Restore session ID invalid, null, or empty.' },
    missing: { code: 'RestoreSessionNotFound', message: 'Restore Session Not Found.' }
  },
  {
    base: 'microsoft.graph.protectionPolicyBase',
    invalid: { code: 'InvalidPolicyId', message: 'Policy ID is invalid.' },
    missing: { code: 'PolicyNotFound', message: 'Unable to get the Protection Policy.' }
  },
  {
    base: 'microsoft.graph.protectionUnitBase',
    invalid: { code: 'InvalidProtectionUnitId', message: 'Invalid Protection Unit ID.' },
    missing: { code: 'ProtectionUnitNotFound', message: 'Requested Protection Unit either doesn\'t exist, is deleted, or can\'t be found. Please recheck the Protection Unit ID and try again.' }
  },
  {
    base: 'microsoft.graph.protectionRuleBase',
    invalid: { code: 'InvalidInclusionRuleId', message: 'The rule ID is invalid.' },
    missing: { code: 'ProtectionRuleNotFound', message: 'The given rule ID is either incorrect or the rule was deleted.' }
  },
  {
    base: 'microsoft.graph.restoreArtifactsBulkRequestBase',
    missing: { code: 'BulkRestoreArtifactsNotFound', message: 'No restoreArtifactBulkAdditionRequest associated with the provided bulkRestoreArtifactId in the URI.' }
  }
]

/** The error for `id` matching no entity of `type` (the set's type) in `model`. */
export function notFoundError (model: Model, type: string, id: string): GraphError {
  const rule = rules.find((candidate) => model.hasType(candidate.base) && model.derivesFrom(type, candidate.base))
  if (rule === undefined) return new GraphError(404, 'itemNotFound', `The requested resource '${id}' does not exist.`)
  if (rule.invalid !== undefined && !GUID.test(id)) return new GraphError(400, rule.invalid.code, rule.invalid.message)
  return new GraphError(404, rule.missing.code, rule.missing.message)
}

/** A single-valued navigation or singleton with nothing behind it. */
export function nothingThere (path: string): GraphError {
  return new GraphError(404, 'itemNotFound', `The requested resource '${path}' does not exist.`)
}
