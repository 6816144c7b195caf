import type { FromSchema } from 'json-schema-to-ts'
import { nullable } from './common.js'
import { identitySchema } from './identity.js'

/** microsoft.graph.identitySet */
export const identitySetSchema = {
  title: 'identitySet',
  type: 'object',
  properties: {
    application: nullable(identitySchema),
    device: nullable(identitySchema),
    user: nullable(identitySchema)
  },
  additionalProperties: false
} as const

export type IdentitySet = FromSchema<typeof identitySetSchema>
