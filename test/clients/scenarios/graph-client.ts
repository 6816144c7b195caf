// Microsoft's `@microsoft/microsoft-graph-client` (v3) against the mock, configured only with its
// documented options: list with the OData helpers, page with PageIterator, read one entity and a
// count, and fail with GraphError. Returns a plain summary the tests compare with what the data says.

import { Client, GraphError, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client'
import { failedSession, GOOD_TOKEN, LISTED_FILTER, MISSING_ID, REJECTED_TOKEN, SESSIONS_PATH, TOP } from '../data.js'

export interface GraphErrorSummary {
  name: string
  statusCode: number
  code: string | null
  message: string
}

export interface GraphClientSummary {
  firstPage: { count: unknown, size: number, keys: string[], nextLinkOrigin: string | null }
  /** Every item of the filtered set, through PageIterator: id and status. */
  listed: Array<{ id: unknown, status: unknown }>
  failedStatuses: { hidden: unknown[], shown: unknown[] }
  entity: { id: unknown, createdBy: unknown, errorCode: unknown }
  count: unknown
  badFilter: GraphErrorSummary | string
  notFound: GraphErrorSummary | string
  rejectedToken: GraphErrorSummary | string
}

export function graphClient (origin: string, token = GOOD_TOKEN): Client {
  return Client.init({
    authProvider: (done) => { done(null, token) },
    baseUrl: `${origin}/`,
    defaultVersion: 'beta',
    // The client sends the token only to the Graph hosts it knows, and to these (over https only).
    customHosts: new Set([new URL(origin).hostname])
  })
}

async function graphError (request: () => Promise<unknown>): Promise<GraphErrorSummary | string> {
  try {
    await request()
    return 'no error'
  } catch (error) {
    if (!(error instanceof GraphError)) return `not a GraphError: ${String(error)}`
    return { name: error.constructor.name, statusCode: error.statusCode, code: error.code, message: error.message }
  }
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** Every item from `first` on; `headers` go with each nextLink request (PageIterator's requestOptions). */
async function collect (client: Client, first: PageCollection, headers?: Record<string, string>): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = []
  const iterator = new PageIterator(client, first, (item: unknown) => {
    if (isRecord(item)) items.push(item)
    return true
  }, headers === undefined ? undefined : { headers })
  await iterator.iterate()
  return items
}

export async function graphClientScenarios (origin: string): Promise<GraphClientSummary> {
  const client = graphClient(origin)
  const first = await client.api(SESSIONS_PATH)
    .top(TOP)
    .filter(LISTED_FILTER)
    .select(['id', 'status', 'createdDateTime', 'createdBy'])
    .orderby('createdDateTime desc')
    .count(true)
    .get() as PageCollection
  const nextLink = first['@odata.nextLink'] as unknown
  const listed = await collect(client, first)

  const failed = (headers: Record<string, string>): Promise<PageCollection> =>
    client.api(SESSIONS_PATH).filter("status eq 'failed'").select('id,status').headers(headers).get() as Promise<PageCollection>
  const hidden = await collect(client, await failed({}))
  // A header the next pages need too goes to PageIterator as well: a nextLink carries only the query.
  const prefer = { Prefer: 'include-unknown-enum-members' }
  const shown = await collect(client, await failed(prefer), prefer)

  const entity = await client.api(`${SESSIONS_PATH}/${failedSession.id}`).get() as Record<string, unknown>
  const createdBy = isRecord(entity['createdBy']) && isRecord(entity['createdBy']['user']) ? entity['createdBy']['user']['displayName'] : undefined
  const count = await client.api(`${SESSIONS_PATH}/$count`).filter("status eq 'failed'").get() as unknown

  return {
    firstPage: {
      count: first['@odata.count'],
      size: first.value.length,
      keys: isRecord(first.value[0]) ? Object.keys(first.value[0]) : [],
      nextLinkOrigin: typeof nextLink === 'string' ? new URL(nextLink).origin : null
    },
    listed: listed.map((item) => ({ id: item['id'], status: item['status'] })),
    failedStatuses: { hidden: hidden.map((item) => item['status']), shown: shown.map((item) => item['status']) },
    entity: { id: entity['id'], createdBy, errorCode: isRecord(entity['error']) ? entity['error']['code'] : undefined },
    count,
    badFilter: await graphError(() => client.api(SESSIONS_PATH).filter('nope eq 1').get()),
    notFound: await graphError(() => client.api(`${SESSIONS_PATH}/${MISSING_ID}`).get()),
    rejectedToken: await graphError(() => graphClient(origin, REJECTED_TOKEN).api(SESSIONS_PATH).get())
  }
}
