// Reading the published Graph contract (../shared/contract) for tests. The tests compare the project
// against this file, never against a copy of it.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const CONTRACT_PATH = fileURLToPath(new URL('../../../shared/contract/exchange-restore-sessions.openapi.yaml', import.meta.url))

export interface OpenApiSchema {
  $ref?: string
  allOf?: OpenApiSchema[]
  type?: string
  format?: string
  pattern?: string
  nullable?: boolean
  minimum?: number
  maximum?: number
  required?: string[]
  enum?: string[]
  title?: string
  items?: OpenApiSchema
  properties?: Record<string, OpenApiSchema>
  'x-ms-navigationProperty'?: boolean
  'x-ms-enum-flags'?: { isFlags?: boolean }
}

export interface OpenApiDocument {
  components: { schemas: Record<string, OpenApiSchema> }
  paths: Record<string, unknown>
}

let cached: OpenApiDocument | undefined

export function contract (): OpenApiDocument {
  cached ??= parse(readFileSync(CONTRACT_PATH, 'utf8')) as OpenApiDocument
  return cached
}

export function resolveRef (ref: string): OpenApiSchema {
  const name = ref.replace('#/components/schemas/', '')
  const schema = contract().components.schemas[name]
  if (schema === undefined) throw new Error(`the contract has no schema ${name}`)
  return schema
}
