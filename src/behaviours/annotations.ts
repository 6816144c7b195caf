// Data a fixture record may carry beyond its type's properties, as an instance annotation of the
// mock's own namespace (`@graphMock.<term>`): what Graph keeps but its contract does not show as a
// property. Each term names the type family it belongs to and the JSON Schema of its value; the
// store validates it at load time like any property. Pure data.

import { browseQueryResponseItemSchema } from '../../schemas/index.js'
import { ARTIFACT_ERROR_CODES } from './restore-errors.js'

export interface AnnotationTerm {
  /** The base type of the records that may carry it. */
  readonly type: string
  readonly schema: object
  readonly description: string
}

export const ANNOTATION_PREFIX = '@graphMock.'

export const annotationTerms: Readonly<Record<string, AnnotationTerm>> = {
  /**
   * A browse session's backed-up items, by location: `""` holds the top level, and each other key
   * is a location's `itemKey` holding the items inside it (what `browse` answers with).
   */
  browseItems: {
    type: 'microsoft.graph.browseSessionBase',
    schema: { type: 'object', additionalProperties: { type: 'array', items: browseQueryResponseItemSchema } },
    description: 'the items of a browse session by location ("" for the top level)'
  },
  /**
   * How restoring from this restore point ends, whatever FAILURE_RATE says: `"failed"` or
   * `"succeeded"`, or `{ "status": "failed", "code": "<a documented artifact error code>" }`. Every
   * restore artifact made from the point ends so (see src/behaviours/restore-sessions.ts).
   */
  restoreOutcome: {
    type: 'microsoft.graph.restorePoint',
    schema: {
      anyOf: [
        { type: 'string', enum: ['succeeded', 'failed'] },
        {
          type: 'object',
          properties: {
            status: { type: 'string', enum: ['succeeded', 'failed'] },
            code: { type: 'string', enum: ARTIFACT_ERROR_CODES }
          },
          required: ['status'],
          additionalProperties: false
        }
      ]
    },
    description: 'how restoring from a restore point ends: "succeeded", "failed", or { status, code } with an artifact error code'
  }
}
