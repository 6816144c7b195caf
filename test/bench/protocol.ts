// What the benchmark's parent and its server children (child.ts) share: the messages over IPC and
// the two queries of scenario 2, which the mock answers through its engine and child.ts by hand.
// Each request of scenario 2 carries a $filter of its own (a bound taken from a sequence), so that
// nothing the mock keeps per filter text or per URL can answer it.

export interface MemoryFigures {
  rss: number
  heapUsed: number
  /** Settled: after a forced full collection (the children run with --expose-gc) and a 3 s pause. */
  rssSettled: number
  heapSettled: number
}

export type ChildMessage =
  | { type: 'ready', port: number }
  | { type: 'memory', memory: MemoryFigures }
  /** The answer to an `advance`: the mock's clock has moved (and run what was due), or `error` says why not. */
  | { type: 'advanced', id: number, error?: string }

/** What the parent asks a child: its memory, or (a mock) to move its clock by `ms`, as `app.clock.advance(ms)` does. */
export type ParentMessage = { type: 'memory' } | { type: 'advance', id: number, ms: number }

/**
 * Settings of a mock child beyond its fixtures folder (clockMode, restoreStep, journalLimit, …), as
 * startGraphMock takes them: JSON in this environment variable.
 */
export const MOCK_OPTIONS_ENV = 'BENCH_MOCK_OPTIONS'

/** One of scenario 2's queries: everything but the bounds of its $filter is fixed. */
export interface BoundedQuery {
  /** The entity set, under /beta/solutions/backupRestore. */
  readonly set: string
  /** The qualified type of the set's rows (each item's `@odata.type`). */
  readonly type: string
  /** The timestamp property the bounds and the order apply to. */
  readonly property: string
  readonly orderby: string
  readonly select: readonly string[]
  readonly top: number
  /** The $filter for the bounds (OData DateTimeOffset literals). */
  readonly filter: (bounds: Bounds) => string
  /** Reads the bounds back from a $filter this query wrote; undefined for any other text. */
  readonly parse: (filter: string) => Bounds | undefined
}

export interface Bounds {
  /** The lower bound (`ge`). */
  readonly from: string
  /** The upper bound (`le`), for queries that have one. */
  readonly to?: string
}

const INSTANT = '(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z)'

/** 2a: the sessions that completed with errors since a date, newest first. */
export const SESSIONS_QUERY: BoundedQuery = {
  set: 'exchangeRestoreSessions',
  type: 'microsoft.graph.exchangeRestoreSession',
  property: 'createdDateTime',
  orderby: 'createdDateTime desc',
  select: ['id', 'status', 'createdDateTime', 'createdBy'],
  top: 50,
  filter: (bounds) => `status eq 'completedWithError' and createdDateTime ge ${bounds.from}`,
  parse: (filter) => {
    const match = new RegExp(`^status eq 'completedWithError' and createdDateTime ge ${INSTANT}$`).exec(filter)
    return match?.[1] === undefined ? undefined : { from: match[1] }
  }
}

/** 2b: the newest fast-restore points since a date (the top of the order: a page fills at once). */
export const POINTS_QUERY: BoundedQuery = {
  set: 'restorePoints',
  type: 'microsoft.graph.restorePoint',
  property: 'protectionDateTime',
  orderby: 'protectionDateTime desc',
  select: ['id', 'protectionDateTime', 'expirationDateTime'],
  top: 50,
  filter: (bounds) => `protectionDateTime ge ${bounds.from} and tags eq 'fastRestore'`,
  parse: (filter) => {
    const match = new RegExp(`^protectionDateTime ge ${INSTANT} and tags eq 'fastRestore'$`).exec(filter)
    return match?.[1] === undefined ? undefined : { from: match[1] }
  }
}

/** Width of 2c's time window. */
export const POINTS_WINDOW_MS = 2 * 24 * 3600 * 1000

/**
 * 2c: a restore-point search: the fast-restore points of a two-day window, newest first. The window
 * ends anywhere in the fast-restore span, so the page starts deep in the order, not at its top.
 */
export const WINDOW_QUERY: BoundedQuery = {
  ...POINTS_QUERY,
  filter: (bounds) => `protectionDateTime ge ${bounds.from} and protectionDateTime le ${bounds.to ?? bounds.from} and tags eq 'fastRestore'`,
  parse: (filter) => {
    const match = new RegExp(`^protectionDateTime ge ${INSTANT} and protectionDateTime le ${INSTANT} and tags eq 'fastRestore'$`).exec(filter)
    return match?.[1] === undefined || match[2] === undefined ? undefined : { from: match[1], to: match[2] }
  }
}

/** The queries by the name child.ts's handwritten mode takes. */
export const QUERIES = { sessions: SESSIONS_QUERY, points: POINTS_QUERY, window: WINDOW_QUERY } as const
export type QueryName = keyof typeof QUERIES

/** The query string (undecoded, without '?') for the bounds. */
export function queryString (query: BoundedQuery, bounds: Bounds): string {
  return `$filter=${encodeURIComponent(query.filter(bounds))}&$orderby=${encodeURIComponent(query.orderby)}&$select=${query.select.join(',')}&$top=${query.top}`
}

/** An instant as an OData literal, to the second. */
export function literal (ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

/**
 * The k-th bound of a sequence over [firstMs, lastMs]: whole seconds visited in a scattered order (a
 * prime step that does not divide the span), so that consecutive requests ask for far-apart bounds
 * and no value comes back before every other second of the span has been used.
 */
export function boundAt (k: number, firstMs: number, lastMs: number): number {
  const span = Math.max(1, Math.floor((lastMs - firstMs) / 1000))
  const step = [7919, 7907, 7901].find((prime) => span % prime !== 0) ?? 1
  return firstMs + ((k * step) % span) * 1000
}
