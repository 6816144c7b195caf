// $orderby: each key is evaluated once per matching row into a column of plain numbers or strings
// (enums by member position, booleans as 0/1, DateTimeOffsets as epoch milliseconds, or as a sortable
// UTC text when a column holds sub-millisecond fractions), then rows are compared column by column.
// Nulls sort first ascending and last descending. Ties are broken by the key property (`id`), then by
// the store's order, so the order is total and stable across requests.
import type { BoundOrderBy } from './binder.js'
import { boundType, readsRowOnly } from './bound.js'
import { compile, type EvalContext, type Evaluator, type Row } from './compiler.js'
import type { BoundType } from './bound.js'
import { instantSortKey, type Instant } from './temporal.js'

type Key = number | string | null

interface SortKey {
  readonly evaluate: Evaluator
  readonly normalize: (value: unknown) => Key
  readonly instant: boolean
  readonly direction: 1 | -1
}

export interface SortPlan {
  readonly keys: readonly SortKey[]
  readonly keyProperty: string
  /**
   * The order depends on the rows alone (no `now()`), so one sorted
   * permutation of a frozen rows array serves every request.
   */
  readonly stable: boolean
}

export function compileOrderBy (items: readonly BoundOrderBy[], keyProperty: string): SortPlan {
  return {
    keyProperty,
    stable: items.every((item) => readsRowOnly(item.expr)),
    keys: items.map((item) => {
      const type = boundType(item.expr)
      return {
        evaluate: compile(item.expr),
        normalize: normalizer(type),
        instant: type.kind === 'primitive' && type.name === 'Edm.DateTimeOffset',
        direction: item.direction === 'desc' ? -1 : 1
      }
    })
  }
}

function normalizer (type: BoundType): (value: unknown) => Key {
  if (type.kind === 'enum') {
    const positions = type.positions
    return (value) => typeof value === 'string' ? positions.get(value) ?? -1 : null
  }
  if (type.kind === 'primitive' && type.name === 'Edm.DateTimeOffset') {
    return (value) => value === null ? null : (value as Instant).ms
  }
  return (value) => {
    if (typeof value === 'boolean') return value ? 1 : 0
    return typeof value === 'number' || typeof value === 'string' ? value : null
  }
}

/** A comparator over row indexes, with the key columns computed for `indexes`. */
export function indexComparator (plan: SortPlan, rows: readonly Row[], indexes: ArrayLike<number>, context: EvalContext): (a: number, b: number) => number {
  const columns = plan.keys.map((key) => column(key, rows, indexes, context))
  const directions = plan.keys.map((key) => key.direction)
  const count = columns.length
  const keyProperty = plan.keyProperty
  return (a, b) => {
    for (let k = 0; k < count; k++) {
      const col = columns[k] as Key[]
      const va = col[a] ?? null
      const vb = col[b] ?? null
      if (va !== vb) {
        const direction = directions[k] ?? 1
        if (va === null) return -direction
        if (vb === null) return direction
        return va < vb ? -direction : direction
      }
    }
    const ia = rows[a]?.[keyProperty]
    const ib = rows[b]?.[keyProperty]
    if (ia !== ib && typeof ia === 'string' && typeof ib === 'string') return ia < ib ? -1 : 1
    return a - b
  }
}

function column (key: SortKey, rows: readonly Row[], indexes: ArrayLike<number>, context: EvalContext): Key[] {
  const values: Key[] = new Array<Key>(rows.length)
  let fractional = false
  for (let i = 0; i < indexes.length; i++) {
    const index = indexes[i] ?? 0
    const value = key.evaluate(rows[index] ?? {}, context)
    if (key.instant && value !== null && (value as Instant).sub !== 0) fractional = true
    values[index] = key.normalize(value)
  }
  if (fractional) {
    for (let i = 0; i < indexes.length; i++) {
      const index = indexes[i] ?? 0
      const value = key.evaluate(rows[index] ?? {}, context)
      values[index] = value === null ? null : instantSortKey(value as Instant)
    }
  }
  return values
}

/** The first `k` of `indexes` in comparator order: a bounded heap when k is small, else a full sort. */
export function firstK (indexes: readonly number[], k: number, compare: (a: number, b: number) => number): number[] {
  if (k <= 0) return []
  if (k * 4 >= indexes.length) return [...indexes].sort(compare).slice(0, k)
  // Max-heap of the k best so far: the root is the worst of them.
  const heap: number[] = []
  const worse = (i: number, j: number): boolean => compare(heap[i] ?? 0, heap[j] ?? 0) > 0
  const swap = (i: number, j: number): void => {
    const t = heap[i] ?? 0
    heap[i] = heap[j] ?? 0
    heap[j] = t
  }
  for (const index of indexes) {
    if (heap.length < k) {
      heap.push(index)
      let child = heap.length - 1
      while (child > 0) {
        const parent = (child - 1) >> 1
        if (!worse(child, parent)) break
        swap(child, parent)
        child = parent
      }
    } else if (compare(index, heap[0] ?? 0) < 0) {
      heap[0] = index
      let parent = 0
      for (;;) {
        const left = parent * 2 + 1
        const right = left + 1
        let largest = parent
        if (left < k && worse(left, largest)) largest = left
        if (right < k && worse(right, largest)) largest = right
        if (largest === parent) break
        swap(parent, largest)
        parent = largest
      }
    }
  }
  return heap.sort(compare)
}
