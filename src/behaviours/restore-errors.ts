// The errors the restore side answers with: Graph's codes and messages from Backup Storage's error
// page (../shared/reference/backup-storage/errors.md; the message is the table's last column), per
// operation, where the page words the same code differently for create and for update. Also the
// per-artifact error codes an artifact's `error` carries when its restore fails. Pure data.

import { GraphError } from '../errors.js'

export type RestoreOperation = 'create' | 'patch' | 'delete' | 'activate'

export const restoreErrors = {
  /** An artifact without a known destination type (new / inPlace). */
  invalidPathType: () => new GraphError(400, 'InvalidPathType', 'Restore path type isn\'t present.'),

  /** An artifact whose restore point is missing, unknown or of another workload. */
  invalidRestorePoint: (operation: 'create' | 'patch') =>
    new GraphError(400, 'InvalidRestorePoint', operation === 'create' ? 'Restore Point ID is invalid or empty.' : 'Restore Point is invalid.'),

  /** Artifacts of one request (or one session) with different destination types. */
  differentDestinationType: () => new GraphError(400, 'DifferentRestoreDestinationType', 'Different restore destination type.'),

  /**
   * More than 50 artifacts in one request. The error page documents 413 for a create and 400 for a
   * PATCH (a contradiction inside the page); the mock answers each as documented for its operation.
   */
  artifactsLimitBreached: (operation: 'create' | 'patch') =>
    new GraphError(operation === 'create' ? 413 : 400, 'RestoreArtifactsLimitBreached', 'Restore Artifacts limit is breached.'),

  duplicateArtifact: () => new GraphError(400, 'DuplicateArtifactInList', 'The restore artifact requested is already present.'),

  /** An empty artifact list (a PATCH without changes, or activating a session with nothing to restore). */
  invalidArtifactRequest: (operation: 'create' | 'patch') =>
    new GraphError(400, 'InvalidArtifactRequest', operation === 'create' ? 'There should be at least one restore artifact.' : 'Restore Artifacts are null.'),

  /** A change of a session that is no longer a draft. */
  actionNotAllowed: (operation: 'patch' | 'delete' | 'activate') =>
    new GraphError(403, 'RestoreSessionActionNotAllowed', {
      patch: 'Restore session can only be patched in Draft state.',
      delete: 'Restore session can only be deleted in Draft state.',
      activate: 'Restore session can only be activated in Draft state.'
    }[operation]),

  /** The 26th session activating at once. Graph documents a 500 for it, and so the mock answers. */
  tooManyActiveSessions: () => new GraphError(500, 'TooManyActiveRestoreSessions', 'Temporary error: Too many active restore sessions.'),

  bulkInvalidCreateRequest: () => new GraphError(400, 'BulkRestoreInvalidCreateRequest', 'The create request is null or invalid.'),
  bulkCountExceedsLimit: () => new GraphError(400, 'BulkRestoreRestorationResourcesCountExceedsLimit', 'Input size is too large.'),
  bulkInvalidSiteUrl: () => new GraphError(400, 'BulkRestoreInvalidCreateRequestSiteUrl', 'Site URL is null, empty, or in an incorrect format.'),
  bulkInvalidUserEmail: () => new GraphError(400, 'BulkRestoreInvalidCreateRequestUserEmail', 'Email is null, empty, or in an incorrect format.'),
  /** The page's message and description disagree; the message (last column) is what the mock says. */
  bulkDeletionNotAllowed: () => new GraphError(403, 'InvalidStateForBulkRequestDeletion', 'A bulk request can only be deleted when its status is `completed` or `completedWithErrors`.')
} as const

/** The per-artifact error codes of the error page ("List restore artifacts"), with their messages. */
export const artifactErrorMessages = {
  UnknownError: 'Unknown error occurred. Please try again. If the issue persists, contact support.',
  ArtifactNotFound: 'The requested restore artifact wasn\'t found for restore.',
  InvalidRestoreTime: 'Restore Artifact can\'t be restored to this timestamp, the restore time provided is invalid or beyond retention period.',
  ArtifactCannotBeRestored: 'The restore artifact is in an unexpected state such as preservation lock or TenantDivestiture which is blocking the restore.',
  DuplicateArtifactRestoreRequest: 'An ongoing Restore was found for the given restore artifact. Please wait till its completion and try again.'
} as const

export type ArtifactErrorCode = keyof typeof artifactErrorMessages

export const ARTIFACT_ERROR_CODES = Object.keys(artifactErrorMessages) as ArtifactErrorCode[]

/** A `publicError` value, as the store shapes it. */
export function publicError (code: string, message: string): Record<string, unknown> {
  return { code, message, target: null, details: [], innerError: null }
}
