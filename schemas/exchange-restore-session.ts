import type { FromSchema } from 'json-schema-to-ts'
import { restoreSessionBaseSchema } from './restore-session-base.js'

/**
 * microsoft.graph.exchangeRestoreSession: derives from restoreSessionBase and declares no structural
 * property of its own (only navigation properties, which the mock does not serve yet).
 */
export const exchangeRestoreSessionSchema = {
  title: 'exchangeRestoreSession',
  type: 'object',
  properties: {
    ...restoreSessionBaseSchema.properties
  },
  required: ['id'],
  additionalProperties: false
} as const

/** A stored session: the fixture record, with `id` required. */
export type ExchangeRestoreSession = FromSchema<typeof exchangeRestoreSessionSchema>
