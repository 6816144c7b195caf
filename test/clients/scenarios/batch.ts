// Both JavaScript SDKs' batch support against the mock, as their packages document it:
//  - @microsoft/microsoft-graph-client v3: BatchRequestContent of fetch Requests (with a dependency),
//    posted to /$batch with the client, read back with BatchResponseContent as fetch Responses.
//  - Kiota (@microsoft/msgraph-sdk-core): BatchRequestContent and BatchRequestContentCollection of
//    RequestInformation, posted through the beta SDK's request adapter with Kiota's performance
//    middleware chain (the default one plus the compression handler): the batch bodies go
//    gzip-encoded. Every request the adapter
//    makes is recorded (method, path, Content-Encoding, status), so a 415 and the handler's retry
//    without compression would show.
// Returns a plain summary the tests compare with what the data says.

import { BatchRequestContent as GraphClientBatch, BatchResponseContent as GraphClientBatchResponse, type BatchRequestStep } from '@microsoft/microsoft-graph-client'
import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider, HttpMethod, RequestInformation, type ErrorMappings } from '@microsoft/kiota-abstractions'
import { KiotaClientFactory, MiddlewareFactory } from '@microsoft/kiota-http-fetchlibrary'
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk'
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js'
import { BatchRequestContent, BatchRequestContentCollection } from '@microsoft/msgraph-sdk-core'
import { failedSession, GOOD_TOKEN, MISSING_ID, SESSIONS_PATH } from '../data.js'
import { graphClient } from './graph-client.js'

const errorMappings: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue }

export interface ItemSummary {
  status: number
  contentType: string | null
  body: unknown
}

export interface BatchSummary {
  graphClient: Record<string, ItemSummary>
  kiota: {
    statuses: Record<string, number>
    /** Whether Kiota handed back a body for the item (it reads bodies as base64 only). */
    bodies: Record<string, boolean>
    collection: { batches: number, statuses: number[] }
    /** Every request the adapter sent. */
    sent: Array<{ method: string, path: string, contentEncoding: string | null, status: number }>
  }
}

async function itemOf (response: Response | undefined): Promise<ItemSummary> {
  if (response === undefined) return { status: 0, contentType: null, body: 'no response' }
  const contentType = response.headers.get('content-type')
  const text = await response.text()
  let body: unknown = text
  if (contentType?.includes('json') === true && text !== '') body = JSON.parse(text)
  return { status: response.status, contentType, body }
}

async function graphClientBatch (origin: string): Promise<Record<string, ItemSummary>> {
  // The client keeps everything after the host as the item's url, so the urls leave out the version.
  const url = (path: string): string => `${origin}${path}`
  const parallel: BatchRequestStep[] = [
    { id: 'list', request: new Request(url(`${SESSIONS_PATH}?$top=2&$select=id&$orderby=id`), { method: 'GET' }) },
    { id: 'entity', request: new Request(url(`${SESSIONS_PATH}/${failedSession.id ?? ''}?$select=id,status`), { method: 'GET', headers: { Prefer: 'include-unknown-enum-members' } }) },
    { id: 'count', request: new Request(url(`${SESSIONS_PATH}/$count`), { method: 'GET' }) },
    {
      id: 'readOnly',
      request: new Request(url('/solutions/backupRestore/protectionUnits'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ displayName: 'x' }) })
    }
  ]
  // The client allows one shape of dependencies per batch: none, a chain, or all on the first one.
  const same: BatchRequestStep[] = [
    { id: 'missing', request: new Request(url(`${SESSIONS_PATH}/${MISSING_ID}`), { method: 'GET' }) },
    { id: 'afterMissing', request: new Request(url(`${SESSIONS_PATH}/$count`), { method: 'GET' }), dependsOn: ['missing'] },
    { id: 'alsoAfterMissing', request: new Request(url(SESSIONS_PATH), { method: 'GET' }), dependsOn: ['missing'] }
  ]
  const client = graphClient(origin)
  const summary: Record<string, ItemSummary> = {}
  for (const steps of [parallel, same]) {
    const response: unknown = await client.api('/$batch').post(await new GraphClientBatch(steps).getContent())
    const answers = new GraphClientBatchResponse(response as ConstructorParameters<typeof GraphClientBatchResponse>[0])
    for (const step of steps) summary[step.id] = await itemOf(answers.getResponseById(step.id))
  }
  return summary
}

function get (path: string, query: Record<string, string> = {}): RequestInformation {
  const info = new RequestInformation(HttpMethod.GET, `{+baseurl}${path}`)
  info.headers.tryAdd('Accept', 'application/json')
  for (const [name, value] of Object.entries(query)) info.queryParameters[name] = value
  return info
}

/** The beta SDK's adapter on Kiota's chain with the compression handler (MiddlewareFactory.getPerformanceMiddlewares). */
function compressingAdapter (origin: string): GraphBetaRequestAdapter {
  const auth = new BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: async () => GOOD_TOKEN,
    getAllowedHostsValidator: () => new AllowedHostsValidator(new Set([new URL(origin).hostname]))
  })
  const httpClient = KiotaClientFactory.create(undefined, MiddlewareFactory.getPerformanceMiddlewares())
  const adapter = new GraphBetaRequestAdapter(auth, undefined, undefined, httpClient)
  adapter.baseUrl = `${origin}/beta`
  return adapter
}

/** Records what the SDK's HTTP chain sends: its fetch is the global one, looked up when the adapter is built. */
function recordFetch (sent: BatchSummary['kiota']['sent']): () => void {
  const original = globalThis.fetch
  globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const response = await original(input, init)
    const target = new URL(input instanceof Request ? input.url : String(input))
    sent.push({ method: init?.method ?? 'GET', path: target.pathname, contentEncoding: new Headers(init?.headers).get('content-encoding'), status: response.status })
    return response
  }
  return () => { globalThis.fetch = original }
}

async function kiotaBatch (origin: string): Promise<BatchSummary['kiota']> {
  const sent: BatchSummary['kiota']['sent'] = []
  const restore = recordFetch(sent)
  try {
    const adapter = compressingAdapter(origin)
    const parallel = new BatchRequestContent(adapter, errorMappings)
    parallel.addBatchRequest(get(SESSIONS_PATH, { '%24top': '2' }), 'list')
    parallel.addBatchRequest(get(`${SESSIONS_PATH}/${failedSession.id ?? ''}`), 'entity')
    parallel.addBatchRequest(get(`${SESSIONS_PATH}/${MISSING_ID}`), 'missing')
    // Kiota checks dependencies as graph-client does: none, a chain, or all on the first request.
    const same = new BatchRequestContent(adapter, errorMappings)
    same.addBatchRequest(get(`${SESSIONS_PATH}/${MISSING_ID}`), 'missingFirst')
    const dependent = same.addBatchRequest(get(`${SESSIONS_PATH}/$count`), 'afterMissing')
    dependent.dependsOn = ['missingFirst']
    const statuses: Record<string, number> = {}
    const bodies: Record<string, boolean> = {}
    for (const content of [parallel, same]) {
      const answers = await content.postAsync()
      for (const [id, code] of await answers?.getResponsesStatusCodes() ?? new Map<string, number>()) statuses[id] = code
      for (const [id, answer] of answers?.getResponses() ?? new Map<string, { body?: unknown }>()) bodies[id] = answer.body !== undefined && answer.body !== null
    }

    // 25 requests: the collection splits them into batches of at most 20.
    const collection = new BatchRequestContentCollection(adapter, errorMappings, 20)
    const ids: string[] = []
    for (let i = 0; i < 25; i++) {
      ids.push(collection.addBatchRequest(get(`${SESSIONS_PATH}/$count`), `c${i}`).id)
    }
    const all = await collection.postAsync()
    const collected: number[] = []
    for (const batch of all?.batchResponseContent ?? []) {
      const codes = await batch.getResponsesStatusCodes()
      for (const id of ids) {
        const code = codes.get(id)
        if (code !== undefined) collected.push(code)
      }
    }
    return { statuses, bodies, collection: { batches: all?.batchResponseContent.length ?? 0, statuses: collected }, sent }
  } finally {
    restore()
  }
}

export async function batchScenarios (origin: string): Promise<BatchSummary> {
  return { graphClient: await graphClientBatch(origin), kiota: await kiotaBatch(origin) }
}
