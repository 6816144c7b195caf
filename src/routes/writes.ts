// Every write of one Graph version the contract has, registered from the model: POST on a set
// (root-level, polymorphic or contained) creates, PATCH updates, DELETE deletes. A handler walks the
// path like a read (resources.ts), checks the body against the type, and lets the generic writes
// and the type family's behaviour do the rest. Everything a write changes is changed synchronously,
// so concurrent requests see it whole or not at all.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { identityFromRequest } from '../auth/identity.js'
import { badRequest, GraphError } from '../errors.js'
import { entityBody, contextUrl } from '../graph/envelope.js'
import { GRAPH_JSON_CONTENT_TYPE } from '../graph/media-types.js'
import { INCLUDE_UNKNOWN_ENUM_MEMBERS, preferencesOf, requestOrigin } from '../graph/request-url.js'
import { createEntitySerializer, type EntitySerializer } from '../graph/serializer.js'
import { versionView } from '../graph/version-view.js'
import { storageModel, type Model, type PathModel } from '../model/index.js'
import { containedCollection, type EntityCollection, type StoredEntity, type Tenant } from '../store/index.js'
import type { WriteContext } from '../write/entity-behaviour.js'
import { buildEntity, deleteEntity, replaceEntity, storeEntity, updateEntity, type Behaviours } from '../write/writes.js'
import { resolveTarget, routePathOf } from './resources.js'
import { routeKeys, writableProperties, writeRouteSchema } from './route-schemas.js'

export interface WriteRoutesOptions {
  model: Model
  /** The request's tenant (its namespace's). */
  tenant: (request: FastifyRequest) => Tenant
  /** The URL prefix that selected the request's namespace, kept in the Location it gets. */
  linkPrefix: (request: FastifyRequest) => string
  behaviours: Behaviours
  /** Builds the context of one write (time, identity, ids, schedule). */
  context: (request: FastifyRequest) => WriteContext
  /** Build links from X-Forwarded-Proto/-Host (TRUST_PROXY). */
  trustProxy?: boolean
  /** Answers a request no route serves (405 with Allow, 404, 400), for keys that are really segments. */
  notRouted: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>
}

/**
 * A key that is really a path segment: `$count`, or a cast to a type deriving from the set's
 * (`…/restoreSessions/microsoft.graph.exchangeRestoreSession`). PATCH …/$count reaches the `{id}`
 * write route only because no route serves that method on `$count`. Any other value is a key, as it
 * is on GET: `$abc` or `microsoft.graph.foo` is an unknown id (the family's 404 or 400), not a 405.
 */
function segmentAsKey (model: Model, path: PathModel, params: Record<string, string>): boolean {
  const keyTypes = path.segments.flatMap((segment) => segment.kind === 'key' ? [segment.type] : [])
  return Object.values(params).some((value, index) => {
    if (value === '$count') return true
    const type = keyTypes[index]
    return type !== undefined && model.hasType(type) && model.type(type).derivedTypes.includes(value)
  })
}

const JSON_TYPE = /^application\/json\b/i

/** `Prefer: return=minimal` or `return=representation` (RFC 7240), if the request carries one. */
function returnPreference (request: FastifyRequest): 'minimal' | 'representation' | undefined {
  const value = preferencesOf(request.headers.prefer).get('return')?.toLowerCase()
  return value === 'minimal' || value === 'representation' ? value : undefined
}

function requireJson (request: FastifyRequest): void {
  const type = request.headers['content-type']
  if (type === undefined || !JSON_TYPE.test(type)) {
    throw new GraphError(415, 'UnsupportedMediaType', `The content type '${(type ?? '').slice(0, 100)}' is not supported. Send the body as application/json.`)
  }
}

/** Adds `id` to a reference navigation of `parent`, where it is stored. */
function linkTo (context: WriteContext, parent: StoredEntity, navigation: string, id: string): void {
  const ids = parent.refs.get(navigation)
  const list = ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids
  replaceEntity(context, parent, {}, new Map([[navigation, [...list, id]]]))
}

/** The write methods the mock serves on a contract path: creates on contained sets, updates, deletes. */
export function writeMethodsOf (path: PathModel): string[] {
  const last = path.segments.at(-1)
  if (last === undefined) return []
  const methods: string[] = []
  for (const operation of path.operations) {
    // POST on a set the contract makes contained, or on a reference set where the docs create (a
    // policy's bulk addition jobs): the new entity then lives in its type's root-level set.
    if (operation.method === 'POST' && last.kind === 'navigation' && last.collection && (last.contained || operation.documentedOnly !== undefined)) methods.push('POST')
    else if (operation.method === 'PATCH' && (last.kind === 'key' || last.kind === 'root' || (last.kind === 'navigation' && !last.collection))) methods.push('PATCH')
    else if (operation.method === 'DELETE' && last.kind === 'key') methods.push('DELETE')
  }
  return methods
}

export async function writeRoutes (app: FastifyInstance, options: WriteRoutesOptions): Promise<void> {
  const { model, behaviours } = options
  const serializers = new Map<string, EntitySerializer>()
  const serializerOf = (type: string): EntitySerializer => {
    let serializer = serializers.get(type)
    if (serializer === undefined) {
      const served = model.schema(type)
      serializer = createEntitySerializer(type, served, { view: versionView(served, storageModel.schema(type)) })
      serializers.set(type, serializer)
    }
    return serializer
  }
  const sendString = () => (data: unknown) => typeof data === 'string' ? data : JSON.stringify(data)
  // The body schema is the description's; readPayload checks bodies, in Graph's words.
  const noValidation = () => () => true

  function contextFor (request: FastifyRequest): WriteContext {
    return { ...options.context(request), identity: identityFromRequest(request) }
  }

  for (const path of model.paths) {
    const last = path.segments.at(-1)
    if (last === undefined || writeMethodsOf(path).length === 0) continue
    const setName = path.segments.find((segment) => segment.kind === 'navigation')?.name ?? 'backupRestore'
    const tag = `${model.version}: ${setName}`
    const config = { graphPath: path.path, graphVersion: model.version }
    const url = routePathOf(path)
    for (const operation of path.operations) {
      const info = { summary: operation.summary, tag, operationId: operation.operationId, keys: routeKeys(url) }
      const bodyType = 'type' in last ? last.type : model.root.type
      const writable = writableProperties(model, bodyType, behaviours.of(bodyType)?.serverSet)
      const schema = writeRouteSchema(operation.method, info, model.schema(bodyType), writable)
      const routeOptions = { schema, config, serializerCompiler: sendString, validatorCompiler: noValidation }
      if (!writeMethodsOf({ ...path, operations: [operation] }).includes(operation.method)) continue
      if (operation.method === 'POST' && last.kind === 'navigation' && last.collection) {
        app.post<{ Params: Record<string, string> }>(url, routeOptions, async (request, reply) => await create(request, reply, path))
      } else if (operation.method === 'PATCH' && (last.kind === 'key' || last.kind === 'root' || (last.kind === 'navigation' && !last.collection))) {
        app.patch<{ Params: Record<string, string> }>(url, routeOptions, async (request, reply) => await update(request, reply, path))
      } else if (operation.method === 'DELETE' && last.kind === 'key') {
        app.delete<{ Params: Record<string, string> }>(url, routeOptions, async (request, reply) => await remove(request, reply, path))
      }
    }
  }

  /** POST on a set: where the new entity goes, built and checked, then stored. */
  async function create (request: FastifyRequest<{ Params: Record<string, string> }>, reply: FastifyReply, path: PathModel): Promise<FastifyReply> {
    if (segmentAsKey(model, path, request.params)) return await options.notRouted(request, reply)
    requireJson(request)
    const tenant = options.tenant(request)
    const context = contextFor(request)
    const last = path.segments.at(-1)
    if (last?.kind !== 'navigation') throw new Error('create on a non-collection')
    const parentTarget = resolveTarget(model, tenant, path.segments.slice(0, -1), Object.values(request.params))
    if (parentTarget.kind !== 'entity') throw new Error('a set below a collection')
    const parent = parentTarget.entity
    // The stored set the new entity goes to: a root-level set, the set of its type under a
    // polymorphic view, the root-level set of its type (created through a reference navigation), or
    // the parent's contained collection.
    const locate = (type: string): EntityCollection => {
      if (!last.contained && parent !== tenant.root) {
        const home = storageModel.homeOf(type) ?? storageModel.homeOf(declared)
        const stored = home === undefined ? undefined : tenant.root.stored.get(home.name)
        if (stored === undefined) throw badRequest(`A ${type} cannot be created in ${last.name}.`)
        return stored
      }
      if (parent === tenant.root) {
        const set = storageModel.rootSets.get(last.name)
        const member = set?.members.find((name) => storageModel.rootSets.get(name)?.type === type) ??
          set?.members.find((name) => storageModel.derivesFrom(type, storageModel.rootSets.get(name)?.type ?? ''))
        const stored = member === undefined ? undefined : tenant.root.stored.get(member)
        if (stored === undefined) throw badRequest(`A ${type} cannot be created in ${last.name}.`)
        return stored
      }
      return containedCollection(tenant, parent, last.name)
    }
    const declared = last.type
    const probe = typeof request.body === 'object' && request.body !== null && typeof (request.body as Record<string, unknown>)['@odata.type'] === 'string'
      ? String((request.body as Record<string, unknown>)['@odata.type']).replace(/^#/, '')
      : declared
    const container = locate(storageModel.hasType(probe) && storageModel.derivesFrom(probe, declared) ? probe : declared)
    const built = buildEntity(context, behaviours, declared, request.body, parent, container)
    if (container.byId(String(built.row.id)) !== undefined) throw new GraphError(409, 'Conflict', `An entity with the id '${String(built.row.id)}' already exists.`)
    // Created through a reference navigation: the parent links it before its behaviour runs.
    if (!last.contained && parent !== tenant.root) linkTo(context, parent, last.name, String(built.row.id))
    const stored = storeEntity(context, behaviours, container, built)
    const id = String(stored.row.id)
    const entityPath = `${parentTarget.context}/${last.name}`
    const location = `${requestOrigin(request, options.trustProxy === true)}${options.linkPrefix(request)}/${model.version}/${entityPath}('${id}')`
    void reply.header('location', location)
    // Prefer: return=minimal: 204 with the new entity's URL only (OData-EntityId), as OData says.
    if (returnPreference(request) === 'minimal') {
      return reply.code(204).headers({ 'odata-entityid': location, 'preference-applied': 'return=minimal' }).send()
    }
    const includeUnknown = preferencesOf(request.headers.prefer).has(INCLUDE_UNKNOWN_ENUM_MEMBERS)
    const body = serializerOf(stored.type).serialize(stored.row, { includeUnknownEnumMembers: includeUnknown })
    if (includeUnknown && serializerOf(stored.type).hasEvolvableEnums) void reply.header('preference-applied', INCLUDE_UNKNOWN_ENUM_MEMBERS)
    return reply.code(201).type(GRAPH_JSON_CONTENT_TYPE).send(entityBody(contextUrl(model.version, entityPath, '', true), body))
  }

  async function update (request: FastifyRequest<{ Params: Record<string, string> }>, reply: FastifyReply, path: PathModel): Promise<FastifyReply> {
    if (segmentAsKey(model, path, request.params)) return await options.notRouted(request, reply)
    requireJson(request)
    const tenant = options.tenant(request)
    const target = resolveTarget(model, tenant, path.segments, Object.values(request.params))
    if (target.kind !== 'entity') throw new Error('update of a collection')
    const answer = updateEntity(contextFor(request), behaviours, target.entity, request.body)
    // Prefer: return=representation turns the documented 204 into 200 with the updated entity.
    if (answer.status === 204 && answer.body === undefined && returnPreference(request) === 'representation') {
      const updated = resolveTarget(model, options.tenant(request), path.segments, Object.values(request.params))
      if (updated.kind === 'entity') {
        const body = serializerOf(updated.entity.type).serialize(updated.entity.row, { includeUnknownEnumMembers: false })
        const contextPath = path.segments.at(-1)?.kind === 'key' ? updated.context.replace(/\('(?:[^']|'')*'\)$/, '') : updated.context
        void reply.code(200).header('preference-applied', 'return=representation')
        return reply.type(GRAPH_JSON_CONTENT_TYPE).send(entityBody(contextUrl(model.version, contextPath, '', true), body))
      }
    }
    void reply.code(answer.status)
    if (answer.body === undefined) return reply.send()
    const context = `https://graph.microsoft.com/${model.version}/$metadata#${answer.context ?? `${target.context}/$entity`}`
    return reply.type(GRAPH_JSON_CONTENT_TYPE).send(JSON.stringify({ '@odata.context': context, ...answer.body }))
  }

  async function remove (request: FastifyRequest<{ Params: Record<string, string> }>, reply: FastifyReply, path: PathModel): Promise<FastifyReply> {
    if (segmentAsKey(model, path, request.params)) return await options.notRouted(request, reply)
    const tenant = options.tenant(request)
    const target = resolveTarget(model, tenant, path.segments, Object.values(request.params))
    if (target.kind !== 'entity') throw new Error('delete of a collection')
    deleteEntity(contextFor(request), behaviours, target.entity)
    return reply.code(204).send()
  }
}
