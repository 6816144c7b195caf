// Graph-like throttling: a budget of requests per window (one Throttle per namespace); past it, a 429
// with Retry-After. A client that comes back before its Retry-After has passed gets another 429, and
// the result says it was an early retry, so a test can assert that its client honours Retry-After.
// Pure: no HTTP framework import, no timers; time is passed in.
//
// Choices:
//  - A fixed window that starts with the first request after the previous one ended (not aligned to
//    the clock), so a test's first `limit` requests always pass, however the test is timed.
//  - The first request over the budget gets Retry-After = the seconds left in the window, rounded
//    up (at least 1). Until that Retry-After has passed, every request is refused as an early retry
//    with Retry-After = the time still left, rounded up; an early retry does not extend the wait.
//    Once it has passed, a new window starts with the next request.
//  - Rate-limit headers: Graph sends `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`
//    (IETF draft-03 names; Reset in seconds) for SharePoint and OneDrive resources once an app has
//    used 80% of its budget, not on every answer. The mock does the same: the three headers (lower
//    case, like its other headers) on answers from 80% of the budget on, and on every 429.
//  - `now` should be real time (Date.now or a monotonic clock), not a manual mock clock: a client
//    waits Retry-After in real time, and would never see a manual clock move.

import { parseDuration } from '../clock.js'
import { throttledError } from './faults.js'
import type { GraphError } from '../errors.js'

export interface ThrottleOptions {
  /** Requests allowed per window, 1 or more. */
  limit: number
  /** The window's length in milliseconds, 1 or more. */
  windowMs: number
}

export type ThrottleHeaders = Readonly<Record<string, string>>

export type ThrottleResult =
  | { readonly allowed: true, readonly headers: ThrottleHeaders }
  | { readonly allowed: false, readonly retryAfterSeconds: number, readonly headers: ThrottleHeaders, readonly earlyRetry: boolean }

/** From this share of the budget used, answers carry the rate-limit headers. */
export const RATE_LIMIT_HEADERS_FROM = 0.8

export class Throttle {
  readonly limit: number
  readonly windowMs: number
  #windowStart = -Infinity
  #used = 0
  /** Until when refused requests are early retries (the instant the last Retry-After pointed to). */
  #blockedUntil = -Infinity

  constructor (options: ThrottleOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError(`limit must be a whole number of 1 or more, not ${String(options.limit)}`)
    if (!Number.isInteger(options.windowMs) || options.windowMs < 1) throw new RangeError(`windowMs must be a whole number of 1 or more, not ${String(options.windowMs)}`)
    this.limit = options.limit
    this.windowMs = options.windowMs
  }

  /** Counts one request at `now` (ms) against the budget. */
  take (now: number): ThrottleResult {
    if (now < this.#blockedUntil) {
      const retryAfterSeconds = Math.max(1, Math.ceil((this.#blockedUntil - now) / 1000))
      return { allowed: false, retryAfterSeconds, headers: this.headers(0, retryAfterSeconds, true), earlyRetry: true }
    }
    if (now >= this.#windowStart + this.windowMs || now < this.#windowStart) {
      this.#windowStart = now
      this.#used = 0
    }
    const resetSeconds = Math.max(1, Math.ceil((this.#windowStart + this.windowMs - now) / 1000))
    if (this.#used < this.limit) {
      this.#used++
      const show = this.#used >= this.limit * RATE_LIMIT_HEADERS_FROM
      return { allowed: true, headers: show ? this.headers(this.limit - this.#used, resetSeconds, false) : {} }
    }
    this.#blockedUntil = now + resetSeconds * 1000
    return { allowed: false, retryAfterSeconds: resetSeconds, headers: this.headers(0, resetSeconds, true), earlyRetry: false }
  }

  /** A fresh budget, no wait pending. */
  reset (): void {
    this.#windowStart = -Infinity
    this.#used = 0
    this.#blockedUntil = -Infinity
  }

  private headers (remaining: number, resetSeconds: number, refused: boolean): ThrottleHeaders {
    return {
      ...(refused ? { 'retry-after': String(resetSeconds) } : {}),
      'ratelimit-limit': String(this.limit),
      'ratelimit-remaining': String(remaining),
      'ratelimit-reset': String(resetSeconds)
    }
  }
}

/** The 429 a refused request is answered with: Graph's throttled body, Retry-After and the rate-limit headers. */
export function throttleError (result: Extract<ThrottleResult, { allowed: false }>): GraphError {
  return throttledError(result.retryAfterSeconds, result.headers)
}

/** The settings the throttling reads (proposed: THROTTLE_LIMIT, 0 = off; THROTTLE_WINDOW, ms or ISO 8601). */
export interface ThrottleSettings {
  throttleLimit: number
  throttleWindow: string | number
}

export const DEFAULT_THROTTLE_WINDOW = 'PT10S'

/** The options of a namespace's Throttle, or undefined when throttling is off (limit 0). Throws ClockError for a bad window. */
export function throttleOptionsFrom (settings: ThrottleSettings): ThrottleOptions | undefined {
  if (settings.throttleLimit === 0) return undefined
  return { limit: settings.throttleLimit, windowMs: Math.max(1, parseDuration(settings.throttleWindow)) }
}
