// Microsoft's Kiota stack against the mock, the way the beta SDK documents it: GraphBetaRequestAdapter
// (base URL set to the mock), a bearer-token provider that allows the mock's host, requests built with
// RequestInformation (the package publishes no `solutions` builders), the beta models to deserialize,
// PageIterator from msgraph-sdk-core to page, ODataError for failures. Returns a plain summary: typed
// values are described (a Date as its ISO text, anything else as "not a Date") so the tests can
// compare them with the data, in this process or from a child.

import {
  AllowedHostsValidator,
  BaseBearerTokenAuthenticationProvider,
  Headers,
  HttpMethod,
  RequestInformation,
  type ErrorMappings,
  type ParsableFactory
} from '@microsoft/kiota-abstractions'
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk'
import {
  createExchangeRestoreSessionCollectionResponseFromDiscriminatorValue,
  createExchangeRestoreSessionFromDiscriminatorValue,
  type ExchangeRestoreSession,
  type ExchangeRestoreSessionCollectionResponse
} from '@microsoft/msgraph-beta-sdk/models/index.js'
import { createODataErrorFromDiscriminatorValue, type ODataError } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js'
import { PageIterator, type PageCollection } from '@microsoft/msgraph-sdk-core'
import { failedSession, GOOD_TOKEN, LISTED_FILTER, MISSING_ID, REJECTED_TOKEN, TOP } from '../data.js'

const LIST = '{+baseurl}/solutions/backupRestore/exchangeRestoreSessions{?%24count,%24filter,%24orderby,%24select,%24top}'
const ENTITY = '{+baseurl}/solutions/backupRestore/exchangeRestoreSessions/{id}'
const COUNT = '{+baseurl}/solutions/backupRestore/exchangeRestoreSessions/$count{?%24filter}'
const errorMappings: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue }
// The generated factory builds the collection response; PageIterator reads it as a PageCollection.
const pageFactory = createExchangeRestoreSessionCollectionResponseFromDiscriminatorValue as ParsableFactory<PageCollection<ExchangeRestoreSession>>

export interface ODataErrorSummary {
  isODataError: boolean
  responseStatusCode: number | undefined
  code: string | null | undefined
  message: string | null | undefined
  /** `innerError.date` was deserialized as a Date (its value is the server's clock). */
  innerErrorDateIsDate: boolean
}

export interface SessionSummary {
  id: string | null | undefined
  status: string | null | undefined
  restoreJobType: string | null | undefined
  createdDateTime: string
  createdBy: string | null | undefined
}

export interface KiotaSummary {
  firstPage: { count: number | null | undefined, size: number, nextLinkOrigin: string | null }
  listed: SessionSummary[]
  failedShown: Array<string | null | undefined>
  entity: SessionSummary & { completedDateTime: string, errorCode: string | null | undefined, artifactTotal: number | null | undefined }
  count: number | undefined
  badFilter: ODataErrorSummary | string
  notFound: ODataErrorSummary | string
  rejectedToken: ODataErrorSummary | string
}

export function kiotaAdapter (origin: string, token = GOOD_TOKEN): GraphBetaRequestAdapter {
  const auth = new BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: async () => token,
    // Kiota sends the token only to the hosts allowed here.
    getAllowedHostsValidator: () => new AllowedHostsValidator(new Set([new URL(origin).hostname]))
  })
  const adapter = new GraphBetaRequestAdapter(auth)
  adapter.baseUrl = `${origin}/beta`
  return adapter
}

function request (template: string, query: Record<string, string | number | boolean | string[]> = {}, headers: Record<string, string> = {}): RequestInformation {
  const info = new RequestInformation(HttpMethod.GET, template)
  info.headers.tryAdd('Accept', 'application/json')
  for (const [name, value] of Object.entries(headers)) info.headers.tryAdd(name, value)
  for (const [name, value] of Object.entries(query)) info.queryParameters[`%24${name}`] = value
  return info
}

function dateText (value: unknown): string {
  return value instanceof Date ? value.toISOString() : `not a Date: ${typeof value}`
}

function summary (session: ExchangeRestoreSession): SessionSummary {
  return {
    id: session.id,
    status: session.status,
    restoreJobType: session.restoreJobType,
    createdDateTime: dateText(session.createdDateTime),
    createdBy: session.createdBy?.user?.displayName ?? session.createdBy?.application?.displayName
  }
}

/** Kiota throws the deserialized ODataError model (a plain object, not an Error instance). */
function isODataError (error: unknown): error is ODataError {
  return typeof error === 'object' && error !== null && 'responseStatusCode' in error && 'errorEscaped' in error
}

async function odataError (adapter: GraphBetaRequestAdapter, info: RequestInformation): Promise<ODataErrorSummary | string> {
  try {
    await adapter.send(info, createExchangeRestoreSessionCollectionResponseFromDiscriminatorValue, errorMappings)
    return 'no error'
  } catch (error) {
    if (!isODataError(error)) return `not an ODataError: ${error instanceof Error ? error.message : typeof error}`
    return {
      isODataError: true,
      responseStatusCode: error.responseStatusCode,
      code: error.errorEscaped?.code,
      message: error.errorEscaped?.message,
      innerErrorDateIsDate: error.errorEscaped?.innerError?.date instanceof Date
    }
  }
}

/** Every item from `first` on; `headers` go with each nextLink request (PageIterator's options). */
async function collect (adapter: GraphBetaRequestAdapter, first: ExchangeRestoreSessionCollectionResponse | undefined, headers: Record<string, string> = {}): Promise<ExchangeRestoreSession[]> {
  const items: ExchangeRestoreSession[] = []
  if (first === undefined) return items
  const page: PageCollection<ExchangeRestoreSession> = {
    value: first.value ?? [],
    ...(typeof first.odataNextLink === 'string' ? { odataNextLink: first.odataNextLink } : {})
  }
  const options = { headers: new Headers(Object.entries(headers).map(([name, value]) => [name, new Set([value])])) }
  const iterator = new PageIterator<ExchangeRestoreSession>(adapter, page, (item) => { items.push(item); return true }, pageFactory, errorMappings, options)
  await iterator.iterate()
  return items
}

async function list (adapter: GraphBetaRequestAdapter, info: RequestInformation): Promise<ExchangeRestoreSessionCollectionResponse | undefined> {
  return await adapter.send<ExchangeRestoreSessionCollectionResponse>(info, createExchangeRestoreSessionCollectionResponseFromDiscriminatorValue, errorMappings)
}

export async function kiotaScenarios (origin: string): Promise<KiotaSummary> {
  const adapter = kiotaAdapter(origin)
  const first = await list(adapter, request(LIST, {
    top: TOP,
    filter: LISTED_FILTER,
    select: ['id', 'status', 'restoreJobType', 'createdDateTime', 'createdBy'],
    orderby: ['createdDateTime desc'],
    count: true
  }))
  const listed = await collect(adapter, first)
  // A header the next pages need too goes to PageIterator as well: a nextLink carries only the query.
  const prefer = { Prefer: 'include-unknown-enum-members' }
  const failed = await collect(adapter, await list(adapter, request(LIST, { filter: "status eq 'failed'" }, prefer)), prefer)

  const entityInfo = request(ENTITY)
  entityInfo.pathParameters['id'] = failedSession.id
  const entity = await adapter.send<ExchangeRestoreSession>(entityInfo, createExchangeRestoreSessionFromDiscriminatorValue, errorMappings)
  const missing = request(ENTITY)
  missing.pathParameters['id'] = MISSING_ID

  return {
    firstPage: {
      count: first?.odataCount,
      size: first?.value?.length ?? 0,
      nextLinkOrigin: typeof first?.odataNextLink === 'string' ? new URL(first.odataNextLink).origin : null
    },
    listed: listed.map(summary),
    failedShown: failed.map((session) => session.status),
    entity: {
      ...summary(entity ?? {}),
      completedDateTime: dateText(entity?.completedDateTime),
      errorCode: entity?.errorEscaped?.code,
      artifactTotal: entity?.restoreSessionArtifactCount?.total
    },
    count: await adapter.sendPrimitive<number>(request(COUNT, { filter: "status eq 'failed'" }), 'number', errorMappings),
    badFilter: await odataError(adapter, request(LIST, { filter: 'nope eq 1' })),
    notFound: await odataError(adapter, missing),
    rejectedToken: await odataError(kiotaAdapter(origin, REJECTED_TOKEN), request(LIST))
  }
}
