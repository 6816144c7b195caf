import type { FromSchema } from 'json-schema-to-ts'
import { nullableString } from './common.js'

/** microsoft.graph.identity */
export const identitySchema = {
  title: 'identity',
  type: 'object',
  properties: {
    displayName: nullableString('The display name of the identity.'),
    id: nullableString('Unique identifier for the identity or actor.')
  },
  additionalProperties: false
} as const

export type Identity = FromSchema<typeof identitySchema>
