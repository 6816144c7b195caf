import t from 'tap'
import { Clock, ClockError, clockFrom, clockOptionsFrom, durationsFrom, parseDuration, parseInstant, type ScheduledTask } from '../src/clock.js'

const START = Date.parse('2026-12-01T00:00:00.000Z')

/** Real time the test moves by hand. */
function fakeRealTime (start = 1_000_000): { now: () => number, pass: (ms: number) => void } {
  let real = start
  return { now: () => real, pass: (ms) => { real += ms } }
}

/** A deterministic generator of whole numbers below n (mulberry32). */
function seeded (seed: number): (n: number) => number {
  let state = seed >>> 0
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0
    let z = state
    z = Math.imul(z ^ (z >>> 15), z | 1)
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61)
    return (((z ^ (z >>> 14)) >>> 0) / 4294967296 * n) | 0
  }
}

/** A manual clock at START with a log of what ran, each with the time now() gave it. */
function manualClock (): { clock: Clock, log: Array<[string, number, number]>, task: (label: string) => (at: number) => void } {
  const clock = new Clock({ mode: 'manual', start: START })
  const log: Array<[string, number, number]> = []
  return { clock, log, task: (label) => (at) => { log.push([label, at - START, clock.now() - START]) } }
}

t.test('manual mode: nothing moves or runs until advance or set', async (t) => {
  const real = fakeRealTime()
  const clock = new Clock({ mode: 'manual', start: START, realNow: real.now })
  let ran = 0
  clock.schedule(START, 'due now', () => { ran++ })
  clock.schedule(START + 10, 'later', () => { ran++ })
  real.pass(60_000)
  t.equal(clock.now(), START, 'real time passing does not move it')
  t.equal(ran, 0, 'scheduling runs nothing, even a task due already')
  t.strictSame(clock.state(), { mode: 'manual', speed: 1, now: '2026-12-01T00:00:00.000Z', pending: 2 })
  t.equal(clock.runDue(), 1, 'runDue runs what is due by now()')
  t.equal(ran, 1)
  t.equal(clock.runDue(), 0, 'and never twice')
  clock.advance(9)
  t.equal(ran, 1, 'not due yet at +9 ms')
  clock.advance(1)
  t.equal(ran, 2)
  t.equal(clock.now(), START + 10)
  t.strictSame(clock.state(), { mode: 'manual', speed: 1, now: '2026-12-01T00:00:00.010Z', pending: 0 })
})

t.test('advance steps through each due task: each sees now() at its own due time, in due order', async (t) => {
  const { clock, log, task } = manualClock()
  clock.schedule(START + 3000, 'c', task('c'))
  clock.schedule(START + 1000, 'a', task('a'))
  clock.schedule(START + 2000, 'b1', task('b1'))
  clock.schedule(START + 2000, 'b2', task('b2'))
  clock.schedule(START + 5001, 'after the jump', task('after the jump'))
  clock.advance(5000)
  t.strictSame(log, [['a', 1000, 1000], ['b1', 2000, 2000], ['b2', 2000, 2000], ['c', 3000, 3000]], 'same due time: in scheduling order')
  t.equal(clock.now(), START + 5000, 'then now() is the end of the jump')
  t.strictSame(clock.pending().map((p) => p.label), ['after the jump'])
})

t.test('a task may schedule more: those due within the jump run in it, in order, at their times', async (t) => {
  const { clock, log, task } = manualClock()
  // A restore-like chain: each step schedules the next 500 ms on.
  const step = (n: number) => (at: number): void => {
    log.push([`step ${n}`, at - START, clock.now() - START])
    if (n < 5) clock.schedule(at + 500, `step ${n + 1}`, step(n + 1))
  }
  clock.schedule(START + 500, 'step 1', step(1))
  clock.schedule(START + 1200, 'other', task('other'))
  clock.advance(2000)
  t.strictSame(log, [['step 1', 500, 500], ['step 2', 1000, 1000], ['other', 1200, 1200], ['step 3', 1500, 1500], ['step 4', 2000, 2000]])
  t.strictSame(clock.pending().map((p) => [p.label, p.at - START]), [['step 5', 2500]])
  // A task due already (scheduled at the time it runs) runs in the same call too.
  const { clock: other, log: otherLog, task: otherTask } = manualClock()
  other.schedule(START, 'first', () => { other.schedule(other.now(), 'same time', otherTask('same time')) })
  t.equal(other.runDue(), 2)
  t.strictSame(otherLog, [['same time', 0, 0]])
})

t.test('a task scheduled in the past runs at the next call, never making tasks see time go back', async (t) => {
  const { clock, log, task } = manualClock()
  clock.advance(1000)
  clock.schedule(START + 100, 'overdue', task('overdue'))
  clock.schedule(START + 1000, 'due now', task('due now'))
  t.equal(clock.runDue(), 2)
  t.strictSame(log, [['overdue', 100, 100], ['due now', 1000, 1000]], 'each at its due time, the earlier first')
  t.equal(clock.now(), START + 1000)
  // A task that schedules one before its own time: the new one runs at the time of the one before it.
  const second = manualClock()
  second.clock.schedule(START + 500, 'late', () => { second.clock.schedule(START + 100, 'earlier', second.task('earlier')) })
  second.clock.advance(1000)
  t.strictSame(second.log, [['earlier', 500, 500]])
})

t.test('set: mode and speed keep now() continuous; time only forward, stepping like advance', async (t) => {
  const real = fakeRealTime()
  const clock = new Clock({ start: START, realNow: real.now })
  t.equal(clock.mode, 'real')
  t.equal(clock.speed, 1)
  real.pass(1000)
  t.equal(clock.now(), START + 1000, 'real mode follows real time')
  clock.set({ speed: 10 })
  t.equal(clock.now(), START + 1000, 'a new speed does not jump')
  real.pass(1000)
  t.equal(clock.now(), START + 11_000, '10 simulated seconds per real second')
  clock.set({ mode: 'manual' })
  t.equal(clock.now(), START + 11_000, 'switching to manual keeps the time')
  real.pass(5000)
  t.equal(clock.now(), START + 11_000, 'and stops it')
  t.equal(clock.speed, 10, 'the speed is kept for a switch back')
  clock.set({ mode: 'real', speed: 2 })
  t.equal(clock.now(), START + 11_000, 'switching back to real keeps the time')
  real.pass(500)
  t.equal(clock.now(), START + 12_000)

  const ran: number[] = []
  clock.schedule(START + 20_000, 'a', (at) => { ran.push(at - START, clock.now() - START) })
  clock.set({ mode: 'manual', time: START + 30_000 })
  t.strictSame(ran, [20_000, 20_000], 'set with a time runs the tasks due, each at its time')
  t.equal(clock.now(), START + 30_000)
  t.throws(() => { clock.set({ time: START + 29_999 }) }, new ClockError('the clock cannot go back: 2026-12-01T00:00:29.999Z is before its time, 2026-12-01T00:00:30.000Z'))
  t.throws(() => { clock.set({ mode: 'real', time: START }) }, ClockError)
  t.equal(clock.mode, 'manual', 'a set that fails changes nothing')
  t.throws(() => { clock.set({ speed: 0 }) }, new ClockError("the clock's speed must be a number above 0 and at most 1000000, got 0"))
  t.throws(() => { clock.set({ speed: Number.NaN }) }, ClockError)
  t.throws(() => { clock.set({ mode: 'fast' as 'real' }) }, new ClockError("the clock's mode must be real or manual, got 'fast'"))
  clock.set({ time: START + 30_000 })
  t.equal(clock.now(), START + 30_000, 'setting the time it is already is allowed')
})

t.test('real mode: advance adds an offset; runDue runs what real time has made due', async (t) => {
  const real = fakeRealTime()
  const clock = new Clock({ start: START, speed: 4, realNow: real.now })
  const log: Array<[string, number, number]> = []
  for (const offset of [400, 800, 4000, 10_000]) clock.schedule(START + offset, `at ${offset}`, (at) => { log.push([`at ${offset}`, at - START, clock.now() - START]) })
  t.equal(clock.runDue(), 0)
  real.pass(250) // 1000 simulated ms
  t.equal(clock.runDue(), 2)
  t.strictSame(log, [['at 400', 400, 400], ['at 800', 800, 800]], 'each task sees its due time, not the time of the poll')
  t.equal(clock.now(), START + 1000)
  clock.advance(3000)
  t.equal(clock.now(), START + 4000)
  t.strictSame(log.at(-1), ['at 4000', 4000, 4000])
  real.pass(100)
  t.equal(clock.now(), START + 4400, 'real time still counts on top of the offset')
  real.pass(1400)
  t.equal(clock.runDue(), 1)
  t.equal(clock.pending().length, 0)
})

t.test('a poller that calls runDue before each read never sees a later task run before an earlier one', async (t) => {
  const real = fakeRealTime()
  const clock = new Clock({ start: START, speed: 3, realNow: real.now })
  // A deterministic spread of due times, scheduled out of order, some from inside tasks.
  const random = seeded(12345)
  const ran: Array<{ at: number, seen: number }> = []
  const seenByPoller: number[] = []
  const record = (at: number): void => {
    ran.push({ at, seen: clock.now() })
    if (random(4) === 0) clock.schedule(at + random(2000), 'follow-up', record)
  }
  for (let i = 0; i < 500; i++) clock.schedule(START + random(60_000), 'task', record)
  let ranAhead = 0
  while (clock.state().pending > 0) {
    real.pass(random(700))
    const before = ran.length
    clock.runDue()
    const now = clock.now()
    seenByPoller.push(now)
    ranAhead += ran.slice(before).filter((r) => r.at > now).length
  }
  t.equal(ranAhead, 0, 'nothing due after a poll has run by it')
  t.ok(ran.length >= 500)
  t.ok(ran.every((r, i) => r.at === r.seen && (i === 0 || (ran[i - 1]?.at ?? 0) <= r.at)), 'in due order, each at its due time')
  t.ok(seenByPoller.every((now, i) => i === 0 || (seenByPoller[i - 1] ?? 0) <= now), 'the poller never sees time go back')
})

t.test('now() never goes backwards, even when real time does', async (t) => {
  const real = fakeRealTime()
  const clock = new Clock({ start: START, realNow: real.now })
  real.pass(1000)
  t.equal(clock.now(), START + 1000)
  real.pass(-600)
  t.equal(clock.now(), START + 1000, 'a real clock stepped back: held')
  real.pass(700)
  t.equal(clock.now(), START + 1100)
  const fast = new Clock({ start: START, speed: 1.5, realNow: real.now })
  real.pass(1)
  t.equal(fast.now(), START + 1, 'whole milliseconds')
})

t.test('cancel: a cancelled task never runs; cancelling twice, after running or another clock\'s is harmless', async (t) => {
  const { clock, log, task } = manualClock()
  const a = clock.schedule(START + 100, 'a', task('a'))
  const b = clock.schedule(START + 200, 'b', task('b'))
  const c = clock.schedule(START + 300, 'c', task('c'))
  clock.cancel(b)
  clock.cancel(b)
  clock.cancel(new Clock().schedule(0, 'elsewhere', () => {}))
  t.strictSame(clock.pending(), [a, c])
  t.strictSame(a, { at: START + 100, label: 'a' })
  t.ok(Object.isFrozen(a))
  clock.advance(1000)
  clock.cancel(a)
  t.strictSame(log, [['a', 100, 100], ['c', 300, 300]])
  // A task may cancel another due in the same jump.
  const second = manualClock()
  const victims: ScheduledTask[] = []
  second.clock.schedule(START + 10, 'canceller', () => { for (const victim of victims) second.clock.cancel(victim) })
  victims.push(second.clock.schedule(START + 20, 'victim', second.task('victim')))
  second.clock.advance(100)
  t.strictSame(second.log, [])
})

t.test('a task that throws does not stop the others: errors are thrown after, or go to onError', async (t) => {
  const { clock, log, task } = manualClock()
  clock.schedule(START + 1, 'a', task('a'))
  clock.schedule(START + 2, 'boom', () => { throw new Error('boom') })
  clock.schedule(START + 3, 'c', task('c'))
  t.throws(() => { clock.advance(10) }, new Error('boom'))
  t.strictSame(log, [['a', 1, 1], ['c', 3, 3]], 'the others ran')
  t.equal(clock.now(), START + 10, 'and time reached its target')
  clock.schedule(START + 10, 'one', () => { throw new Error('one') })
  clock.schedule(START + 10, 'two', () => { throw new Error('two') })
  const thrown = t.throws(() => clock.runDue()) as AggregateError
  t.ok(thrown instanceof AggregateError)
  t.equal(thrown.message, '2 scheduled tasks failed')
  t.strictSame(thrown.errors.map((e: Error) => e.message), ['one', 'two'])
  t.equal(clock.runDue(), 0, 'a task that threw is not run again')

  const reported: Array<[string, string]> = []
  const quiet = new Clock({ mode: 'manual', start: START, onError: (error, failed) => { reported.push([failed.label, (error as Error).message]) } })
  quiet.schedule(START, 'bad', () => { throw new Error('bad') })
  quiet.schedule(START, 'good', () => {})
  t.equal(quiet.runDue(), 2)
  t.strictSame(reported, [['bad', 'bad']])
})

t.test('from inside a task: runDue runs nothing more, advance and set({ time }) are refused', async (t) => {
  const { clock } = manualClock()
  const seen: unknown[] = []
  clock.schedule(START, 'nested', () => {
    seen.push(clock.runDue())
    try { clock.advance(1) } catch (error) { seen.push((error as Error).message) }
    try { clock.set({ time: START + 5 }) } catch (error) { seen.push((error as Error).message) }
  })
  clock.schedule(START, 'next', () => { seen.push('next ran') })
  t.equal(clock.runDue(), 2)
  t.strictSame(seen, [0, 'the clock cannot be moved from inside a scheduled task', 'the clock cannot be moved from inside a scheduled task', 'next ran'])
})

t.test('bad arguments are ClockErrors', async (t) => {
  const clock = new Clock({ mode: 'manual', start: START })
  t.throws(() => { clock.advance(-1) }, new ClockError('the clock can only advance by a number of milliseconds of 0 or more, got -1'))
  t.throws(() => { clock.advance(Number.POSITIVE_INFINITY) }, ClockError)
  t.throws(() => { clock.advance(9e15) }, new ClockError('the clock cannot advance past the latest date, +275760-09-13T00:00:00.000Z'))
  t.throws(() => clock.schedule(Number.NaN, 'x', () => {}), new ClockError("task 'x' must be due at epoch milliseconds within the range of a date, got NaN"))
  t.throws(() => new Clock({ start: Number.NaN }), ClockError)
  t.throws(() => new Clock({ speed: -2 }), ClockError)
  t.equal(clock.now(), START, 'nothing moved')
})

t.test('100,000 tasks: the heap costs O(log n) comparisons per task, and runs them in order', async (t) => {
  const clock = new Clock({ mode: 'manual', start: 0 })
  const n = 100_000
  const random = seeded(7)
  let previous = -1
  let previousSeq = -1
  let outOfOrder = 0
  let ran = 0
  for (let i = 0; i < n; i++) {
    const at = random(1_000_000)
    const seq = i
    clock.schedule(at, 'load', (when) => {
      if (when < previous || (when === previous && seq < previousSeq)) outOfOrder++
      previous = when
      previousSeq = seq
      ran++
    })
  }
  // Cancel a tenth of them, from the middle of the heap.
  const cancelled = clock.pending().filter((_, i) => i % 10 === 5)
  for (const task of cancelled) clock.cancel(task)
  clock.advance(1_000_000)
  t.equal(ran, n - cancelled.length)
  t.equal(outOfOrder, 0)
  t.equal(clock.state().pending, 0)
  // A sorted list would need about n²/4 comparisons; a heap about 3 n log2 n.
  const bound = 4 * n * Math.log2(n)
  t.ok(clock.heapComparisons < bound, `${clock.heapComparisons} comparisons < ${Math.round(bound)}`)
})

t.test('parseDuration: ISO 8601 durations and milliseconds', async (t) => {
  const cases: Array<[string | number, number]> = [
    ['PT0.5S', 500], ['PT1S', 1000], ['PT1H', 3_600_000], ['PT1H30M', 5_400_000], ['P1D', 86_400_000],
    ['P1W', 604_800_000], ['P1DT12H', 129_600_000], ['PT1M0.25S', 60_250], ['PT0,5S', 500], ['pt2m', 120_000],
    ['PT0S', 0], ['P0D', 0], ['PT1.1S', 1100], [' PT1S ', 1000], ['500', 500], ['0', 0], ['1.4', 1], [250, 250], [0.6, 1]
  ]
  for (const [text, ms] of cases) t.equal(parseDuration(text), ms, String(text))
  for (const text of ['', 'P', 'PT', 'P1Y', 'P1M', '-PT1S', 'PT-1S', 'PT1.5H30M', '1s', 'PT1S1H', 'P1H', 'abc', '-5', 'P99999999999999D']) {
    t.throws(() => parseDuration(text), new ClockError(`'${text}' is not a duration: expected ISO 8601 such as PT0.5S, PT1H30M, P1D or P1W (no years or months, not negative), or a number of milliseconds`), text)
  }
  t.throws(() => parseDuration(-1), new ClockError('-1 is not a duration: milliseconds must be a number from 0 to 8640000000000000'))
  t.throws(() => parseDuration(Number.NaN), ClockError)
})

t.test('parseInstant: ISO 8601 instants with a time zone, or epoch milliseconds', async (t) => {
  t.equal(parseInstant('2026-12-01T00:00:00Z'), START)
  t.equal(parseInstant('2026-12-01T00:00:00.0000000Z'), START, "Graph's seven digits")
  t.equal(parseInstant('2026-12-01T02:00:00+02:00'), START)
  t.equal(parseInstant('2026-12-01T00:00Z'), START)
  t.equal(parseInstant('2026-12-01'), START, 'a date alone is midnight UTC')
  t.equal(parseInstant(START), START)
  t.equal(parseInstant(String(START)), START)
  for (const text of ['2026-12-01T00:00:00', 'Dec 1 2026', '2026-13-01T00:00:00Z', 'now', '']) {
    t.throws(() => parseInstant(text), new ClockError(`'${text}' is not an instant: expected ISO 8601 with a time zone, such as 2026-12-01T09:00:00Z, or epoch milliseconds`), text)
  }
})

t.test('durationsFrom and clockFrom read the settings', async (t) => {
  t.strictSame(durationsFrom({ restoreStep: 'PT0.5S', protectionStep: 'PT1S', restorePointInterval: 'PT1H' }), { restoreStep: 500, protectionStep: 1000, restorePointInterval: 3_600_000 })
  t.strictSame(durationsFrom({ restoreStep: 20, protectionStep: '30', restorePointInterval: 'P1D' }), { restoreStep: 20, protectionStep: 30, restorePointInterval: 86_400_000 })
  t.strictSame(clockOptionsFrom({ clockMode: 'manual', clockSpeed: 1, clockStart: '2026-12-01T00:00:00Z' }), { mode: 'manual', speed: 1, start: START })
  t.strictSame(clockOptionsFrom({ clockMode: 'real', clockSpeed: 5, clockStart: undefined }), { mode: 'real', speed: 5 })
  const real = fakeRealTime(START + 42)
  const clock = clockFrom({ clockMode: 'real', clockSpeed: 2 }, { realNow: real.now })
  t.equal(clock.now(), START + 42, 'unset start: the real time at creation')
  real.pass(10)
  t.equal(clock.now(), START + 62)
})

t.test('long text is refused without reading it all, and named cut short', async (t) => {
  const long = `PT${'1'.repeat(100_000)}S`
  t.throws(() => parseDuration(long), new ClockError(`'${long.slice(0, 64)}…' is not a duration: expected ISO 8601 such as PT0.5S, PT1H30M, P1D or P1W (no years or months, not negative), or a number of milliseconds`))
  t.throws(() => parseInstant('2'.repeat(100_000)), ClockError)
})

t.test('the clock settings: defaults, variables, flags and options', async (t) => {
  const { parseConfig, helpText } = await import('../src/config.js')
  const defaults = parseConfig({}, [])
  t.strictSame(
    [defaults.clockMode, defaults.clockSpeed, defaults.clockStart, defaults.restoreStep, defaults.protectionStep, defaults.restorePointInterval, defaults.failureRate, defaults.seed],
    ['real', 1, undefined, 'PT0.5S', 'PT1S', 'PT1H', 0, 1]
  )
  t.strictSame(durationsFrom(defaults), { restoreStep: 500, protectionStep: 1000, restorePointInterval: 3_600_000 })
  const env = parseConfig({ CLOCK_MODE: 'Manual', CLOCK_SPEED: '2.5', CLOCK_START: '2026-12-01T00:00:00Z', RESTORE_STEP: 'PT2S', PROTECTION_STEP: '250', RESTORE_POINT_INTERVAL: 'P1D', FAILURE_RATE: '0.25', SEED: '42' }, [])
  t.strictSame(
    [env.clockMode, env.clockSpeed, env.clockStart, env.restoreStep, env.protectionStep, env.restorePointInterval, env.failureRate, env.seed],
    ['manual', 2.5, '2026-12-01T00:00:00Z', 'PT2S', '250', 'P1D', 0.25, 42]
  )
  t.strictSame(durationsFrom(env), { restoreStep: 2000, protectionStep: 250, restorePointInterval: 86_400_000 })
  t.equal(clockFrom(env).now(), START)
  const flags = parseConfig({ CLOCK_SPEED: 'fast' }, ['--clock-mode=manual', '--clock-speed', '60', '--restore-step', 'PT0S', '--failure-rate=1', '--seed', '0', '--clock-start', String(START)])
  t.strictSame(
    [flags.clockMode, flags.clockSpeed, flags.restoreStep, flags.failureRate, flags.seed, flags.clockStart],
    ['manual', 60, 'PT0S', 1, 0, String(START)],
    'flags win, the variable they override unread'
  )
  const help = helpText()
  for (const name of ['CLOCK_MODE', '--clock-speed', 'RESTORE_STEP', 'default PT0.5S', 'PROTECTION_STEP', 'RESTORE_POINT_INTERVAL', 'FAILURE_RATE', '--seed']) t.match(help, name, name)

  const { appOptionNames, appSettingsFrom, rejectUnknownOptions } = await import('../src/app.js')
  const options = { clockMode: 'manual', clockSpeed: 3, clockStart: START, restoreStep: 20, protectionStep: 'PT0.1S', restorePointInterval: 'PT10M', failureRate: 0.5, seed: 7 } as const
  t.doesNotThrow(() => { rejectUnknownOptions(options, appOptionNames) }, 'each is an option of buildApp')
  const app = appSettingsFrom(options)
  t.strictSame(
    [app.clockMode, app.clockSpeed, app.clockStart, app.failureRate, app.seed],
    ['manual', 3, String(START), 0.5, 7]
  )
  t.strictSame(durationsFrom(app), { restoreStep: 20, protectionStep: 100, restorePointInterval: 600_000 })
  t.strictSame(clockOptionsFrom(app), { mode: 'manual', speed: 3, start: START })
})

t.test('a bad clock setting is a ConfigError naming it', async (t) => {
  const { parseConfig, ConfigError } = await import('../src/config.js')
  const durationText = 'must be an ISO 8601 duration such as PT0.5S, PT1H30M or P1D (no years or months), or milliseconds'
  const cases: Array<[Record<string, string>, string[], string]> = [
    [{ CLOCK_MODE: 'slow' }, [], "CLOCK_MODE must be one of real, manual, got 'slow'"],
    [{ CLOCK_SPEED: '0' }, [], "CLOCK_SPEED must be a number above 0 and at most 1000000, got '0'"],
    [{ CLOCK_SPEED: '-2' }, [], "CLOCK_SPEED must be a number above 0 and at most 1000000, got '-2'"],
    [{}, ['--clock-speed', 'fast'], "--clock-speed must be a number above 0 and at most 1000000, got 'fast'"],
    [{ CLOCK_SPEED: '2000000' }, [], "CLOCK_SPEED must be a number above 0 and at most 1000000, got '2000000'"],
    [{ CLOCK_START: 'yesterday' }, [], "CLOCK_START must be an ISO 8601 instant with a time zone (such as 2026-12-01T09:00:00Z) or epoch milliseconds, got 'yesterday'"],
    [{ CLOCK_START: '2026-12-01T00:00:00' }, [], "CLOCK_START must be an ISO 8601 instant with a time zone (such as 2026-12-01T09:00:00Z) or epoch milliseconds, got '2026-12-01T00:00:00'"],
    [{ RESTORE_STEP: '5s' }, [], `RESTORE_STEP ${durationText}, got '5s'`],
    [{}, ['--protection-step=P1M'], `--protection-step ${durationText}, got 'P1M'`],
    [{ RESTORE_POINT_INTERVAL: '-PT1H' }, [], `RESTORE_POINT_INTERVAL ${durationText}, got '-PT1H'`],
    [{ RESTORE_POINT_INTERVAL: 'PT0S' }, [], "RESTORE_POINT_INTERVAL must be longer than 0, got 'PT0S'"],
    [{ FAILURE_RATE: '1.5' }, [], "FAILURE_RATE must be a number from 0 to 1, got '1.5'"],
    [{ FAILURE_RATE: '10%' }, [], "FAILURE_RATE must be a number from 0 to 1, got '10%'"],
    [{ SEED: '-1' }, [], "SEED must be a whole number from 0 to 4294967295, got '-1'"],
    [{ SEED: '1.5' }, [], "SEED must be a whole number from 0 to 4294967295, got '1.5'"]
  ]
  for (const [env, argv, message] of cases) t.throws(() => parseConfig(env, argv), new ConfigError(message), message)

  const { appSettingsFrom } = await import('../src/app.js')
  t.throws(() => appSettingsFrom({ clockSpeed: 0 }), new ConfigError("option clockSpeed must be a number above 0 and at most 1000000, got '0'"))
  t.throws(() => appSettingsFrom({ restoreStep: 'soon' }), new ConfigError(`option restoreStep ${durationText}, got 'soon'`))
  t.throws(() => appSettingsFrom({ failureRate: 2 }), new ConfigError("option failureRate must be a number from 0 to 1, got '2'"))
  t.throws(() => appSettingsFrom({ clockMode: 'fast' as 'real' }), new ConfigError("option clockMode must be one of real, manual, got 'fast'"))
})
