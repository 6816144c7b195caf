// Side-by-side throughput: autocannon (in this process) drives the reference and the mock in short
// alternating windows (A B B A A B …), so that drift of a noisy shared machine falls on both sides.

import autocannon from 'autocannon'

export interface Target {
  readonly url: string
  readonly headers: Record<string, string>
  /** `[<id>]` in the URL becomes a unique id per request (a distinct URL each time). */
  readonly unique?: boolean
  /**
   * The path and query of each request in turn, instead of the URL's (its origin is kept). Stateful:
   * the sequence goes on from window to window, so that no request comes back; each side of a
   * comparison gets a sequence of its own made the same way.
   */
  readonly next?: () => string
}

export interface LoadSettings {
  readonly connections: number
  /** Seconds per measured window. */
  readonly window: number
  /** Windows per side. */
  readonly rounds: number
  /** Seconds of unmeasured load on each side first (JIT warm-up). */
  readonly warmup: number
}

export interface Window {
  readonly side: 'reference' | 'mock'
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
}

export interface Comparison {
  readonly reference: Summary
  readonly mock: Summary
  /** mock ÷ reference, from the summed requests and seconds of every window of each side. */
  readonly ratio: number
  /** The ratio of each round (one window per side), to show the spread. */
  readonly roundRatios: readonly number[]
  readonly windows: readonly Window[]
}

export interface Summary {
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
}

export async function measure (target: Target, settings: LoadSettings, seconds: number): Promise<{ requests: number, seconds: number, p50: number, p99: number }> {
  const next = target.next
  const requests = next === undefined ? undefined : [{ method: 'GET', setupRequest: (request: { path: string }) => ({ ...request, path: next() }) }]
  const result = await autocannon({
    url: target.url,
    headers: target.headers,
    connections: settings.connections,
    duration: seconds,
    idReplacement: target.unique === true,
    ...(requests === undefined ? {} : { requests })
  })
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
    throw new Error(`${target.url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`)
  }
  return { requests: result.requests.total, seconds: result.duration, p50: result.latency.p50, p99: result.latency.p99 }
}

function median (values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle] ?? 0 : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

export async function compare (reference: Target, mock: Target, settings: LoadSettings): Promise<Comparison> {
  await measure(reference, settings, settings.warmup)
  await measure(mock, settings, settings.warmup)
  const windows: Window[] = []
  const totals = { reference: { requests: 0, seconds: 0 }, mock: { requests: 0, seconds: 0 } }
  const roundRatios: number[] = []
  for (let round = 0; round < settings.rounds; round++) {
    // ABBA: the side that goes second in one round goes first in the next.
    const order: Array<'reference' | 'mock'> = round % 2 === 0 ? ['reference', 'mock'] : ['mock', 'reference']
    const rates: Record<string, number> = {}
    for (const side of order) {
      const figures = await measure(side === 'reference' ? reference : mock, settings, settings.window)
      totals[side].requests += figures.requests
      totals[side].seconds += figures.seconds
      rates[side] = figures.requests / figures.seconds
      windows.push({ side, requestsPerSecond: figures.requests / figures.seconds, p50Ms: figures.p50, p99Ms: figures.p99 })
    }
    roundRatios.push((rates['mock'] ?? 0) / (rates['reference'] ?? 1))
  }
  const summary = (side: 'reference' | 'mock'): Summary => {
    const own = windows.filter((w) => w.side === side)
    return {
      requestsPerSecond: totals[side].requests / totals[side].seconds,
      p50Ms: median(own.map((w) => w.p50Ms)),
      p99Ms: median(own.map((w) => w.p99Ms))
    }
  }
  const ref = summary('reference')
  const own = summary('mock')
  return { reference: ref, mock: own, ratio: own.requestsPerSecond / ref.requestsPerSecond, roundRatios, windows }
}

export { median }
