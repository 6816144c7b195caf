// The errors of the protocol layer ($batch, encodings) that src/errors.ts does not have yet, built the
// same way (status, code, message) so the one error handler turns them into Graph's body. They belong
// in src/errors.ts's `graphErrors`; until they move there, they are kept together here.

import { GraphError } from '../errors.js'

export const protocolErrors = {
  /** A batch item whose dependency did not succeed: it is not run. */
  failedDependency: (dependency: string) =>
    new GraphError(424, 'FailedDependency', `The request '${dependency.slice(0, 64)}' this request depends on failed.`),

  /** A batch item the app could not take because it is closing. */
  serviceUnavailable: () =>
    new GraphError(503, 'serviceNotAvailable', 'The service is shutting down; retry the request.', { 'retry-after': '1' }),

  /** A request body in a Content-Encoding the mock does not decode. */
  unsupportedContentEncoding: (encoding: string) =>
    new GraphError(415, 'UnsupportedMediaType', `The content encoding '${encoding.slice(0, 40)}' is not supported; send the body as it is, or gzip- or deflate-encoded.`),

  /** A request body that does not decode with the Content-Encoding it names. */
  undecodableBody: (encoding: string) =>
    new GraphError(400, 'BadRequest', `The request body could not be decoded as ${encoding.slice(0, 40)}, its Content-Encoding.`)
} as const
