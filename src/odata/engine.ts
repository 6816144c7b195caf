// The query engine: prepare() parses and binds a raw query string once (cached per kind and text);
// execute() filters, orders, pages and returns the page's rows. A first page (without $count) reads
// only as far as it needs: the rows in store order, or, when ordered, a sorted permutation of the
// rows computed once per frozen rows array and $orderby, stopping once the page is full. An order that
// cannot be precomputed picks the page by top-k selection rather than a full sort. The filtered (and,
// from the second page on, fully ordered) row indexes are cached per rows array and query, so each
// page that follows a skip token costs a slice of that snapshot: no re-scan, no re-sort.
import { badRequest } from '../errors.js'
import { bindFilter, bindOrderBy } from './binder.js'
import { readsRowOnly } from './bound.js'
import { compile, type EvalContext, type Evaluator, type Row } from './compiler.js'
import { parseExpand, type ExpandItem } from './expand.js'
import { Lru } from './lru.js'
import { filterPrefix, messages } from './messages.js'
import type { EntityModel } from './model.js'
import { checkFormat, countFlag, nonNegativeInteger, pageSize } from './options.js'
import { compileOrderBy, firstK, indexComparator, type SortPlan } from './order.js'
import { parseFilter, parseOrderBy } from './parser.js'
import { parseQueryString, type SystemOption } from './query-string.js'
import { parseSelect, type SelectPlan } from './select.js'
import type { QuerySettings } from './settings.js'
import { skipTokenCodec } from './skip-token.js'
import { instantFromMs } from './temporal.js'

export type RequestKind = 'collection' | 'entity' | 'count'

export interface PreparedQuery {
  readonly kind: RequestKind
  /** undefined = all properties */
  readonly select: SelectPlan | undefined
  /** $count=true */
  readonly count: boolean
  /** The original options, still percent-encoded, without $skiptoken, joined by '&' (may be ''). */
  readonly nextLinkQuery: string
  /** The page size in effect ($top clamped, the preferred one, or the default). */
  readonly pageSize: number
  /** The page size came from a preference (or a token that carried one), not from $top or the default. */
  readonly preferredPageSize: number | undefined
  /** Where the page starts: $skip, or the offset carried by $skiptoken. */
  readonly offset: number
  /** The navigation properties to expand, with their nested $select. */
  readonly expand: readonly ExpandItem[]
}

export interface QueryPage<Row> {
  readonly rows: readonly Row[]
  readonly count?: number
  readonly skipToken?: string
}

export interface QueryEngine<R> {
  /**
   * Parse + bind the raw (undecoded, without '?') query string. Throws GraphError 400. Cached per
   * (kind, raw, preferred page size). `preferredPageSize` is `Prefer: odata.maxpagesize`: the page size
   * when there is no $top (clamped to the maximum), carried on in the skip tokens it leads to.
   */
  prepare: (rawQuery: string, kind: RequestKind, preferredPageSize?: number) => PreparedQuery
  /** Run over the rows (the store's order). Pure; rows are never mutated. */
  /** `now`: the instant now() stands for (epoch ms); default the settings' clock. */
  execute: (prepared: PreparedQuery, rows: readonly R[], now?: number) => QueryPage<R>
  /**
   * Whether executing the query again over the same rows gives the same page: a first page (no skip
   * token) whose $filter and $orderby read the rows alone (no `now()`), over a frozen rows array.
   * Only then may a caller keep the response it built.
   */
  repeatable: (prepared: PreparedQuery, rows: readonly R[]) => boolean
}

interface Plan {
  readonly filter: Evaluator | undefined
  readonly sort: SortPlan | undefined
  /** The $orderby text, the key of its sorted permutation. */
  readonly orderText: string
  /** Identifies the filtered + ordered result (not the page). */
  readonly resultKey: string
  /** Identifies the whole request for skip tokens. */
  readonly canonical: string
  readonly fromToken: boolean
  /** See QueryEngine.repeatable (less the frozen rows). */
  readonly repeatable: boolean
  /** The skip token last issued for this query: a repeated request gets the same one, unsigned again. */
  token: { readonly end: number, readonly text: string, readonly preferred: number | undefined } | undefined
}

interface CachedResult {
  readonly length: number
  readonly matches: readonly number[]
  ordered: readonly number[] | undefined
}

/** Options that make no sense on a single entity: ASP.NET OData rejects them there. */
const collectionOnly: readonly SystemOption[] = ['filter', 'orderby', 'count', 'skip', 'top']

export function createQueryEngine<R extends object> (model: EntityModel, settings: QuerySettings): QueryEngine<R> {
  const prepared = new Lru<string, PreparedQuery>(512)
  const filters = new Lru<string, { readonly evaluate: Evaluator, readonly stable: boolean }>(256)
  const orders = new Lru<string, SortPlan>(256)
  const plans = new WeakMap<PreparedQuery, Plan>()
  const results = new WeakMap<readonly object[], Lru<string, CachedResult>>()
  const sortedOrders = new WeakMap<readonly object[], Lru<string, Int32Array>>()
  const tokens = skipTokenCodec(settings.skipTokenSecret)
  const parseOptions = (prefix: string) => ({
    maxDepth: settings.maxExpressionDepth,
    fail: (message: string) => badRequest(prefix + message)
  })

  function compileFilter (text: string): { readonly evaluate: Evaluator, readonly stable: boolean } {
    let compiled = filters.get(text)
    if (compiled === undefined) {
      if (text.length > settings.maxFilterLength) throw badRequest(messages.expressionTooLong('$filter', text.length, settings.maxFilterLength))
      const bound = bindFilter(parseFilter(text, parseOptions(filterPrefix)), model)
      compiled = { evaluate: compile(bound), stable: readsRowOnly(bound) }
      filters.set(text, compiled)
    }
    return compiled
  }

  function compileSort (text: string): SortPlan {
    let plan = orders.get(text)
    if (plan === undefined) {
      if (text.length > settings.maxFilterLength) throw badRequest(messages.expressionTooLong('$orderby', text.length, settings.maxFilterLength))
      plan = compileOrderBy(bindOrderBy(parseOrderBy(text, parseOptions('')), model), model.keyProperty)
      orders.set(text, plan)
    }
    return plan
  }

  function prepare (rawQuery: string, kind: RequestKind, preferredPageSize?: number): PreparedQuery {
    const cacheKey = `${kind}\n${preferredPageSize ?? ''}\n${rawQuery}`
    const cached = prepared.get(cacheKey)
    if (cached !== undefined) return cached
    const { options, passThrough } = parseQueryString(rawQuery, settings)
    if (kind === 'entity' && collectionOnly.some((option) => options.has(option))) throw badRequest(messages.notACollectionResource())
    checkFormat(options.get('format'))
    if (options.has('search')) throw badRequest(messages.optionNotAllowed('Search'))
    const expandText = options.get('expand')
    const expand = expandText === undefined || kind === 'count' ? [] : parseExpand(expandText, model)
    const selectText = options.get('select')
    const select = selectText === undefined ? undefined : parseSelect(selectText, model, settings.maxSelectItems)
    const filterText = options.get('filter')
    const filter = filterText === undefined ? undefined : compileFilter(filterText)
    const orderText = options.get('orderby')
    const sort = orderText === undefined || orderText.trim() === '' ? undefined : compileSort(orderText)
    let preferred = options.get('top') === undefined && preferredPageSize !== undefined ? Math.min(preferredPageSize, settings.maxPageSize) : undefined
    let size = preferred ?? pageSize(options.get('top'), settings)
    const skipText = options.get('skip')
    const skip = skipText === undefined ? 0 : nonNegativeInteger('skip', skipText)
    const count = countFlag(options.get('count'))
    const canonical = canonicalQuery(kind, options)
    let offset = skip
    const token = options.get('skiptoken')
    if (token !== undefined && kind === 'collection') {
      const decoded = tokens.decodeWithSize(token, canonical)
      if (decoded === undefined) throw badRequest(messages.invalidSkipToken())
      offset = decoded.offset
      // A client following a nextLink does not resend Prefer: the token carries the page size on.
      if (decoded.pageSize !== undefined && options.get('top') === undefined) {
        preferred = Math.min(decoded.pageSize, settings.maxPageSize)
        size = preferred
      }
    }
    const query: PreparedQuery = Object.freeze({
      kind,
      // The count request answers a number: $select is checked above but has nothing to shape.
      select: kind === 'count' ? undefined : select,
      count,
      nextLinkQuery: passThrough.join('&'),
      pageSize: size,
      preferredPageSize: preferred,
      offset,
      expand
    })
    plans.set(query, {
      filter: filter?.evaluate,
      sort: kind === 'collection' ? sort : undefined,
      orderText: orderText ?? '',
      resultKey: `${filterText ?? ''}\n${kind === 'collection' ? orderText ?? '' : ''}`,
      canonical,
      fromToken: token !== undefined,
      repeatable: token === undefined && (filter?.stable ?? true) && (sort?.stable ?? true),
      token: undefined
    })
    prepared.set(cacheKey, query)
    return query
  }

  /**
   * Every row index of a frozen rows array in `$orderby` order, sorted once and cached; undefined when
   * the order cannot be precomputed (it reads `now()`, or the rows may change).
   */
  function presorted (plan: Plan, rows: readonly Row[], context: EvalContext): Int32Array | undefined {
    const sort = plan.sort
    if (sort === undefined || !sort.stable || !Object.isFrozen(rows)) return undefined
    let perRows = sortedOrders.get(rows)
    if (perRows === undefined) {
      perRows = new Lru<string, Int32Array>(16)
      sortedOrders.set(rows, perRows)
    }
    let order = perRows.get(plan.orderText)
    if (order === undefined) {
      const all = new Int32Array(rows.length)
      for (let i = 0; i < all.length; i++) all[i] = i
      order = all.sort(indexComparator(sort, rows, all, context))
      perRows.set(plan.orderText, order)
    }
    return order
  }

  function matchesOf (plan: Plan, rows: readonly R[], context: EvalContext): CachedResult {
    let perRows = results.get(rows)
    if (perRows === undefined) {
      perRows = new Lru<string, CachedResult>(64)
      results.set(rows, perRows)
    }
    // A first page always reads the rows afresh (they may have changed in place); the pages that
    // follow its skip token read the snapshot it left, so paging is linear and consistent.
    const hit = plan.fromToken ? perRows.get(plan.resultKey) : undefined
    if (hit !== undefined && hit.length === rows.length) return hit
    const data = rows as readonly Row[]
    const order = presorted(plan, data, context)
    const matches = collect(plan.filter, data, order, data.length, context)
    const ordered = plan.sort === undefined || order !== undefined ? matches : undefined
    const result: CachedResult = { length: rows.length, matches, ordered }
    perRows.set(plan.resultKey, result)
    return result
  }

  function tokenFor (plan: Plan, end: number, preferred: number | undefined): string {
    if (plan.token?.end === end && plan.token.preferred === preferred) return plan.token.text
    const text = tokens.encode(end, plan.canonical, preferred)
    plan.token = { end, text, preferred }
    return text
  }

  /** A first page without $count: only the rows up to one past the page, to know whether more follow. */
  function firstPage (plan: Plan, query: PreparedQuery, rows: readonly R[], context: EvalContext): QueryPage<R> | undefined {
    const data = rows as readonly Row[]
    const order = plan.sort === undefined ? undefined : presorted(plan, data, context)
    if (plan.sort !== undefined && order === undefined) return undefined
    const start = query.offset
    const end = start + query.pageSize
    const found = collect(plan.filter, data, order, end + 1, context)
    if (query.pageSize === 0 || start >= found.length) return { rows: [] }
    const page = found.slice(start, end).map((index) => rows[index] as R)
    return found.length > end ? { rows: page, skipToken: tokenFor(plan, end, query.preferredPageSize) } : { rows: page }
  }

  function execute (query: PreparedQuery, rows: readonly R[], now?: number): QueryPage<R> {
    const plan = plans.get(query)
    if (plan === undefined) throw new TypeError('execute() needs a query prepared by this engine')
    const context: EvalContext = { vars: [], now: instantFromMs(now ?? settings.now?.() ?? Date.now()) }
    if (query.kind === 'collection' && !query.count && !plan.fromToken) {
      const page = firstPage(plan, query, rows, context)
      if (page !== undefined) return page
    }
    const result = matchesOf(plan, rows, context)
    const total = result.matches.length
    if (query.kind === 'count') return { rows: [], count: total }
    const withCount = query.count ? { count: total } : {}
    const start = query.offset
    const end = Math.min(start + query.pageSize, total)
    if (query.pageSize === 0 || start >= total) return { rows: [], ...withCount }
    const indexes = pageIndexes(plan, result, rows as readonly Row[], start, end, context)
    const page = indexes.map((index) => rows[index] as R)
    return end < total ? { rows: page, ...withCount, skipToken: tokenFor(plan, end, query.preferredPageSize) } : { rows: page, ...withCount }
  }

  function repeatable (query: PreparedQuery, rows: readonly R[]): boolean {
    return plans.get(query)?.repeatable === true && Object.isFrozen(rows)
  }

  return { prepare, execute, repeatable }
}

/** The indexes of the first `limit` rows that pass the filter, read in store order or in `order`. */
function collect (filter: Evaluator | undefined, rows: readonly Row[], order: Int32Array | undefined, limit: number, context: EvalContext): number[] {
  const found: number[] = []
  const length = rows.length
  for (let k = 0; k < length && found.length < limit; k++) {
    const index = order === undefined ? k : order[k] ?? k
    if (filter === undefined || filter(rows[index] as Row, context) === true) found.push(index)
  }
  return found
}

/** The page's row indexes: from the cached order, by top-k on a first page, or by a full (cached) sort. */
function pageIndexes (plan: Plan, result: CachedResult, rows: readonly Row[], start: number, end: number, context: EvalContext): readonly number[] {
  if (result.ordered !== undefined) return result.ordered.slice(start, end)
  const sort = plan.sort
  if (sort === undefined) return result.matches.slice(start, end)
  const compare = indexComparator(sort, rows, result.matches, context)
  if (!plan.fromToken && end * 4 < result.matches.length) return firstK(result.matches, end, compare).slice(start, end)
  const ordered = [...result.matches].sort(compare)
  result.ordered = ordered
  return ordered.slice(start, end)
}

/** The request's identity for skip tokens: its kind and every system option but $skiptoken, in a fixed order. */
function canonicalQuery (kind: RequestKind, options: ReadonlyMap<SystemOption, string>): string {
  const parts: string[] = [kind]
  for (const name of [...options.keys()].sort()) {
    if (name !== 'skiptoken') parts.push(`${name}=${options.get(name) ?? ''}`)
  }
  return parts.join('\n')
}
