// Browse sessions' `browse` action and its `browse(nextFetchToken='…')` continuation: the items a
// browse session holds (its `@graphMock.browseItems` annotation, by location), at the location the
// action names (the top level when none), optionally narrowed by the resource type and ordered by
// path or name, a page at a time. The continuation token carries the query and the position, signed,
// so it cannot be edited or moved to another session. Pure.

import { createHmac, timingSafeEqual } from 'node:crypto'
import { browseQueryResponseItemSchema } from '../../schemas/index.js'
import { badRequest, GraphError } from '../errors.js'
import type { OperationAnswer, OperationCall } from './operations.js'

interface BrowseItem {
  readonly itemKey?: string | null
  readonly name?: string | null
  readonly type?: string | null
  readonly [key: string]: unknown
}

interface BrowseQuery {
  readonly location: string
  readonly resourceType: string | null
  readonly filter: string | null
  readonly order: string | null
  readonly offset: number
}

const TOKEN_KEY = 'graph-mock browse tokens'
const ITEM_PROPERTIES = Object.keys(browseQueryResponseItemSchema.properties)

/** An item as Graph sends it: every property of the type, in the contract's order, null when unset. */
function shaped (item: BrowseItem): Record<string, unknown> {
  return Object.fromEntries(ITEM_PROPERTIES.map((name) => [name, item[name] ?? null]))
}
const CONTEXT = 'Collection(microsoft.graph.browseQueryResponseItem)'

function sign (payload: string, session: string): string {
  return createHmac('sha256', TOKEN_KEY).update(`${session}\n${payload}`).digest('base64url').slice(0, 16)
}

function encodeToken (query: BrowseQuery, session: string): string {
  const payload = Buffer.from(JSON.stringify([query.location, query.resourceType, query.filter, query.order, query.offset])).toString('base64url')
  return `${payload}.${sign(payload, session)}`
}

function decodeToken (token: string, session: string): BrowseQuery | undefined {
  const dot = token.lastIndexOf('.')
  if (dot < 1) return undefined
  const payload = token.slice(0, dot)
  const given = Buffer.from(token.slice(dot + 1))
  const expected = Buffer.from(sign(payload, session))
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  try {
    const [location, resourceType, filter, order, offset] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [string, string | null, string | null, string | null, number]
    return { location, resourceType, filter, order, offset }
  } catch {
    return undefined
  }
}

function itemsAt (call: OperationCall, location: string): readonly BrowseItem[] {
  if (call.target.kind !== 'entity') return []
  const byLocation = call.target.entity.annotations.get('browseItems') as Readonly<Record<string, readonly BrowseItem[]>> | undefined
  if (byLocation === undefined) return []
  const items = Object.hasOwn(byLocation, location) ? byLocation[location] : undefined
  if (items === undefined) throw new GraphError(404, 'itemNotFound', `The browse location '${location}' does not exist in this browse session.`)
  return items
}

/** `filter` narrows by the item's name: a case-insensitive substring, as a search box does. */
function answer (call: OperationCall, query: BrowseQuery): OperationAnswer {
  let items = [...itemsAt(call, query.location)]
  if (query.resourceType !== null) items = items.filter((item) => item.type === query.resourceType)
  if (query.filter !== null && query.filter !== '') {
    const needle = query.filter.toLowerCase()
    items = items.filter((item) => (item.name ?? '').toLowerCase().includes(needle))
  }
  if (query.order !== null) {
    const key = query.order.startsWith('path') ? (item: BrowseItem) => item.itemKey ?? '' : (item: BrowseItem) => item.name ?? ''
    const direction = query.order.endsWith('Dsc') ? -1 : 1
    items.sort((a, b) => (key(a) < key(b) ? -direction : key(a) > key(b) ? direction : 0))
  }
  const page = items.slice(query.offset, query.offset + call.pageSize).map(shaped)
  const session = call.target.kind === 'entity' ? String(call.target.entity.row.id) : ''
  const next = query.offset + call.pageSize < items.length
    ? `${call.base}/${call.path}/microsoft.graph.browse(nextFetchToken='${encodeURIComponent(encodeToken({ ...query, offset: query.offset + call.pageSize }, session))}')`
    : undefined
  return { status: 200, context: CONTEXT, body: { ...(next === undefined ? {} : { '@odata.nextLink': next }), value: page } }
}

function text (value: unknown): string | null {
  return typeof value === 'string' ? value : null
}

/** POST …/browseSessions/{id}/browse */
export function browse (call: OperationCall): OperationAnswer {
  return answer(call, {
    location: text(call.parameters.browseLocationItemKey) ?? '',
    resourceType: text(call.parameters.browseResourceType),
    filter: text(call.parameters.filter),
    order: text(call.parameters.orderBy),
    offset: 0
  })
}

/** GET …/browseSessions/{id}/browse(nextFetchToken='…') */
export function browseContinue (call: OperationCall): OperationAnswer {
  const token = text(call.parameters.nextFetchToken) ?? ''
  const session = call.target.kind === 'entity' ? String(call.target.entity.row.id) : ''
  const query = decodeToken(token, session)
  if (query === undefined) throw badRequest(`The nextFetchToken '${token}' is not one this browse session issued.`)
  return answer(call, query)
}
