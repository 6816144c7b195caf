// The mock's clock: the only source of time for timestamps, `now()` in $filter and every status
// transition. Pure: no Fastify, no timers; real time is read through an injectable function.
//
// Modes:
//   real    now() follows real time, sped up by `speed` (simulated ms per real ms), from `start`.
//   manual  now() moves only when told: advance(ms) or set({ time }).
// In both modes advance(ms) moves time forward by ms (in real mode as an offset on top of real time).
//
// Scheduled tasks run only inside runDue(), advance() or set(): nothing runs on a timer. The server
// calls runDue() before it answers a request, so a transition that is due has happened before any
// answer that could see it. Tasks run in order of their due time, then of scheduling; each runs once.
// While a task runs, now() is its due time (so what it writes is stamped with the time it was due,
// not with the end of a jump or the moment someone polled); if a task before it ran at a later time
// (a task scheduled in the past), it runs at that later time instead, so time seen by tasks never
// goes backwards. Outside tasks, now() never goes backwards either, even if real time does.
//
// The scheduler is a binary heap: scheduling, cancelling and running a task cost O(log n).

export type ClockMode = 'real' | 'manual'

export const clockModes = ['real', 'manual'] as const

export interface ClockState {
  mode: ClockMode
  speed: number
  /** ISO 8601, in UTC with milliseconds. */
  now: string
  /** How many tasks are scheduled and have not run. */
  pending: number
}

export interface ClockOptions {
  /** Default real. */
  mode?: ClockMode
  /** Real mode: simulated milliseconds per real millisecond; default 1. Kept in manual mode for a switch back. */
  speed?: number
  /** Epoch milliseconds the clock starts at; default: the real time at creation. */
  start?: number
  /** Real time in epoch milliseconds; default Date.now. */
  realNow?: () => number
  /**
   * Called with each error a task throws, after which the other due tasks still run. Without it,
   * the errors are collected and thrown once every due task has run (and, for advance and set, once
   * time has reached its target): the error itself when there is one, else an AggregateError.
   */
  onError?: (error: unknown, task: ScheduledTask) => void
}

export interface ScheduledTask {
  /** Epoch milliseconds the task is due at. */
  readonly at: number
  readonly label: string
}

export class ClockError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ClockError'
  }
}

/** The latest instant a JavaScript Date can hold. */
const MAX_TIME = 8.64e15

interface Entry {
  readonly handle: ScheduledTask
  readonly at: number
  readonly seq: number
  readonly run: (at: number) => void
  /** Position in the heap; -1 once removed. */
  index: number
}

export class Clock {
  #mode: ClockMode
  #speed: number
  readonly #realNow: () => number
  readonly #onError: ((error: unknown, task: ScheduledTask) => void) | undefined
  /** Simulated time at #realBase (real mode), or the time itself (manual mode). */
  #base: number
  #realBase: number
  /** The latest time now() returned outside a task: now() never goes below it. */
  #highWater: number
  /** The time the latest task ran at: no task runs at an earlier one. */
  #taskFloor = -Infinity
  /** now() while a task runs. */
  #pinned: number | undefined
  #draining = false
  #seq = 0
  readonly #heap: Entry[] = []
  readonly #entries = new Map<ScheduledTask, Entry>()
  #comparisons = 0

  readonly #initial: { mode: ClockMode, speed: number, start: number | undefined }

  constructor (options: ClockOptions = {}) {
    this.#initial = { mode: checkMode(options.mode ?? 'real'), speed: checkSpeed(options.speed ?? 1), start: options.start }
    this.#mode = checkMode(options.mode ?? 'real')
    this.#speed = checkSpeed(options.speed ?? 1)
    this.#realNow = options.realNow ?? Date.now
    this.#onError = options.onError
    this.#realBase = this.#realNow()
    const start = options.start ?? this.#realBase
    if (!Number.isFinite(start) || Math.abs(start) > MAX_TIME) throw new ClockError(`the clock's start must be epoch milliseconds within the range of a date, got ${String(start)}`)
    this.#base = Math.floor(start)
    this.#highWater = this.#base
  }

  /**
   * Back to how the clock was made: its mode, speed and start (or, without a start, the real time
   * now), with no task scheduled. The one way the clock goes back; a test's reset asks for it.
   */
  reset (): void {
    if (this.#draining) throw new ClockError('the clock cannot be reset from inside a scheduled task')
    this.#mode = this.#initial.mode
    this.#speed = this.#initial.speed
    this.#realBase = this.#realNow()
    this.#base = Math.floor(this.#initial.start ?? this.#realBase)
    this.#highWater = this.#base
    this.#taskFloor = -Infinity
    this.#heap.length = 0
    this.#entries.clear()
  }

  /** Drops every task not run yet (their data is gone); time stays where it is. */
  cancelAll (): void {
    if (this.#draining) throw new ClockError('the clock\'s tasks cannot be dropped from inside a scheduled task')
    for (const entry of this.#heap) entry.index = -1
    this.#heap.length = 0
    this.#entries.clear()
  }

  /** Simulated epoch milliseconds (whole). */
  now (): number {
    if (this.#pinned !== undefined) return this.#pinned
    const now = Math.max(this.#computed(), this.#highWater)
    this.#highWater = now
    return now
  }

  get mode (): ClockMode {
    return this.#mode
  }

  get speed (): number {
    return this.#speed
  }

  /** How many heap comparisons the scheduler has made: for tests of its cost. */
  get heapComparisons (): number {
    return this.#comparisons
  }

  state (): ClockState {
    return { mode: this.#mode, speed: this.#speed, now: new Date(this.now()).toISOString(), pending: this.#heap.length }
  }

  /**
   * Switches mode or speed (now() is continuous across the switch), then, with `time`, moves the
   * clock forward to that instant as advance does (running every task due by then, each at its time).
   * Throws ClockError for a bad value or a time before now(); nothing changes then.
   */
  set (change: { mode?: ClockMode, speed?: number, time?: number }): void {
    const mode = change.mode === undefined ? this.#mode : checkMode(change.mode)
    const speed = change.speed === undefined ? this.#speed : checkSpeed(change.speed)
    if (change.time !== undefined) {
      if (this.#draining) throw new ClockError('the clock cannot be moved from inside a scheduled task')
      const now = this.now()
      if (!Number.isFinite(change.time) || Math.abs(change.time) > MAX_TIME) throw new ClockError(`the clock's time must be epoch milliseconds within the range of a date, got ${String(change.time)}`)
      if (change.time < now) {
        throw new ClockError(`the clock cannot go back: ${isoOf(change.time)} is before its time, ${isoOf(now)}`)
      }
    }
    if (mode !== this.#mode || speed !== this.#speed) {
      // Rebase on the time now (outside any task), so that the switch leaves now() where it was.
      const now = Math.max(this.#computed(), this.#highWater)
      this.#highWater = now
      this.#base = now
      this.#realBase = this.#realNow()
      this.#mode = mode
      this.#speed = speed
    }
    if (change.time !== undefined) this.advance(Math.floor(change.time) - this.now())
  }

  /**
   * Moves now() forward by `ms` (in real mode, an offset on top of real time), stepping through
   * every task due by the new time: each runs with now() at its due time, in due order, tasks
   * they schedule within the jump included. Throws ClockError for a negative or non-finite `ms`.
   */
  advance (ms: number): void {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new ClockError(`the clock can only advance by a number of milliseconds of 0 or more, got ${String(ms)}`)
    if (this.#draining) throw new ClockError('the clock cannot be moved from inside a scheduled task')
    const step = Math.floor(ms)
    const target = this.now() + step
    if (target > MAX_TIME) throw new ClockError(`the clock cannot advance past the latest date, ${isoOf(MAX_TIME)}`)
    const errors = this.#drain(target)
    if (this.#mode === 'manual') this.#base = Math.max(this.#base, target)
    else this.#base += step
    this.#highWater = Math.max(this.#highWater, target)
    throwCollected(errors)
  }

  /**
   * Runs `task` once, when now() has reached `at` and runDue, advance or set is called. A task due
   * already runs at the next of those calls, not now. Tasks are synchronous; what they return is
   * ignored. The task is called with the time it runs at (also what now() answers while it runs).
   */
  schedule (at: number, label: string, task: (at: number) => void): ScheduledTask {
    if (typeof at !== 'number' || !Number.isFinite(at) || Math.abs(at) > MAX_TIME) throw new ClockError(`task '${label}' must be due at epoch milliseconds within the range of a date, got ${String(at)}`)
    const handle: ScheduledTask = Object.freeze({ at, label })
    const entry: Entry = { handle, at, seq: this.#seq++, run: task, index: this.#heap.length }
    this.#heap.push(entry)
    this.#up(entry.index)
    this.#entries.set(handle, entry)
    return handle
  }

  /** Removes a task that has not run; a task that ran, was cancelled or is another clock's is left alone. */
  cancel (task: ScheduledTask): void {
    const entry = this.#entries.get(task)
    if (entry === undefined) return
    this.#remove(entry)
  }

  /**
   * Runs every task due by now() (in real mode, the time derived from real time), in order of due
   * time then scheduling, tasks they schedule that are due as well included. Returns how many ran.
   * Called from inside a task, it runs nothing (the call already running carries on) and returns 0.
   */
  runDue (): number {
    if (this.#draining) return 0
    let ran = 0
    const errors = this.#drain(this.now(), () => { ran++ })
    throwCollected(errors)
    return ran
  }

  /** The tasks not run yet, in the order they will run. */
  pending (): readonly ScheduledTask[] {
    return [...this.#heap].sort((a, b) => a.at - b.at || a.seq - b.seq).map((entry) => entry.handle)
  }

  #computed (): number {
    if (this.#mode === 'manual') return this.#base
    return this.#base + Math.floor((this.#realNow() - this.#realBase) * this.#speed)
  }

  /** Runs the tasks due by `horizon`, each at its time. Returns the errors not handed to onError. */
  #drain (horizon: number, onRun?: () => void): unknown[] {
    const errors: unknown[] = []
    this.#draining = true
    try {
      for (let top = this.#heap[0]; top !== undefined && top.at <= horizon; top = this.#heap[0]) {
        this.#remove(top)
        const at = Math.max(top.at, this.#taskFloor)
        this.#taskFloor = at
        this.#pinned = at
        try {
          top.run(at)
        } catch (error) {
          if (this.#onError === undefined) errors.push(error)
          else this.#onError(error, top.handle)
        } finally {
          this.#pinned = undefined
        }
        onRun?.()
      }
    } finally {
      this.#draining = false
      this.#pinned = undefined
    }
    return errors
  }

  #less (a: Entry, b: Entry): boolean {
    this.#comparisons++
    return a.at < b.at || (a.at === b.at && a.seq < b.seq)
  }

  #remove (entry: Entry): void {
    const heap = this.#heap
    const index = entry.index
    const last = heap.pop()
    this.#entries.delete(entry.handle)
    entry.index = -1
    if (last === undefined || last === entry) return
    heap[index] = last
    last.index = index
    this.#up(index)
    this.#down(last.index)
  }

  #up (index: number): void {
    const heap = this.#heap
    const entry = heap[index]
    if (entry === undefined) return
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = heap[parentIndex]
      if (parent === undefined || !this.#less(entry, parent)) break
      heap[index] = parent
      parent.index = index
      index = parentIndex
    }
    heap[index] = entry
    entry.index = index
  }

  #down (index: number): void {
    const heap = this.#heap
    const entry = heap[index]
    if (entry === undefined) return
    const size = heap.length
    for (;;) {
      const leftIndex = 2 * index + 1
      if (leftIndex >= size) break
      const left = heap[leftIndex]
      const right = heap[leftIndex + 1]
      if (left === undefined) break
      const [childIndex, child] = right !== undefined && this.#less(right, left) ? [leftIndex + 1, right] : [leftIndex, left]
      if (!this.#less(child, entry)) break
      heap[index] = child
      child.index = index
      index = childIndex
    }
    heap[index] = entry
    entry.index = index
  }
}

function checkMode (mode: unknown): ClockMode {
  if (mode !== 'real' && mode !== 'manual') throw new ClockError(`the clock's mode must be real or manual, got '${String(mode)}'`)
  return mode
}

function checkSpeed (speed: unknown): number {
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0 || speed > MAX_SPEED) {
    throw new ClockError(`the clock's speed must be a number above 0 and at most ${MAX_SPEED}, got ${String(speed)}`)
  }
  return speed
}

/** The fastest a real-mode clock may run: a day in under 0.1 s of real time. */
export const MAX_SPEED = 1_000_000

function throwCollected (errors: readonly unknown[]): void {
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1) throw new AggregateError(errors, `${errors.length} scheduled tasks failed`)
}

/** Text in quotes for a message, cut after 64 characters. */
function quoted (text: string | number): string {
  const whole = String(text)
  return `'${whole.length > 64 ? `${whole.slice(0, 64)}…` : whole}'`
}

function isoOf (ms: number): string {
  return new Date(ms).toISOString()
}

const DURATION = /^P(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/
const DURATION_UNITS = [7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000] as const
const MILLISECONDS = /^\d+(?:\.\d+)?$/

/**
 * ISO 8601 durations (PT0.5S, PT1H30M, P1D, P1W, P1DT12H) or a number of milliseconds (500, '500')
 * → whole milliseconds (rounded). A fraction is allowed on the last component only. Years and
 * months (no fixed length) and negative durations are refused: throws ClockError naming the text.
 */
export function parseDuration (text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text) || text < 0 || text > MAX_TIME) throw new ClockError(`${String(text)} is not a duration: milliseconds must be a number from 0 to ${MAX_TIME}`)
    return Math.round(text)
  }
  const trimmed = String(text).trim()
  const refused = new ClockError(`${quoted(text)} is not a duration: expected ISO 8601 such as PT0.5S, PT1H30M, P1D or P1W (no years or months, not negative), or a number of milliseconds`)
  // No duration worth writing is longer; a bound keeps a client's text from costing more.
  if (trimmed.length > 64) throw refused
  if (MILLISECONDS.test(trimmed)) return parseDuration(Number(trimmed))
  const upper = trimmed.toUpperCase()
  const match = DURATION.exec(upper)
  if (match === null || upper === 'P' || upper.endsWith('T')) throw refused
  const parts = match.slice(1)
  const given = parts.flatMap((part, i) => part === undefined ? [] : [i])
  let total = 0
  for (const [n, i] of given.entries()) {
    const part = (parts[i] ?? '').replace(',', '.')
    if (part.includes('.') && n !== given.length - 1) throw refused
    total += Number(part) * (DURATION_UNITS[i] ?? 0)
  }
  if (!Number.isFinite(total) || total > MAX_TIME) throw refused
  return Math.round(total)
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/i

/**
 * An ISO 8601 instant (2026-12-01T09:30:00Z, with an offset or fractional seconds; a date alone is
 * midnight UTC) or epoch milliseconds → epoch milliseconds. Throws ClockError naming the text.
 */
export function parseInstant (text: string | number): number {
  const trimmed = String(text).trim()
  const ms = trimmed.length > 64 ? Number.NaN : /^-?\d+$/.test(trimmed) ? Number(trimmed) : INSTANT.test(trimmed) ? Date.parse(trimmed.toUpperCase()) : Number.NaN
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIME) {
    throw new ClockError(`${quoted(text)} is not an instant: expected ISO 8601 with a time zone, such as 2026-12-01T09:00:00Z, or epoch milliseconds`)
  }
  return ms
}

/** How long each step of the lifecycles takes, in milliseconds. */
export interface Durations {
  /** Each documented step of a restore artifact and of a restore session. */
  restoreStep: number
  /** Policy activation/deactivation and each protection unit step. */
  protectionStep: number
  /** How often a protected unit gets a new restore point. */
  restorePointInterval: number
}

/** The clock settings as the configuration holds them (text as given, or numbers from options). */
export interface ClockSettings {
  clockMode: ClockMode
  clockSpeed: number
  /** Unset: the real time at start. */
  clockStart?: string | number | undefined
  restoreStep: string | number
  protectionStep: string | number
  restorePointInterval: string | number
}

/** The durations of the settings (validated already; throws ClockError for a bad one). */
export function durationsFrom (config: Pick<ClockSettings, 'restoreStep' | 'protectionStep' | 'restorePointInterval'>): Durations {
  return {
    restoreStep: parseDuration(config.restoreStep),
    protectionStep: parseDuration(config.protectionStep),
    restorePointInterval: parseDuration(config.restorePointInterval)
  }
}

/** The options of the clock the settings describe. */
export function clockOptionsFrom (config: Pick<ClockSettings, 'clockMode' | 'clockSpeed' | 'clockStart'>): ClockOptions {
  return {
    mode: config.clockMode,
    speed: config.clockSpeed,
    ...(config.clockStart === undefined ? {} : { start: parseInstant(config.clockStart) })
  }
}

/** The clock the settings describe; `extra` adds realNow or onError (or overrides a setting). */
export function clockFrom (config: Pick<ClockSettings, 'clockMode' | 'clockSpeed' | 'clockStart'>, extra: ClockOptions = {}): Clock {
  return new Clock({ ...clockOptionsFrom(config), ...extra })
}
