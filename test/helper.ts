// Builds the whole app for a test, closed when the test ends. Every HTTP test goes through inject,
// and every injected response is held to the published contract (test/contract/response-contract.ts):
// a body that drifts from it fails the test.

import type { Test } from 'tap'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { buildApp, type AppOptions } from '../src/app.js'
import type { ExchangeRestoreSession } from '../schemas/index.js'
import { checkEveryResponse } from './contract/checked-inject.js'

export const LIST = '/beta/solutions/backupRestore/exchangeRestoreSessions'
export const CONTEXT = 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions'
export const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'
export const AUTH = { authorization: 'Bearer test-token' }
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export async function build (t: Test, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp(options)
  t.teardown(async () => { await app.close() })
  checkEveryResponse(app, (message, extra) => { t.fail(message, extra) })
  return app
}

/** A session with every property, for tests that assert whole bodies. */
export function session (id: string, overrides: Partial<ExchangeRestoreSession> = {}): ExchangeRestoreSession {
  return {
    id,
    status: 'active',
    restoreJobType: 'standard',
    restoreSessionArtifactCount: { total: 4, completed: 1, inProgress: 2, failed: 1 },
    createdDateTime: '2025-03-01T10:00:00.0000000Z',
    createdBy: { application: null, device: null, user: { id: '0f6c5b1a-2d3e-4f50-8a9b-1c2d3e4f5a6b', displayName: 'Megan Bowen' } },
    completedDateTime: null,
    lastModifiedDateTime: '2025-03-01T11:00:00.0000000Z',
    lastModifiedBy: { application: null, device: null, user: { id: '0f6c5b1a-2d3e-4f50-8a9b-1c2d3e4f5a6b', displayName: 'Megan Bowen' } },
    error: null,
    ...overrides
  }
}

/** The Graph error body expected for `response`, with its request ids and date taken from it. */
export function expectedError (response: LightMyRequestResponse, code: string, message: string): unknown {
  const body = response.json<{ error?: { innerError?: { date?: unknown } } }>()
  return {
    error: {
      code,
      message,
      innerError: {
        date: body.error?.innerError?.date,
        'request-id': response.headers['request-id'],
        'client-request-id': response.headers['client-request-id']
      }
    }
  }
}

/** Asserts Graph's per-response headers. */
export function assertGraphHeaders (t: Test, response: LightMyRequestResponse, clientRequestId?: string): void {
  const requestId = response.headers['request-id']
  t.match(requestId, GUID_PATTERN, 'request-id is a GUID')
  t.equal(response.headers['client-request-id'], clientRequestId ?? requestId, 'client-request-id')
  t.equal(response.headers['odata-version'], '4.0', 'OData-Version')
}
