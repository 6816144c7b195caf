import type { FromSchema } from 'json-schema-to-ts'
import { nullableString } from './common.js'
import { publicErrorDetailSchema } from './public-error-detail.js'

/** microsoft.graph.publicInnerError */
export const publicInnerErrorSchema = {
  title: 'publicInnerError',
  type: 'object',
  properties: {
    code: nullableString('The error code.'),
    details: { type: 'array', items: publicErrorDetailSchema, description: 'A collection of error details.' },
    message: nullableString('The error message.'),
    target: nullableString('The target of the error.')
  },
  additionalProperties: false
} as const

export type PublicInnerError = FromSchema<typeof publicInnerErrorSchema>
