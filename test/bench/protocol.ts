// What the benchmark's parent and its server children (child.ts) share: the messages over IPC and
// scenario 2's query.

export interface MemoryFigures {
  rss: number
  heapUsed: number
  /** Settled: after a forced full collection (the children run with --expose-gc) and a 3 s pause. */
  rssSettled: number
  heapSettled: number
}

export type ChildMessage = { type: 'ready', port: number } | { type: 'memory', memory: MemoryFigures }

/** Scenario 2's query; child.ts holds the same query written by hand. */
export const HANDWRITTEN_QUERY = {
  filter: "status eq 'completedWithError' and createdDateTime ge 2025-01-01T00:00:00Z",
  orderby: 'createdDateTime desc',
  select: 'id,status,createdDateTime,createdBy',
  top: 50
} as const

export function handwrittenQueryString (): string {
  const q = HANDWRITTEN_QUERY
  return `$filter=${encodeURIComponent(q.filter)}&$orderby=${encodeURIComponent(q.orderby)}&$select=${q.select}&$top=${q.top}`
}
