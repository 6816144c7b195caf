import type { FromSchema } from 'json-schema-to-ts'

/** microsoft.graph.entity: the base of every Graph entity type. */
export const entitySchema = {
  title: 'entity',
  type: 'object',
  properties: {
    id: { type: 'string', description: 'The unique identifier for an entity. Read-only.' }
  },
  additionalProperties: false
} as const

export type Entity = FromSchema<typeof entitySchema>
