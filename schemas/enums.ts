// Graph's enums for this API, members in the published contract's order. Members after
// `unknownFutureValue` are "evolvable": Graph sends them only to callers that opt in with
// `Prefer: include-unknown-enum-members`.

/** microsoft.graph.restoreSessionStatus */
export const restoreSessionStatusMembers = [
  'draft',
  'activating',
  'active',
  'completedWithError',
  'completed',
  'unknownFutureValue',
  'failed'
] as const

/** microsoft.graph.restoreJobType */
export const restoreJobTypeMembers = ['standard', 'bulk', 'unknownFutureValue', 'granular'] as const

export type RestoreSessionStatus = (typeof restoreSessionStatusMembers)[number]
export type RestoreJobType = (typeof restoreJobTypeMembers)[number]

export const restoreSessionStatusSchema = {
  title: 'restoreSessionStatus',
  type: 'string',
  enum: restoreSessionStatusMembers
} as const

export const restoreJobTypeSchema = {
  title: 'restoreJobType',
  type: 'string',
  enum: restoreJobTypeMembers
} as const
