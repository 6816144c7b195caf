import type { FromSchema } from 'json-schema-to-ts'
import { nullableInt32 } from './common.js'

/** microsoft.graph.restoreSessionArtifactCount */
export const restoreSessionArtifactCountSchema = {
  title: 'restoreSessionArtifactCount',
  type: 'object',
  properties: {
    completed: nullableInt32('The number of artifacts whose restoration completed.'),
    failed: nullableInt32('The number of artifacts whose restoration failed.'),
    inProgress: nullableInt32('The number of artifacts whose restoration is in progress.'),
    total: nullableInt32('The number of artifacts present in the restore session.')
  },
  additionalProperties: false
} as const

export type RestoreSessionArtifactCount = FromSchema<typeof restoreSessionArtifactCountSchema>
