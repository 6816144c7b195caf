// Bound actions and functions: what Graph *does* beyond storage, one handler per operation of the
// model, keyed by the type it is bound to and its name. The routes register a path's action (POST) or
// function (GET) only where a handler exists here; every other operation stays the not-served 404.
// Handlers are pure: they read the tenant and answer a status and a JSON body.

import { GraphError, badRequest } from '../errors.js'
import { createEntitySerializer, type EntitySerializer } from '../graph/serializer.js'
import { versionView } from '../graph/version-view.js'
import { storageModel, type Model, type OperationModel } from '../model/index.js'
import type { Collection, StoredEntity, Tenant } from '../store/index.js'
import type { WriteContext } from '../write/entity-behaviour.js'
import type { Behaviours } from '../write/writes.js'
import { browse, browseContinue } from './browse.js'

export interface OperationCall {
  readonly model: Model
  readonly tenant: Tenant
  /** What the operation is bound to: an entity, or a collection. */
  readonly target: { readonly kind: 'entity', readonly entity: StoredEntity } | { readonly kind: 'collection', readonly collection: Collection }
  /** The target's path below the version root, as requested, for links the answer carries. */
  readonly path: string
  /** `<origin>/<version>`: where links the answer carries point. */
  readonly base: string
  readonly parameters: Readonly<Record<string, unknown>>
  readonly operation: OperationModel
  /** The page size in effect (the mock's default). */
  readonly pageSize: number
  /** The request asks for evolvable enum members (`Prefer: include-unknown-enum-members`). */
  readonly includeUnknownEnumMembers: boolean
  /** For operations that change things: the write context (time, identity, ids, the schedule). */
  readonly write: WriteContext
  readonly behaviours: Behaviours
}

export interface OperationAnswer {
  readonly status: number
  /** Extra response headers (Location, Content-Location). */
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** A JSON body without `@odata.context` (the route adds it), or undefined for none. */
  readonly body?: Readonly<Record<string, unknown>> | undefined
  /** The `@odata.context` fragment after `$metadata#`, when the body has one. */
  readonly context?: string | undefined
  /** The body shows evolvable enum members because the request asked: the route says so (`Preference-Applied`). */
  readonly includedUnknownEnumMembers?: boolean | undefined
}

const serializers = new WeakMap<Model, Map<string, EntitySerializer>>()

function serializerFor (model: Model, type: string): EntitySerializer {
  let byType = serializers.get(model)
  if (byType === undefined) {
    byType = new Map()
    serializers.set(model, byType)
  }
  let serializer = byType.get(type)
  if (serializer === undefined) {
    const served = model.schema(type)
    serializer = createEntitySerializer(type, served, { view: versionView(served, storageModel.schema(type)) })
    byType.set(type, serializer)
  }
  return serializer
}

/**
 * An entity as an operation answers it: as the version's model has its type, with evolvable enum
 * members shown when the request asks for them (as list and get honour the preference), or `always`
 * where the documented examples show them to a request that does not ask.
 */
export function entityAnswer (call: OperationCall, entity: StoredEntity, always = false): { body: Record<string, unknown>, includedUnknownEnumMembers: boolean } {
  const serializer = serializerFor(call.model, entity.type)
  const include = always || call.includeUnknownEnumMembers
  const body = JSON.parse(serializer.serialize(entity.row, { includeUnknownEnumMembers: include })) as Record<string, unknown>
  return { body, includedUnknownEnumMembers: call.includeUnknownEnumMembers && serializer.hasEvolvableEnums }
}

export type OperationHandler = (call: OperationCall) => OperationAnswer

export interface OperationEntry {
  readonly binding: string
  readonly name: string
  readonly kind: 'action' | 'function'
  readonly handle: OperationHandler
}

/** Operations other modules add (the lifecycles register theirs here). */
const registered: OperationEntry[] = []

export function registerOperation (entry: OperationEntry): void {
  registered.push(entry)
}

const entries: readonly OperationEntry[] = [
  { binding: 'microsoft.graph.browseSessionBase', name: 'browse', kind: 'action', handle: browse },
  { binding: 'microsoft.graph.browseSessionBase', name: 'browse', kind: 'function', handle: browseContinue }
]

/** The handler for an operation bound to `type` (or a base of it), if the mock implements it. */
export function operationHandler (model: Model, type: string, name: string, kind: 'action' | 'function'): OperationHandler | undefined {
  return [...registered, ...entries].find((entry) => entry.name === name && entry.kind === kind && model.hasType(entry.binding) && model.derivesFrom(type, entry.binding))?.handle
}

/**
 * Checks an action's JSON body against its declared parameters, as the OData library does: an
 * object, no unknown parameter, each of its declared type.
 */
export function actionParameters (model: Model, operation: OperationModel, body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {}
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The request body must be a JSON object of the action\'s parameters.')
  const result: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(body)) {
    const parameter = operation.parameters.find((p) => p.name === name)
    const operationName = operation.operationId.split('_').at(-1) ?? operation.operationId
    if (parameter === undefined) throw badRequest(`The parameter '${name}' in the request payload is not a valid parameter for the operation '${operationName}'.`)
    if (value === null) {
      if (!parameter.nullable) throw badRequest(`A null value was found for the property named '${name}', which has the expected type '${parameter.type}[Nullable=False]'. The expected type '${parameter.type}[Nullable=False]' does not allow null values.`)
      result[name] = null
      continue
    }
    const enumType = model.enumType(parameter.type)
    const expected = parameter.collection ? 'array' : enumType !== undefined || parameter.type === 'Edm.String' || parameter.type === 'Edm.DateTimeOffset' ? 'string' : parameter.type === 'Edm.Boolean' ? 'boolean' : parameter.type.startsWith('Edm.Int') ? 'number' : 'object'
    const actual = Array.isArray(value) ? 'array' : typeof value
    if (actual !== expected) {
      throw badRequest(`Cannot convert the literal '${JSON.stringify(value)}' to the expected type '${parameter.collection ? `Collection(${parameter.type})` : parameter.type}'.`)
    }
    if (enumType !== undefined && !enumType.members.includes(value as string)) {
      throw badRequest(`The value '${String(value)}' is not a member of the enum type '${enumType.name}'.`)
    }
    result[name] = value
  }
  return result
}

export { GraphError }
