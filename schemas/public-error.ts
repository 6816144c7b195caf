import type { FromSchema } from 'json-schema-to-ts'
import { nullable, nullableString } from './common.js'
import { publicErrorDetailSchema } from './public-error-detail.js'
import { publicInnerErrorSchema } from './public-inner-error.js'

/** microsoft.graph.publicError */
export const publicErrorSchema = {
  title: 'publicError',
  type: 'object',
  properties: {
    code: nullableString('Represents the error code.'),
    details: { type: 'array', items: publicErrorDetailSchema, description: 'Details of the error.' },
    innerError: nullable(publicInnerErrorSchema),
    message: nullableString('A non-localized message for the developer.'),
    target: nullableString('The target of the error.')
  },
  additionalProperties: false
} as const

export type PublicError = FromSchema<typeof publicErrorSchema>
