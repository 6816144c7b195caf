// The app for the protocol tests: test/helper.ts's build (every injected answer held to the
// published contract, batch items included, since they are injected too), except the answers of
// the protocol's own endpoints, which the resource contract does not describe.

import type { Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { buildApp, type AppOptions } from '../../src/app.js'
import { checkEveryResponse } from '../contract/checked-inject.js'

/** Protocol endpoints: `$batch` and `$metadata`, under either version. */
const PROTOCOL = /^[A-Z]+ \/(?:beta|v1\.0)\/\$(?:batch|metadata)\b/

export async function build (t: Test, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp(options)
  t.teardown(async () => { await app.close() })
  checkEveryResponse(app, (message, extra) => {
    if (!PROTOCOL.test(message)) t.fail(message, extra)
  })
  return app
}
