// Issue 11's "Done when": every GET path of both published contract documents answers 200 on the
// bundled tenant, with a body that validates against the 2XX response that path declares. The test
// walks the documents themselves (../shared/contract/BackupRestore.{beta,v1.0}.yml), not a list of
// paths: a path added to a document is walked without touching this file. Each `{…-id}` is filled by
// listing its parent collection (path-walk.ts says how), so the ids are the tenant's own.
//
// Besides the schema, for every path: @odata.context is Graph's, under
// `https://graph.microsoft.com/<version>/$metadata#solutions/backupRestore`; a collection is not empty
// (the bundled tenant has data in every set); a value of a polymorphic type says which type it is
// (`@odata.type`); an item read by key is the item asked for; a `$count` is text/plain digits, above
// 0, and agrees with the collection's `@odata.count`. The one function with a GET path (the browse
// continuation) is reached as a client reaches it, through the action's `@odata.nextLink`; its
// @odata.context is Graph's for a function (see checkContinuation).

import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { GRAPH_JSON } from '../hardening/graph-error-shape.js'
import { CONTRACT_VERSIONS, declaredGetResponse, getPaths, wholeContract, type DeclaredResponse, type WholeDocument } from './documents.js'
import { DocumentValidator } from './document-validator.js'
import { graphError, idsOf, parseTemplate, PathWalker, valueOf, type Answer, type TemplateSegment } from './path-walk.js'

const AUTH = { authorization: 'Bearer x' }
/** How many items of a set the continuation check tries as the bound entity. */
const CANDIDATES = 40

function escaped (text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The collection item type a declared answer names (`value: [{$ref}]`), when it is a collection. */
function itemTypeOf (declared: DeclaredResponse, document: WholeDocument): string | undefined {
  if (declared.kind !== 'json') return undefined
  const envelope = declared.schema.$ref === undefined
    ? declared.schema
    : document.components.schemas[declared.schema.$ref.replace('#/components/schemas/', '')]
  return envelope?.properties?.['value']?.items?.$ref?.replace('#/components/schemas/', '')
}

/** The entity type a declared single-entity answer names. */
function entityTypeOf (declared: DeclaredResponse): string | undefined {
  if (declared.kind !== 'json' || declared.schema.$ref === undefined) return undefined
  const name = declared.schema.$ref.replace('#/components/schemas/', '')
  return name.endsWith('CollectionResponse') ? undefined : name
}

/** The key the URL ends with (before a trailing cast), when the template ends there. */
function requestedKey (segments: readonly TemplateSegment[], url: string): string | undefined {
  const parts = url.split('?')[0]?.split('/') ?? []
  const last = segments[segments.length - 1]
  if (last?.kind === 'key') return decodeURIComponent(parts[parts.length - 1] ?? '')
  if (last?.kind === 'cast' && segments[segments.length - 2]?.kind === 'key') return decodeURIComponent(parts[parts.length - 2] ?? '')
  return undefined
}

function header (answer: Answer, name: string): string | undefined {
  const value = answer.headers[name]
  return value === undefined ? undefined : String(value)
}

function snippet (answer: Answer, note?: string): { status: number, body: string, note?: string } {
  return { status: answer.statusCode, body: answer.body.slice(0, 1500), ...(note === undefined ? {} : { note }) }
}

interface ContinuationCase {
  version: string
  document: WholeDocument
  path: string
  segments: readonly TemplateSegment[]
  declared: DeclaredResponse
  validator: DocumentValidator
  walker: PathWalker
  /** An app on the bundled tenant with one item per page, so that a first page has a next one. */
  smallPages: () => Promise<FastifyInstance>
}

function answerOf (response: { statusCode: number, headers: Answer['headers'], body: string }): Answer {
  return { statusCode: response.statusCode, headers: response.headers, body: response.body }
}

/**
 * A function whose parameter continues a paging (`browseSessions/{id}/microsoft.graph.browse(nextFetchToken='…')`)
 * takes a token only the action of the same name hands out, in its `@odata.nextLink`: a client POSTs
 * `…/{id}/microsoft.graph.browse`, then follows the link. So does this check, on an app with one item
 * per page (the first page of any location with two items has a next one), trying the set's items in
 * turn. The answer is the function's own: its @odata.context is Graph's for a function returning a
 * collection of a complex type, `$metadata#Collection(<type>)`, not a path under
 * solutions/backupRestore. Where the action is not served (404 ResourceNotServed), neither is the
 * continuation: then the function must be the mock's documented 404 ResourceNotServed, naming it.
 */
async function checkContinuation (t: Test, check: ContinuationCase): Promise<void> {
  const { version, segments, declared, validator } = check
  const at = segments.findIndex((segment) => segment.kind === 'function')
  const fn = segments[at]
  if (fn?.kind !== 'function' || segments[at - 1]?.kind !== 'key' || declared.kind !== 'json') {
    t.fail(`${check.path}: a function bound to an item, answering JSON, is expected`)
    return
  }
  const set = await check.walker.walk(`/${version}`, segments.slice(0, at - 1))
  const ids = idsOf(set.answer)
  if (set.stoppedAt !== undefined || set.answer.statusCode !== 200 || ids.length === 0) {
    t.fail(set.stoppedAt ?? `GET ${set.url} lists nothing to bind the function to`, snippet(set.answer))
    return
  }
  const app = await check.smallPages()
  const action = fn.text.slice(0, fn.text.indexOf('('))
  let continuation: string | undefined
  let last: Answer | undefined
  for (const id of ids.slice(0, CANDIDATES)) {
    const url = `${set.url}/${encodeURIComponent(id)}/${action}`
    last = answerOf(await app.inject({ method: 'POST', url, headers: AUTH, payload: {} }))
    if (last.statusCode === 404 && last.body.includes('"ResourceNotServed"')) {
      const token = fn.text.replace(/\{[^}]+\}/g, 'token')
      const unserved = `${set.url}/${encodeURIComponent(id)}/${token}`
      const answer = await check.walker.get(unserved)
      t.equal(answer.statusCode, 404, `POST ${url} is not served, so neither is GET ${unserved}`, snippet(answer))
      t.strictSame(JSON.parse(answer.body), graphError(answer, 'ResourceNotServed', `graph-mock does not serve GET ${unserved} yet.`))
      return
    }
    const next = last.statusCode === 200 ? (JSON.parse(last.body) as Record<string, unknown>)['@odata.nextLink'] : undefined
    if (typeof next === 'string') {
      continuation = next
      break
    }
  }
  if (continuation === undefined) {
    t.fail(`no item of ${set.url} answers POST …/{id}/${action} with an @odata.nextLink, even one item per page: the function cannot be reached on the bundled tenant`, last === undefined ? {} : snippet(last))
    return
  }
  const link = new URL(continuation)
  const url = `${link.pathname}${link.search}`
  // The contract's path as a pattern: keys and function parameters are any segment text.
  const template = escaped(check.path).replace(/\\\{[^}]+\\\}/g, '[^/]+')
  t.match(url, new RegExp(`^/${escaped(version)}${template}$`), `the action's @odata.nextLink is the contract's function path (${url})`)
  const answer = answerOf(await app.inject({ method: 'GET', url, headers: AUTH }))
  t.equal(answer.statusCode, 200, `GET ${url} answers 200`, snippet(answer))
  if (answer.statusCode !== 200) return
  t.equal(header(answer, 'content-type'), GRAPH_JSON, 'Graph\'s JSON media type')
  const body = JSON.parse(answer.body) as Record<string, unknown>
  t.strictSame(validator.errors(declared.schema, body), [], `the body of GET ${url} validates against the contract`, snippet(answer))
  const itemType = itemTypeOf(declared, check.document)
  t.equal(body['@odata.context'], `https://graph.microsoft.com/${version}/$metadata#Collection(${itemType ?? '?'})`, '@odata.context is Graph\'s for a function\'s collection')
  t.ok(Array.isArray(body['value']) && body['value'].length > 0, 'the continued page has items')
}

for (const version of CONTRACT_VERSIONS) {
  t.test(`every GET path of BackupRestore.${version}.yml answers 200 on the bundled tenant, as the contract says`, async (t) => {
    const document = wholeContract(version)
    const validator = new DocumentValidator(document, `every-get-path-${version}`)
    const app = await buildApp()
    t.teardown(async () => { await app.close() })
    const walker = new PathWalker(app, AUTH)
    let small: FastifyInstance | undefined
    const smallPages = async (): Promise<FastifyInstance> => {
      if (small === undefined) {
        const built = await buildApp({ pageSize: 1 })
        t.teardown(async () => { await built.close() })
        small = built
      }
      return small
    }
    const context = new RegExp(`^${escaped(`https://graph.microsoft.com/${version}/$metadata#solutions/backupRestore`)}(?:$|[/(])`)
    const paths = getPaths(document)
    t.ok(paths.length > 100, `the document has its GET paths (${paths.length})`)

    for (const path of paths) {
      await t.test(path, async (t) => {
        const segments = parseTemplate(path, document)
        const declared = declaredGetResponse(document, path)
        if (segments.some((segment) => segment.kind === 'function')) {
          await checkContinuation(t, { version, document, path, segments, declared, validator, walker, smallPages })
          return
        }
        const attempt = await walker.walk(`/${version}`, segments)
        if (attempt.stoppedAt !== undefined) {
          t.fail(attempt.stoppedAt, snippet(attempt.answer))
          return
        }
        const { url, answer } = attempt
        const extra = snippet(answer, attempt.note)

        t.equal(answer.statusCode, 200, `GET ${url} answers 200`, extra)
        if (answer.statusCode !== 200) return

        if (declared.kind === 'count') {
          t.match(header(answer, 'content-type'), /^text\/plain\b/, 'a count is text/plain')
          t.match(answer.body, /^\d+$/, 'a count is digits')
          t.ok(Number(answer.body) > 0, `the set is not empty in the bundled tenant (GET ${url} counts ${answer.body})`, extra)
          const collectionUrl = `${url.slice(0, -'/$count'.length)}?$count=true`
          const collection = await walker.get(collectionUrl)
          if (collection.statusCode === 200) {
            const counted = (JSON.parse(collection.body) as Record<string, unknown>)['@odata.count']
            t.equal(Number(answer.body), counted, `the count agrees with GET ${collectionUrl}`)
          }
          return
        }
        if (declared.kind === 'empty') {
          t.equal(answer.body, '', 'the contract declares no body')
          return
        }

        t.equal(header(answer, 'content-type'), GRAPH_JSON, 'Graph\'s JSON media type')
        const body = JSON.parse(answer.body) as Record<string, unknown>
        t.strictSame(validator.errors(declared.schema, body), [], `the body of GET ${url} validates against the contract`, extra)
        t.match(body['@odata.context'], context, '@odata.context is under the version\'s solutions/backupRestore')

        const itemType = itemTypeOf(declared, document)
        const value = valueOf(answer)
        if (itemType !== undefined) {
          t.ok(value !== undefined && value.length > 0, `the collection is not empty in the bundled tenant (GET ${url})`, extra)
          if (validator.derivedTypes(itemType).length > 0) {
            const untyped = (value ?? []).filter((item) => typeof item !== 'object' || item === null || !('@odata.type' in item))
            t.equal(untyped.length, 0, `every item of a set of ${itemType} (a polymorphic type) carries its @odata.type`)
          }
          return
        }
        const entityType = entityTypeOf(declared)
        if (entityType !== undefined && validator.derivedTypes(entityType).length > 0) {
          t.type(body['@odata.type'], 'string', `a ${entityType} (a polymorphic type) carries its @odata.type`)
        }
        const key = requestedKey(segments, url)
        if (key !== undefined) t.equal(String(body['id']).toLowerCase(), key.toLowerCase(), 'the item read by key is the one asked for')
      })
    }
  })
}
