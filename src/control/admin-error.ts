// Errors of the test-control plane (/__admin): not Graph's errors, so they have a body of their own,
// `{ "error": { "code", "message" } }`, with a message that names what was wrong in the call.
// Pure: no HTTP framework import.

export class AdminError extends Error {
  readonly statusCode: number
  readonly code: string
  /** Extra members of the error body (what a timed-out wait did see, say). */
  readonly details: Readonly<Record<string, unknown>>

  constructor (statusCode: number, code: string, message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message)
    this.name = 'AdminError'
    this.statusCode = statusCode
    this.code = code
    this.details = details
  }
}

export function isAdminError (value: unknown): value is AdminError {
  return value instanceof AdminError
}

/** 400 `invalidRequest`: a body or query the admin API cannot use; the message names the part. */
export function invalidAdminRequest (message: string): AdminError {
  return new AdminError(400, 'invalidRequest', message)
}

/** The body an AdminError is answered with. */
export function adminErrorBody (error: AdminError): Record<string, unknown> {
  return { error: { code: error.code, message: error.message }, ...error.details }
}
