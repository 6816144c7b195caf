// The two whole published contract documents (../shared/contract/BackupRestore.{beta,v1.0}.yml), read
// once each, and what a test needs to walk them: their paths with a GET and the response each GET
// declares for 2XX. The tests compare the project against these files, never against a copy.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import type { OpenApiDocument, OpenApiSchema } from './contract.js'

export type ContractVersion = 'beta' | 'v1.0'
export const CONTRACT_VERSIONS: readonly ContractVersion[] = ['beta', 'v1.0']

export function documentPath (version: ContractVersion): string {
  return fileURLToPath(new URL(`../../../shared/contract/BackupRestore.${version}.yml`, import.meta.url))
}

interface MediaType { schema?: OpenApiSchema }
interface OpenApiResponse { $ref?: string, description?: string, content?: Record<string, MediaType> }
interface OpenApiOperation { operationId?: string, responses?: Record<string, OpenApiResponse> }

/** A whole contract document: its schemas, its shared responses and its operations by path. */
export interface WholeDocument extends OpenApiDocument {
  components: { schemas: Record<string, OpenApiSchema>, responses?: Record<string, OpenApiResponse> }
  paths: Record<string, Partial<Record<'get' | 'post' | 'patch' | 'put' | 'delete', OpenApiOperation>>>
}

const cache = new Map<ContractVersion, WholeDocument>()

export function wholeContract (version: ContractVersion): WholeDocument {
  let document = cache.get(version)
  if (document === undefined) {
    document = parse(readFileSync(documentPath(version), 'utf8')) as WholeDocument
    cache.set(version, document)
  }
  return document
}

/** What a 2XX answer must be: a JSON body matching `schema`, a text/plain count, or no body. */
export type DeclaredResponse =
  | { kind: 'json', schema: OpenApiSchema, description: string }
  | { kind: 'count' }
  | { kind: 'empty' }

export type OperationMethod = 'get' | 'post' | 'patch' | 'put' | 'delete'

/**
 * The 2XX response the contract declares for `method` on `path` (a template of the document), its
 * `$ref` to a shared response followed; undefined when the path has no such operation.
 */
export function declaredResponse (document: WholeDocument, path: string, method: OperationMethod): DeclaredResponse | undefined {
  const operation = document.paths[path]?.[method]
  if (operation === undefined) return undefined
  const responses = operation.responses ?? {}
  let response = responses['2XX'] ?? responses['200'] ?? responses['201'] ?? responses['204']
  if (response?.$ref !== undefined) {
    const name = response.$ref.replace('#/components/responses/', '')
    response = document.components.responses?.[name]
    if (response === undefined) throw new Error(`the contract has no response ${name}`)
  }
  if (response === undefined) throw new Error(`${method.toUpperCase()} ${path} declares no 2XX answer`)
  if (response.content === undefined) return { kind: 'empty' }
  const json = response.content['application/json']?.schema
  if (json !== undefined) return { kind: 'json', schema: json, description: response.description ?? '' }
  if (response.content['text/plain'] !== undefined) return { kind: 'count' }
  throw new Error(`${method.toUpperCase()} ${path} declares an unexpected 2XX media type: ${Object.keys(response.content).join(', ')}`)
}

/** The 2XX response the contract declares for GET `path`. */
export function declaredGetResponse (document: WholeDocument, path: string): DeclaredResponse {
  const declared = declaredResponse(document, path, 'get')
  if (declared === undefined) throw new Error(`the contract has no GET ${path}`)
  return declared
}

/** The document's path template that `path` (below the version, keys as segments) is an instance of. */
export function templateOf (document: WholeDocument, path: string): string | undefined {
  let best: { template: string, placeholders: number } | undefined
  for (const [template, pattern, placeholders] of patterns(document)) {
    if (pattern.test(path) && (best === undefined || placeholders < best.placeholders)) best = { template, placeholders }
  }
  return best?.template
}

const patternCache = new WeakMap<WholeDocument, Array<[string, RegExp, number]>>()

/**
 * Each template as a pattern: a `{…}` placeholder is any text without a slash that is not a
 * qualified name (`microsoft.graph.…` is a cast or an operation, never a key), `$count` may come
 * percent-encoded, and names compare case-insensitively (as Graph's do). Where several templates
 * match (`protectionUnits/{id}` and `protectionUnits/microsoft.graph.driveProtectionUnit`), the one
 * with the fewest placeholders is the one meant.
 */
function patterns (document: WholeDocument): Array<[string, RegExp, number]> {
  let list = patternCache.get(document)
  if (list === undefined) {
    list = Object.keys(document.paths).map((template) => {
      const source = template.split(/(\{[^}]+\})/).map((part) => part.startsWith('{')
        ? '(?!microsoft\\.graph\\.)[^/]+'
        : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\$count/g, '(?:\\$|%24)count')).join('')
      return [template, new RegExp(`^${source}/?$`, 'i'), (template.match(/\{/g) ?? []).length] as [string, RegExp, number]
    })
    patternCache.set(document, list)
  }
  return list
}

/** Every path of the document that has a GET, in the document's order. */
export function getPaths (document: WholeDocument): string[] {
  return Object.keys(document.paths).filter((path) => document.paths[path]?.get !== undefined)
}
