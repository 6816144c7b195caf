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
// 0, and agrees with the collection's `@odata.count`.

import t from 'tap'
import { buildApp } from '../../src/app.js'
import { GRAPH_JSON } from '../hardening/graph-error-shape.js'
import { CONTRACT_VERSIONS, declaredGetResponse, getPaths, wholeContract, type DeclaredResponse, type WholeDocument } from './documents.js'
import { DocumentValidator } from './document-validator.js'
import { graphError, parseTemplate, PathWalker, valueOf, type Answer, type TemplateSegment } from './path-walk.js'

const AUTH = { authorization: 'Bearer x' }
/** Any token: the walk has no browse session state to take a real one from (see the browse function below). */
const NEXT_FETCH_TOKEN = 'graph-mock-walk'

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

for (const version of CONTRACT_VERSIONS) {
  t.test(`every GET path of BackupRestore.${version}.yml answers 200 on the bundled tenant, as the contract says`, async (t) => {
    const document = wholeContract(version)
    const validator = new DocumentValidator(document, `every-get-path-${version}`)
    const app = await buildApp()
    t.teardown(async () => { await app.close() })
    const walker = new PathWalker(app, AUTH, { nextFetchToken: NEXT_FETCH_TOKEN })
    const context = new RegExp(`^${escaped(`https://graph.microsoft.com/${version}/$metadata#solutions/backupRestore`)}(?:$|[/(])`)
    const paths = getPaths(document)
    t.ok(paths.length > 100, `the document has its GET paths (${paths.length})`)

    for (const path of paths) {
      await t.test(path, async (t) => {
        const segments = parseTemplate(path, document)
        const declared = declaredGetResponse(document, path)
        const attempt = await walker.walk(`/${version}`, segments)
        if (attempt.stoppedAt !== undefined) {
          t.fail(attempt.stoppedAt, snippet(attempt.answer))
          return
        }
        const { url, answer } = attempt
        const extra = snippet(answer, attempt.note)

        if (segments.some((segment) => segment.kind === 'function')) {
          // `browseSessions/{id}/microsoft.graph.browse(nextFetchToken='…')` pages on from a browse
          // that the POST `microsoft.graph.browse` action started: its token comes from that action's
          // `@odata.nextLink`. The mock serves reads only (actions come with the write issues), so
          // there is no token to continue from and the function is not served: the mock's documented
          // answer for a Graph resource it does not serve is 404 ResourceNotServed, naming it.
          t.equal(answer.statusCode, 404, `GET ${url}`, snippet(answer))
          t.strictSame(JSON.parse(answer.body), graphError(answer, 'ResourceNotServed', `graph-mock does not serve GET ${url} yet.`))
          return
        }

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
