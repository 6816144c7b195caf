import type { FromSchema } from 'json-schema-to-ts'
import { nullableString } from './common.js'

/** microsoft.graph.publicErrorDetail */
export const publicErrorDetailSchema = {
  title: 'publicErrorDetail',
  type: 'object',
  properties: {
    code: nullableString('The error code.'),
    message: nullableString('The error message.'),
    target: nullableString('The target of the error.')
  },
  additionalProperties: false
} as const

export type PublicErrorDetail = FromSchema<typeof publicErrorDetailSchema>
