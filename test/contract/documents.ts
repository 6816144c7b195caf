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

/** What a GET's 2XX answer must be: a JSON body matching `schema`, or a text/plain count. */
export type DeclaredResponse =
  | { kind: 'json', schema: OpenApiSchema, description: string }
  | { kind: 'count' }

/** The 2XX response the contract declares for GET `path`, its `$ref` to a shared response followed. */
export function declaredGetResponse (document: WholeDocument, path: string): DeclaredResponse {
  const operation = document.paths[path]?.get
  if (operation === undefined) throw new Error(`the contract has no GET ${path}`)
  let response = operation.responses?.['2XX'] ?? operation.responses?.['200']
  if (response?.$ref !== undefined) {
    const name = response.$ref.replace('#/components/responses/', '')
    response = document.components.responses?.[name]
    if (response === undefined) throw new Error(`the contract has no response ${name}`)
  }
  if (response?.content === undefined) throw new Error(`GET ${path} declares no 2XX content`)
  const json = response.content['application/json']?.schema
  if (json !== undefined) return { kind: 'json', schema: json, description: response.description ?? '' }
  if (response.content['text/plain'] !== undefined) return { kind: 'count' }
  throw new Error(`GET ${path} declares an unexpected 2XX media type: ${Object.keys(response.content).join(', ')}`)
}

/** Every path of the document that has a GET, in the document's order. */
export function getPaths (document: WholeDocument): string[] {
  return Object.keys(document.paths).filter((path) => document.paths[path]?.get !== undefined)
}
