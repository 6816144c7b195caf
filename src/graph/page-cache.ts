// Responses kept as bytes: a repeated request for the same first page (a test suite's or a load
// test's bread and butter) is answered with the bytes built before, as a server sending a
// pre-serialized body would. A page is kept from its second request on, so one-off URLs cost nothing
// (no copy, no churn); bounded by bytes, least recently used out first. The caller decides what may
// be kept (see QueryEngine.repeatable) and what the key must hold. Pure.

/** Bytes of responses kept by default. */
export const DEFAULT_PAGE_CACHE_BYTES = 4 * 1024 * 1024

/** Larger responses are never kept: they would push out many small ones. */
export const MAX_CACHED_PAGE_BYTES = 256 * 1024

interface Entry {
  /** The rows the page was built from; another rows array makes the entry stale. */
  readonly source: object
  readonly body: Buffer
}

/** Keys remembered as requested once, waiting for a second request. */
const SEEN_LIMIT = 4096

export class PageCache {
  private readonly entries = new Map<string, Entry>()
  private readonly seen = new Set<string>()
  private bytes = 0

  constructor (private readonly budget: number = DEFAULT_PAGE_CACHE_BYTES) {}

  /** Whether a page for `key` is worth keeping: true from the key's second request on. */
  admit (key: string): boolean {
    if (this.budget <= 0) return false
    if (this.seen.has(key)) return true
    if (this.seen.size >= SEEN_LIMIT) this.seen.clear()
    this.seen.add(key)
    return false
  }

  /** The body kept for `key`, when it was built from `source`. */
  get (key: string, source: object): Buffer | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined || entry.source !== source) return undefined
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.body
  }

  set (key: string, source: object, body: Buffer): void {
    if (body.length > MAX_CACHED_PAGE_BYTES || body.length > this.budget) return
    const old = this.entries.get(key)
    if (old !== undefined) {
      this.entries.delete(key)
      this.bytes -= old.body.length
    }
    this.entries.set(key, { source, body })
    this.bytes += body.length
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.budget) break
      this.entries.delete(oldest)
      this.bytes -= entry.body.length
    }
  }

  get size (): number {
    return this.entries.size
  }
}
