import type { FromSchema } from 'json-schema-to-ts'
import { dateTimeOffset, nullable, nullableEnum } from './common.js'
import { entitySchema } from './entity.js'
import { restoreJobTypeMembers, restoreJobTypeSchema, restoreSessionStatusMembers, restoreSessionStatusSchema } from './enums.js'
import { identitySetSchema } from './identity-set.js'
import { publicErrorSchema } from './public-error.js'
import { restoreSessionArtifactCountSchema } from './restore-session-artifact-count.js'

/** microsoft.graph.restoreSessionBase: derives from entity. */
export const restoreSessionBaseSchema = {
  title: 'restoreSessionBase',
  type: 'object',
  properties: {
    ...entitySchema.properties,
    completedDateTime: dateTimeOffset('The time of completion of the restore session.'),
    createdBy: nullable(identitySetSchema),
    createdDateTime: dateTimeOffset('The time of creation of the restore session.'),
    error: nullable(publicErrorSchema),
    lastModifiedBy: nullable(identitySetSchema),
    lastModifiedDateTime: dateTimeOffset('Timestamp of the last modification of the restore session.'),
    restoreJobType: nullableEnum(restoreJobTypeSchema.title, restoreJobTypeMembers, 'Indicates whether the restore session was created normally or by a bulk job.'),
    restoreSessionArtifactCount: nullable(restoreSessionArtifactCountSchema),
    status: nullableEnum(restoreSessionStatusSchema.title, restoreSessionStatusMembers, 'Aggregated status of the restore artifacts.')
  },
  additionalProperties: false
} as const

export type RestoreSessionBase = FromSchema<typeof restoreSessionBaseSchema>
