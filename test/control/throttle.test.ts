import { randomUUID } from 'node:crypto'
import t from 'tap'
import Fastify from 'fastify'
import { ClockError } from '../../src/clock.js'
import { Throttle, throttleError, throttleOptionsFrom } from '../../src/control/throttle.js'
import graphErrorsPlugin, { sendGraphError } from '../../src/plugins/graph-errors.js'
import requestContext from '../../src/plugins/request-context.js'

const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'

t.test('a budget per fixed window: the rate-limit headers from 80% of it on, then a 429 with Retry-After', async (t) => {
  const throttle = new Throttle({ limit: 5, windowMs: 10_000 })
  t.strictSame(throttle.take(1000), { allowed: true, headers: {} }, 'the first request starts the window')
  t.strictSame(throttle.take(1100), { allowed: true, headers: {} })
  t.strictSame(throttle.take(1200), { allowed: true, headers: {} })
  t.strictSame(throttle.take(1300), { allowed: true, headers: { 'ratelimit-limit': '5', 'ratelimit-remaining': '1', 'ratelimit-reset': '10' } }, '4 of 5 used: 80%')
  t.strictSame(throttle.take(3000), { allowed: true, headers: { 'ratelimit-limit': '5', 'ratelimit-remaining': '0', 'ratelimit-reset': '8' } })
  t.strictSame(throttle.take(3500), {
    allowed: false,
    retryAfterSeconds: 8,
    headers: { 'retry-after': '8', 'ratelimit-limit': '5', 'ratelimit-remaining': '0', 'ratelimit-reset': '8' },
    earlyRetry: false
  }, 'over the budget: Retry-After is the rest of the window, rounded up')
  t.strictSame(throttle.take(4000), {
    allowed: false,
    retryAfterSeconds: 8,
    headers: { 'retry-after': '8', 'ratelimit-limit': '5', 'ratelimit-remaining': '0', 'ratelimit-reset': '8' },
    earlyRetry: true
  }, 'back before Retry-After passed: an early retry, told the time still left')
  t.strictSame(throttle.take(11_000), {
    allowed: false,
    retryAfterSeconds: 1,
    headers: { 'retry-after': '1', 'ratelimit-limit': '5', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' },
    earlyRetry: true
  }, 'the window is over, but the Retry-After given (3500 + 8 s) has not passed')
  t.equal(throttle.take(11_499).allowed, false, 'one millisecond before')
  t.strictSame(throttle.take(11_500), { allowed: true, headers: {} }, 'once Retry-After has passed: a new window')
  for (let i = 0; i < 4; i++) t.equal(throttle.take(11_600).allowed, true)
  t.strictSame(throttle.take(11_700), { allowed: false, retryAfterSeconds: 10, headers: { 'retry-after': '10', 'ratelimit-limit': '5', 'ratelimit-remaining': '0', 'ratelimit-reset': '10' }, earlyRetry: false })
})

t.test('a client that waits Retry-After each time is never early', async (t) => {
  const throttle = new Throttle({ limit: 2, windowMs: 1000 })
  let now = 0
  const log: string[] = []
  for (let i = 0; i < 12; i++) {
    const result = throttle.take(now)
    if (result.allowed) {
      log.push('ok')
      now += 100
    } else {
      log.push(result.earlyRetry ? 'early' : `wait ${result.retryAfterSeconds}`)
      now += result.retryAfterSeconds * 1000
    }
  }
  t.strictSame(log, ['ok', 'ok', 'wait 1', 'ok', 'ok', 'wait 1', 'ok', 'ok', 'wait 1', 'ok', 'ok', 'wait 1'])
})

t.test('a short window: Retry-After is at least 1 second, and early retries are told what is left', async (t) => {
  const throttle = new Throttle({ limit: 1, windowMs: 200 })
  t.strictSame(throttle.take(0), { allowed: true, headers: { 'ratelimit-limit': '1', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' } }, 'with a limit of 1 the first answer is at 100%')
  const refused = throttle.take(150)
  t.strictSame(refused, { allowed: false, retryAfterSeconds: 1, headers: { 'retry-after': '1', 'ratelimit-limit': '1', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' }, earlyRetry: false })
  t.strictSame(throttle.take(1149), { allowed: false, retryAfterSeconds: 1, headers: { 'retry-after': '1', 'ratelimit-limit': '1', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' }, earlyRetry: true })
  t.equal(throttle.take(1150).allowed, true)
})

t.test('reset: a fresh budget and no wait pending; bad options are refused', async (t) => {
  const throttle = new Throttle({ limit: 1, windowMs: 60_000 })
  throttle.take(0)
  t.equal(throttle.take(1).allowed, false)
  throttle.reset()
  t.equal(throttle.take(2).allowed, true)
  t.throws(() => new Throttle({ limit: 0, windowMs: 1000 }), new RangeError('limit must be a whole number of 1 or more, not 0'))
  t.throws(() => new Throttle({ limit: 1.5, windowMs: 1000 }), new RangeError('limit must be a whole number of 1 or more, not 1.5'))
  t.throws(() => new Throttle({ limit: 1, windowMs: 0 }), new RangeError('windowMs must be a whole number of 1 or more, not 0'))
})

t.test('throttleOptionsFrom: off at limit 0; the window in ms or ISO 8601', async (t) => {
  t.equal(throttleOptionsFrom({ throttleLimit: 0, throttleWindow: 'PT10S' }), undefined)
  t.strictSame(throttleOptionsFrom({ throttleLimit: 100, throttleWindow: 'PT1M' }), { limit: 100, windowMs: 60_000 })
  t.strictSame(throttleOptionsFrom({ throttleLimit: 5, throttleWindow: '1500' }), { limit: 5, windowMs: 1500 })
  t.strictSame(throttleOptionsFrom({ throttleLimit: 5, throttleWindow: 250 }), { limit: 5, windowMs: 250 })
  t.throws(() => throttleOptionsFrom({ throttleLimit: 5, throttleWindow: 'P1M' }), ClockError)
})

t.test("through a Fastify app: Graph's 429 body and headers, and the rate-limit headers on answers", async (t) => {
  const throttle = new Throttle({ limit: 2, windowMs: 60_000 })
  const clock = { now: 0 }
  const early: boolean[] = []
  const app = Fastify({ genReqId: () => randomUUID(), requestIdHeader: false })
  await app.register(requestContext)
  await app.register(graphErrorsPlugin, { bodyLimit: 1_000_000 })
  app.addHook('onRequest', async (request, reply) => {
    const result = throttle.take(clock.now)
    if (!result.allowed) {
      early.push(result.earlyRetry)
      return await sendGraphError(request, reply, throttleError(result))
    }
    void reply.headers(result.headers)
  })
  app.get('/beta/things', async () => ({ value: [] }))
  t.teardown(async () => { await app.close() })

  const first = await app.inject({ method: 'GET', url: '/beta/things' })
  t.equal(first.statusCode, 200)
  t.equal(first.headers['ratelimit-limit'], undefined, 'below 80%: no rate-limit headers')
  clock.now = 30_000
  const second = await app.inject({ method: 'GET', url: '/beta/things' })
  t.equal(second.statusCode, 200)
  t.strictSame([second.headers['ratelimit-limit'], second.headers['ratelimit-remaining'], second.headers['ratelimit-reset']], ['2', '0', '30'])
  clock.now = 30_500
  const refused = await app.inject({ method: 'GET', url: '/beta/things', headers: { 'client-request-id': 'c-1' } })
  t.equal(refused.statusCode, 429)
  const body = refused.json<{ error: { innerError: { date: string } } }>()
  t.strictSame(body, {
    error: {
      code: 'activityLimitReached',
      message: 'The request has been throttled',
      innerError: { code: 'throttledRequest', date: body.error.innerError.date, 'request-id': refused.headers['request-id'], 'client-request-id': 'c-1' }
    }
  })
  const { date, connection, 'content-length': length, 'request-id': requestId, ...headers } = refused.headers
  t.ok(date !== undefined && connection !== undefined && requestId !== undefined && Number(length) === refused.rawPayload.length)
  t.strictSame(headers, {
    'retry-after': '30',
    'ratelimit-limit': '2',
    'ratelimit-remaining': '0',
    'ratelimit-reset': '30',
    'client-request-id': 'c-1',
    'odata-version': '4.0',
    'cache-control': 'no-cache',
    'content-type': GRAPH_JSON
  })
  clock.now = 40_000
  const again = await app.inject({ method: 'GET', url: '/beta/things' })
  t.equal(again.statusCode, 429)
  t.equal(again.headers['retry-after'], '21', 'the time left until the first Retry-After, rounded up')
  clock.now = 60_500
  t.equal((await app.inject({ method: 'GET', url: '/beta/things' })).statusCode, 200)
  t.strictSame(early, [false, true])
})
