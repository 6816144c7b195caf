// Fuzzing of write bodies (fast-check, fixed seeds): every POST and PATCH the mock serves, in both
// versions, on the bundled tenant, gets arbitrary JSON, text that is not JSON, and near-valid
// mutations of a body that fits (wrong types, unknown and read-only properties, `@odata.type`s,
// `__proto__`/`constructor` keys, deep nesting, huge arrays). Whatever it gets, it answers without a
// 5xx; a 4xx is Graph's error body; and a request that fails changes nothing: a GET of the set (and
// of the entity a PATCH targets) reads the same before and after, Object.prototype gains nothing. The
// clock is manual and every request is awaited before the next, so nothing moves between the reads
// but the request itself. Bounded: at most a fixed number of runs per target, each target within its
// share of a time budget (a loaded machine does fewer runs, never fewer than one per target).

import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { behavioursFor } from '../../src/behaviours/index.js'
import { models, graphVersions, storageModel, type Model, type PathModel } from '../../src/model/index.js'
import { writeMethodsOf } from '../../src/routes/writes.js'
import { PathWalker, type TemplateSegment } from '../contract/path-walk.js'
import { answerProblems } from '../hardening/graph-error-shape.js'

const SEED = 20261201
/** Runs per target (126 targets: POST on each set, PATCH on each entity and singleton, both versions). */
const RUNS_PER_TARGET = 8
/** The fuzzing's time budget, shared evenly by the targets. */
const BUDGET_MS = 10_000
const AUTH = { authorization: 'Bearer fuzz' }
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' }

interface Target {
  readonly method: 'POST' | 'PATCH'
  readonly url: string
  /** GETs that must read the same after a failed request. */
  readonly reads: readonly string[]
  /** A body that fits the target, as a start for mutations. */
  readonly seed: Record<string, unknown>
}

function segmentsOf (path: PathModel): TemplateSegment[] {
  return path.path.split('/').slice(1).map((text): TemplateSegment => {
    const key = /^\{(.+)\}$/.exec(text)
    return key?.[1] !== undefined ? { kind: 'key', parameter: key[1] } : { kind: 'name', text }
  })
}

const behaviours = behavioursFor(storageModel)

/**
 * What a client may send of an entity as the mock shows it: its structural properties that are
 * neither read-only in the contract nor set by the server (ids, stamps, the family's statuses).
 */
function seedFrom (model: Model, declared: string, body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {}
  const shown = (body as Record<string, unknown>)['@odata.type']
  const type = typeof shown === 'string' && model.hasType(shown.slice(1)) ? shown.slice(1) : declared
  const serverSet = new Set(behaviours.of(type)?.serverSet ?? [])
  const writable = new Set(model.type(type).properties
    .filter((property) => !property.readOnly && !serverSet.has(property.name) && property.name !== 'id' && !/^(created|lastModified)/.test(property.name))
    .map((property) => property.name))
  return Object.fromEntries(Object.entries(body).filter(([name, value]) => writable.has(name) && value !== null))
}

async function targetsOf (app: FastifyInstance): Promise<Target[]> {
  const walker = new PathWalker(app, AUTH)
  const targets: Target[] = []
  for (const version of graphVersions) {
    for (const path of models[version].paths) {
      for (const method of writeMethodsOf(path)) {
        if (method !== 'POST' && method !== 'PATCH') continue
        const attempt = await walker.walk(`/${version}`, segmentsOf(path))
        if (attempt.stoppedAt !== undefined) throw new Error(`${version} ${method} ${path.path}: ${attempt.stoppedAt}`)
        const isEntity = method === 'PATCH'
        const set = isEntity && path.segments.at(-1)?.kind === 'key' ? attempt.url.replace(/\/[^/]+$/, '') : attempt.url
        const example = isEntity ? JSON.parse(attempt.answer.body) as unknown : (JSON.parse(attempt.answer.body) as { value?: unknown[] }).value?.[0]
        const last = [...path.segments].reverse().find((segment) => 'type' in segment)
        targets.push({
          method,
          url: attempt.url,
          reads: isEntity && set !== attempt.url ? [attempt.url, `${set}?$count=true`] : [isEntity ? attempt.url : `${set}?$count=true`],
          seed: seedFrom(models[version], last !== undefined && 'type' in last ? last.type : models[version].root.type, example)
        })
      }
    }
  }
  return targets
}

const typeNames = [...new Set(graphVersions.flatMap((version) => Object.keys(models[version].data.types)))]

/** Any JSON value of a type other than the one given (a wrong type for a property). */
const anyValue = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 1e308, '', 'x', 'active', '2026-13-45T25:61:61Z', [], {}, [null], { id: null }),
  fc.jsonValue({ maxDepth: 3 })
)

function nested (depth: number, asArray: boolean): string {
  return asArray ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
}

type Mutation = (body: Record<string, unknown>, raw: Map<string, string>) => void

const propertyName = (seed: Record<string, unknown>): fc.Arbitrary<string> => fc.oneof(
  { weight: 3, arbitrary: Object.keys(seed).length > 0 ? fc.constantFrom(...Object.keys(seed)) : fc.constant('displayName') },
  { weight: 1, arbitrary: fc.constantFrom('color', 'id', 'status', 'createdDateTime', 'displayName', 'mailboxRestoreArtifacts', 'mailboxProtectionUnits@delta', 'restorePoint@odata.bind', 'x@odata.type', '@odata.id', '') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) }
)

function mutation (seed: Record<string, unknown>): fc.Arbitrary<Mutation> {
  const name = propertyName(seed)
  return fc.oneof(
    fc.tuple(name, anyValue).map(([key, value]): Mutation => (body) => { body[key] = value }),
    name.map((key): Mutation => (body) => { Reflect.deleteProperty(body, key) }),
    fc.oneof(fc.constantFrom(...typeNames).map((type) => `#${type}`), fc.constantFrom('', '#', 'microsoft.graph.nothing', '#microsoft.graph.entity', 42 as unknown as string))
      .map((type): Mutation => (body) => { body['@odata.type'] = type }),
    fc.tuple(name, fc.integer({ min: 20, max: 4000 }), fc.boolean()).map(([key, depth, asArray]): Mutation => (_body, raw) => { raw.set(key, nested(depth, asArray)) }),
    fc.tuple(name, fc.integer({ min: 1000, max: 120_000 }), fc.constantFrom<unknown>(0, 'x', null, {}, { id: 'x' })).map(([key, size, item]): Mutation => (_body, raw) => {
      raw.set(key, `[${Array.from({ length: size }, () => JSON.stringify(item)).join(',')}]`)
    }),
    fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom('{"polluted":true}', '{"prototype":{"polluted":true}}', '"x"', 'null'), fc.boolean())
      .map(([key, value, inside]): Mutation => (body, raw) => {
        if (!inside) {
          raw.set(key, value)
          return
        }
        // Inside the first object-valued property, or a new one.
        const host = Object.keys(body).find((candidate) => typeof body[candidate] === 'object' && body[candidate] !== null && !Array.isArray(body[candidate])) ?? 'retentionSettings'
        raw.set(host, `{${JSON.stringify(key)}:${value}}`)
      })
  )
}

/** A body near the seed: a few mutations; properties given as raw text go in as written. */
function mutated (seed: Record<string, unknown>): fc.Arbitrary<string> {
  return fc.array(mutation(seed), { minLength: 0, maxLength: 3 }).map((mutations) => {
    const body: Record<string, unknown> = structuredClone(seed)
    const raw = new Map<string, string>()
    for (const apply of mutations) apply(body, raw)
    const parts = Object.entries(body).filter(([key]) => !raw.has(key)).map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`)
    for (const [key, text] of raw) parts.push(`${JSON.stringify(key)}:${text}`)
    return `{${parts.join(',')}}`
  })
}

const notJson = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,2', 'nul', '{"a":1}}', '{"a":1,}', '{\'a\':1}', '\u0000', '{"a":"\\ud800"}', '{"a":01}', '"just a string"', '[]', 'null', '0', 'true'),
  fc.string({ maxLength: 40 })
)

function bodies (seed: Record<string, unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: mutated(seed) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: notJson }
  )
}

t.test('write bodies: no 5xx, Graph\'s errors, and a failed request changes nothing', async (t) => {
  const app = await buildApp({ clockMode: 'manual', clockStart: '2026-12-01T09:00:00Z' })
  t.teardown(async () => { await app.close() })
  const targets = await targetsOf(app)
  t.equal(targets.length, 126, 'POST on every set and PATCH on every entity and singleton the mock serves, both versions')
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort()
  const started = performance.now()
  const statuses = new Map<number, number>()
  let runs = 0
  let failed: string | undefined
  const share = BUDGET_MS / targets.length
  for (const [index, target] of targets.entries()) {
    // A target's runs after its share of the budget pass without a request (fast-check's own time
    // limit would leave a request running on into the next target's reads); the first one always runs.
    const deadline = performance.now() + share
    let done = 0
    const read = async (): Promise<string[]> => await Promise.all(target.reads.map(async (url) => {
      const response = await app.inject({ method: 'GET', url, headers: AUTH })
      return `${response.statusCode} ${response.body}`
    }))
    const property = fc.asyncProperty(bodies(target.seed), async (payload) => {
      if (done > 0 && performance.now() > deadline) return
      done++
      runs++
      const before = await read()
      const response = await app.inject({ method: target.method, url: target.url, headers: JSON_HEADERS, payload })
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
      const problems = answerProblems({ method: target.method, statusCode: response.statusCode, headers: response.headers, body: response.body })
      if (response.statusCode >= 400) {
        if (response.statusCode >= 500) problems.push(`a ${response.statusCode}`)
        const after = await read()
        if (after.join('\n') !== before.join('\n')) problems.push(`the failed request changed ${target.reads.join(' or ')}`)
      }
      if (Object.getOwnPropertyNames(Object.prototype).length !== prototypeBefore.length) problems.push('Object.prototype changed')
      if (problems.length > 0) throw new Error(`${target.method} ${target.url} ${payload.slice(0, 300)} → ${response.statusCode} ${response.body.slice(0, 300)}: ${problems.join('; ')}`)
    })
    const details = await fc.check(property, { seed: SEED + index, numRuns: RUNS_PER_TARGET })
    if (details.failed) {
      failed = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)
      break
    }
  }
  const seconds = (performance.now() - started) / 1000
  t.equal(failed, undefined, 'every body was answered well')
  t.ok(runs >= targets.length, `${runs} runs in ${seconds.toFixed(1)} s (at most ${targets.length * RUNS_PER_TARGET}, at least one per target)`)
  t.strictSame(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeBefore, 'Object.prototype has no new keys')
  t.ok([...statuses.keys()].some((status) => status < 300), 'some bodies were accepted (the mutations stay near valid)')
  t.ok([...statuses.keys()].every((status) => status < 500), `statuses ${[...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')}`)
})
