// The one place that knows Graph's error body.

import type { GraphError } from '../errors.js'

export interface ErrorContext {
  requestId: string
  clientRequestId: string
  now: Date
}

/**
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}` as Graph sends it;
 * `innerError.code` comes first when the error has one, as in Graph's throttled answers.
 */
export function graphErrorBody (error: Pick<GraphError, 'code' | 'message'> & { readonly innerCode?: string | undefined }, context: ErrorContext): string {
  return JSON.stringify({
    error: {
      code: error.code,
      message: error.message,
      innerError: {
        ...(error.innerCode === undefined ? {} : { code: error.innerCode }),
        // Graph's innerError date has no fraction and no zone.
        date: context.now.toISOString().slice(0, 19),
        'request-id': context.requestId,
        'client-request-id': context.clientRequestId
      }
    }
  })
}
