// Turns a contract path template into a URL the bundled tenant answers, the way a client finds its
// ids: each `{…-id}` is filled by listing the collection before it (through the type cast that
// follows the key, if any), walking down level by level. Where a level has several items, the walk
// tries them in order until the rest of the path answers 200 with something in it (a nested set that
// is empty under the first session may be full under the third), so a path fails only when no parent
// in the tenant makes it answer.

import type { FastifyInstance } from 'fastify'
import type { WholeDocument } from './documents.js'

export type TemplateSegment =
  | { kind: 'name', text: string }
  | { kind: 'key', parameter: string }
  | { kind: 'cast', type: string }
  | { kind: 'count' }
  | { kind: 'function', text: string }

/** The segments of a contract path: names (the root, navigations), keys, casts, `$count`, functions. */
export function parseTemplate (path: string, document: WholeDocument): TemplateSegment[] {
  return path.split('/').slice(1).map((text): TemplateSegment => {
    const key = /^\{(.+)\}$/.exec(text)
    if (key?.[1] !== undefined) return { kind: 'key', parameter: key[1] }
    if (text === '$count') return { kind: 'count' }
    if (text.includes('(')) return { kind: 'function', text }
    if (text.startsWith('microsoft.graph.') && document.components.schemas[text] !== undefined) return { kind: 'cast', type: text }
    return { kind: 'name', text }
  })
}

export interface Answer {
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}

export interface Attempt {
  /** The URL requested last (the path's own URL when the walk got that far). */
  url: string
  answer: Answer
  /** The path's own URL answered 200 with data (a non-empty collection, a count above 0). */
  accepted: boolean
  /** Why the walk stopped before the path's own URL, when it did. */
  stoppedAt?: string
  /** Which parent the URL was built from, when no parent made the path answer with data. */
  note?: string
}

/** How many items of one collection the walk tries as the parent of the rest of the path. */
const CANDIDATES = 40

function parsed (answer: Answer): unknown {
  try {
    return JSON.parse(answer.body)
  } catch {
    return undefined
  }
}

/** The `value` array of a JSON collection answer, or undefined. */
export function valueOf (answer: Answer): unknown[] | undefined {
  const body = parsed(answer)
  if (typeof body !== 'object' || body === null || !('value' in body)) return undefined
  return Array.isArray(body.value) ? body.value as unknown[] : undefined
}

/** The ids of the items of a JSON collection answer, in order. */
export function idsOf (answer: Answer): string[] {
  return (valueOf(answer) ?? [])
    .map((item) => typeof item === 'object' && item !== null && 'id' in item ? item.id : undefined)
    .filter((id): id is string => typeof id === 'string')
}

function hasData (answer: Answer, last: TemplateSegment | undefined): boolean {
  if (answer.statusCode !== 200) return false
  if (last?.kind === 'count') return /^\d+$/.test(answer.body) && Number(answer.body) > 0
  const value = valueOf(answer)
  return value === undefined || value.length > 0
}

export class PathWalker {
  readonly #app: FastifyInstance
  readonly #headers: Record<string, string>
  readonly #answers = new Map<string, Promise<Answer>>()
  readonly #functionArguments: Record<string, string>

  /** `functionArguments` fills the `{name}` placeholders of function segments. */
  constructor (app: FastifyInstance, headers: Record<string, string>, functionArguments: Record<string, string> = {}) {
    this.#app = app
    this.#headers = headers
    this.#functionArguments = functionArguments
  }

  /** One GET through inject, remembered: the walk lists the same parents many times. */
  async get (url: string): Promise<Answer> {
    let answer = this.#answers.get(url)
    if (answer === undefined) {
      answer = this.#app.inject({ method: 'GET', url, headers: this.#headers })
        .then((response) => ({ statusCode: response.statusCode, headers: response.headers, body: response.body }))
      this.#answers.set(url, answer)
    }
    return await answer
  }

  /** A URL for `segments` under `root` (`/beta`), with every key filled from the tenant. */
  async walk (root: string, segments: readonly TemplateSegment[]): Promise<Attempt> {
    return await this.#walk(segments, 0, root)
  }

  async #walk (segments: readonly TemplateSegment[], index: number, prefix: string): Promise<Attempt> {
    const segment = segments[index]
    if (segment === undefined) {
      const answer = await this.get(prefix)
      return { url: prefix, answer, accepted: hasData(answer, segments[segments.length - 1]) }
    }
    switch (segment.kind) {
      case 'name': return await this.#walk(segments, index + 1, `${prefix}/${segment.text}`)
      case 'cast': return await this.#walk(segments, index + 1, `${prefix}/${segment.type}`)
      case 'count': return await this.#walk(segments, index + 1, `${prefix}/$count`)
      case 'function': {
        const text = segment.text.replace(/\{([^}]+)\}/g, (_, name: string) => this.#functionArguments[name] ?? `{${name}}`)
        return await this.#walk(segments, index + 1, `${prefix}/${text}`)
      }
      case 'key': return await this.#fillKey(segments, index, prefix, segment.parameter)
    }
  }

  async #fillKey (segments: readonly TemplateSegment[], index: number, prefix: string, parameter: string): Promise<Attempt> {
    const next = segments[index + 1]
    // A key followed by a cast (`protectionUnits/{id}/microsoft.graph.driveProtectionUnit`) needs an
    // item of that type: list through the cast.
    const listing = next?.kind === 'cast' ? `${prefix}/${next.type}` : prefix
    const answer = await this.get(listing)
    const ids = idsOf(answer)
    if (answer.statusCode !== 200 || ids.length === 0) {
      const why = answer.statusCode !== 200
        ? `answered ${answer.statusCode}`
        : valueOf(answer)?.length === 0 ? 'is empty in the bundled tenant' : 'listed no item with an id'
      return { url: listing, answer, accepted: false, stoppedAt: `to fill {${parameter}}, GET ${listing} ${why}` }
    }
    let first: Attempt | undefined
    const candidates = ids.slice(0, CANDIDATES)
    for (const id of candidates) {
      const attempt = await this.#walk(segments, index + 1, `${prefix}/${encodeURIComponent(id)}`)
      if (attempt.accepted) return attempt
      first ??= attempt
    }
    // ids is not empty, so the loop ran at least once; the first parent's failure stands for all.
    const failed = first as Attempt
    const tried = `(the first of ${candidates.length} items of ${listing} tried as {${parameter}}; none did better)`
    return { ...failed, ...(failed.stoppedAt === undefined ? { note: tried } : { stoppedAt: `${failed.stoppedAt} ${tried}` }) }
  }
}

/** Graph's error body for `answer`, with its request ids and date taken from it (as test/helper.ts's expectedError). */
export function graphError (answer: Answer, code: string, message: string): unknown {
  const body = JSON.parse(answer.body) as { error?: { innerError?: { date?: unknown } } }
  return {
    error: {
      code,
      message,
      innerError: {
        date: body.error?.innerError?.date,
        'request-id': answer.headers['request-id'],
        'client-request-id': answer.headers['client-request-id']
      }
    }
  }
}
