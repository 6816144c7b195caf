// Every read path of one Graph version, registered from the model: one Fastify route per contract
// path with a GET (collections, `$count`, items by key, single-valued navigations, type casts, the
// root and the other singletons). A handler walks the path's segments through the tenant (the store),
// then answers: a collection runs the query engine over the rows and pages them; an entity is
// serialized alone; `$count` is a number. `$expand` inlines navigations. Every failure is a thrown
// GraphError. First pages a request would get again are kept as bytes (page-cache.ts).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { notFoundError, nothingThere } from '../behaviours/not-found.js'
import { actionParameters, operationHandler, type OperationAnswer, type OperationHandler } from '../behaviours/operations.js'
import { identityFromRequest } from '../auth/identity.js'
import { badRequest } from '../errors.js'
import type { WriteContext } from '../write/entity-behaviour.js'
import type { Behaviours } from '../write/writes.js'
import { collectionBody, contextUrl, entityBody } from '../graph/envelope.js'
import { GRAPH_JSON_CONTENT_TYPE, TEXT_PLAIN_CONTENT_TYPE } from '../graph/media-types.js'
import { PageCache } from '../graph/page-cache.js'
import { INCLUDE_UNKNOWN_ENUM_MEMBERS, nextLinkUrl, pathOf, preferencesOf, rawQueryOf, requestOrigin } from '../graph/request-url.js'
import { createEntitySerializer, type EntitySerializer } from '../graph/serializer.js'
import { versionView } from '../graph/version-view.js'
import { storageModel, type Model, type PathModel, type PathSegment } from '../model/index.js'
import { createQueryEngine, entityModelFromSchema, type PreparedQuery, type QueryEngine, type QuerySettings } from '../odata/index.js'
import { EMPTY_COLLECTION, entityOfRow, referencedCollection, referencedEntity, rowType, type Collection, type Row, type StoredEntity, type Tenant } from '../store/index.js'
import { collectionRouteSchema, countRouteSchema, entityRouteSchema, operationRouteSchema, routeKeys } from './route-schemas.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The contract's path template this route serves, e.g. `/solutions/backupRestore/restoreSessions/{restoreSessionBase-id}`. */
    graphPath?: string
    graphVersion?: string
  }
}

export interface ResourceRoutesOptions {
  model: Model
  /** Operations that write need these (see src/behaviours/operations.ts). */
  writeContext: (request: FastifyRequest) => WriteContext
  behaviours: Behaviours
  /** The request's tenant (its namespace's) as it is now (read once per request). */
  tenant: (request: FastifyRequest) => Tenant
  /** The request's clock (its namespace's): now() in $filter. */
  now: (request: FastifyRequest) => number
  /** The URL prefix that selected the request's namespace (`/_ns/name`), kept in the links it gets. */
  linkPrefix: (request: FastifyRequest) => string
  settings: QuerySettings
  /** Bytes of first pages kept for repeated requests; 0 keeps none. */
  pageCacheBytes?: number
  /** Build links from X-Forwarded-Proto/-Host (TRUST_PROXY). */
  trustProxy?: boolean
}

/** What a path resolved to. */
export type Target =
  | { readonly kind: 'collection', readonly collection: Collection, readonly type: string, readonly context: string }
  | { readonly kind: 'entity', readonly entity: StoredEntity, readonly type: string, readonly context: string }

/** Query engines and serializers of one version, built on first use per type. */
class VersionRuntime {
  private readonly engines = new Map<string, QueryEngine<Row>>()
  private readonly serializers = new Map<string, EntitySerializer>()

  constructor (readonly model: Model, private readonly settings: QuerySettings) {}

  engine (type: string): QueryEngine<Row> {
    let engine = this.engines.get(type)
    if (engine === undefined) {
      const model = this.model
      const entityModel = entityModelFromSchema(type, model.schema(type), {
        navigationProperties: model.type(type).navigationProperties.map((nav) => nav.name),
        isOf: {
          knows: (name) => model.hasType(name),
          test: (row, name) => {
            const concrete = rowType(row)
            return concrete !== undefined && model.hasType(concrete) && model.derivesFrom(concrete, name)
          }
        }
      })
      engine = createQueryEngine<Row>(entityModel, this.settings)
      this.engines.set(type, engine)
    }
    return engine
  }

  serializer (type: string): EntitySerializer {
    let serializer = this.serializers.get(type)
    if (serializer === undefined) {
      const served = this.model.schema(type)
      serializer = createEntitySerializer(type, served, { view: versionView(served, storageModel.schema(type)) })
      this.serializers.set(type, serializer)
    }
    return serializer
  }

  /** The serializer for a row: its own concrete type's, if this version knows it. */
  serializerOf (row: Row, declared: string): EntitySerializer {
    const concrete = rowType(row)
    return this.serializer(concrete !== undefined && this.model.hasType(concrete) ? concrete : declared)
  }
}

function keyText (id: string): string {
  return `('${id.replaceAll('\'', '\'\'')}')`
}

/** Walks the path's segments from the root through the tenant. */
function resolve (runtime: VersionRuntime, tenant: Tenant, segments: readonly PathSegment[], keys: readonly string[]): Target {
  return resolveTarget(runtime.model, tenant, segments, keys)
}

/** Walks a path's segments from the root through the tenant (reads and writes alike). */
export function resolveTarget (model: Model, tenant: Tenant, segments: readonly PathSegment[], keys: readonly string[]): Target {
  let target: Target = { kind: 'entity', entity: tenant.root, type: model.root.type, context: model.root.path }
  let keyIndex = 0
  for (const segment of segments) {
    switch (segment.kind) {
      case 'root':
      case 'count':
        break
      case 'navigation': {
        if (target.kind !== 'entity') throw new Error(`navigation ${segment.name} after a collection`)
        const entity: StoredEntity = target.entity
        const context: string = `${target.context}/${segment.name}`
        if (segment.collection) {
          const collection = segment.contained
            ? entity.collections.get(segment.name) ?? EMPTY_COLLECTION
            : referencedCollection(storageModel, tenant, entity, segment.name, segment.type)
          target = { kind: 'collection', collection, type: segment.type, context }
        } else {
          const found = segment.contained ? entity.singles.get(segment.name) : referencedEntity(storageModel, tenant, entity, segment.name, segment.type)
          if (found === undefined) throw nothingThere(context)
          target = { kind: 'entity', entity: found, type: segment.type, context }
        }
        break
      }
      case 'key': {
        if (target.kind !== 'collection') throw new Error('a key after an entity')
        const id = keys[keyIndex++] ?? ''
        const found: StoredEntity | undefined = target.collection.byId(id)
        if (found === undefined) throw notFoundError(model, target.type, id)
        target = { kind: 'entity', entity: found, type: target.type, context: `${target.context}${keyText(id)}` }
        break
      }
      case 'cast': {
        const context: string = `${target.context}/${segment.type}`
        if (target.kind === 'collection') {
          target = { kind: 'collection', collection: target.collection.ofType(model, segment.type), type: segment.type, context }
        } else {
          if (!model.derivesFrom(target.entity.type, segment.type)) throw notFoundError(model, target.type, String(target.entity.row.id))
          target = { kind: 'entity', entity: target.entity, type: segment.type, context }
        }
        break
      }
      case 'action':
      case 'function':
        // The operation itself is the handler's; the walk stops at what it is bound to.
        return target
    }
  }
  return target
}

/** An entity's context path: a key at the end is left out (`…/exchangeRestoreSessions/$entity`). */
function entityContextPath (segments: readonly PathSegment[], context: string): string {
  return segments.at(-1)?.kind === 'key' ? context.replace(/\('(?:[^']|'')*'\)$/, '') : context
}

/** Adds a preference to `Preference-Applied` (one header, comma-separated, as RFC 7240 allows). */
function appliedPreference (reply: FastifyReply, preference: string): void {
  const current = reply.getHeader('preference-applied')
  void reply.header('preference-applied', typeof current === 'string' && current !== '' ? `${current}, ${preference}` : preference)
}

/**
 * `Prefer: odata.maxpagesize=N`: a positive whole number, else the preference is ignored (RFC 7240:
 * a server ignores a preference it cannot honour).
 */
function maxPageSizeOf (request: FastifyRequest): number | undefined {
  const value = preferencesOf(request.headers.prefer).get('odata.maxpagesize')
  if (value === undefined || !/^\d{1,9}$/.test(value)) return undefined
  const size = Number(value)
  return size > 0 ? size : undefined
}

function includeUnknownMembers (request: FastifyRequest): boolean {
  return preferencesOf(request.headers.prefer).has(INCLUDE_UNKNOWN_ENUM_MEMBERS)
}

/** The Fastify path of a contract path: `{x-id}` keys become named parameters. */
export function routePathOf (path: PathModel): string {
  return path.path.replace(/\{([^}]+)\}/g, (_all, name: string) => `:${name.replace(/-id$/, 'Id').replace(/[^A-Za-z0-9]/g, '')}`)
}

/** The bound type an action or function path ends in (the type of what it is bound to). */
function bindingTypeOf (model: Model, path: PathModel): string {
  const binding = [...path.segments.slice(0, -1)].reverse().find((segment) => 'type' in segment)
  return binding !== undefined && 'type' in binding ? binding.type : model.root.type
}

/** The handler of the action or function a path ends in, if the mock implements it. */
export function operationOf (model: Model, path: PathModel): { kind: 'action' | 'function', name: string, handle: OperationHandler } | undefined {
  const last = path.segments.at(-1)
  if (last?.kind !== 'action' && last?.kind !== 'function') return undefined
  const handle = operationHandler(model, bindingTypeOf(model, path), last.name, last.kind)
  return handle === undefined ? undefined : { kind: last.kind, name: last.name, handle }
}

/** The methods the mock serves on a contract path: GET on read paths, and implemented operations. */
export function servedMethods (model: Model, path: PathModel): string[] {
  const operation = operationOf(model, path)
  if (operation !== undefined) return [operation.kind === 'action' ? 'POST' : 'GET']
  return servesGet(path) ? ['GET'] : []
}

/** Whether the mock serves GET on this contract path as a read (not a function). */
export function servesGet (path: PathModel): boolean {
  return path.operations.some((operation) => operation.method === 'GET') &&
    !path.segments.some((segment) => segment.kind === 'action' || segment.kind === 'function')
}

/** A function's parameters from the path (`name='text'`), each a quoted string literal. */
function functionParameters (raw: Record<string, string>, names: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [index, name] of names.entries()) {
    let value = raw[name] ?? ''
    if (index === names.length - 1) {
      if (!value.endsWith(')')) throw badRequest(`The function call must end with ')' after its parameter '${name}'.`)
      value = value.slice(0, -1)
    }
    const quoted = /^'((?:[^']|'')*)'$/.exec(value)
    if (quoted === null) throw badRequest(`The parameter '${name}' must be a quoted string literal, as in ${name}='value'.`)
    result[name] = (quoted[1] ?? '').replaceAll("''", "'")
  }
  return result
}

export async function resourceRoutes (app: FastifyInstance, options: ResourceRoutesOptions): Promise<void> {
  const { model } = options
  const runtime = new VersionRuntime(model, options.settings)
  // Bodies are assembled as strings; no per-route serializer needs compiling.
  const sendString = () => (data: unknown) => typeof data === 'string' ? data : JSON.stringify(data)
  // The query engine validates the query string; Fastify's schema is only the description.
  const noValidation = () => () => true
  const pages = new PageCache(options.pageCacheBytes)
  const originOf = (request: FastifyRequest): string => `${requestOrigin(request, options.trustProxy === true)}${options.linkPrefix(request)}`

  function expandInto (tenant: Tenant, json: string, row: Row, type: string, prepared: PreparedQuery, includeUnknown: boolean): string {
    if (prepared.expand.length === 0) return json
    const entity = entityOfRow(row)
    if (entity === undefined) return json
    let extra = ''
    for (const item of prepared.expand) {
      const nav = model.navigation(entity.type, item.name) ?? model.navigation(type, item.name)
      if (nav === undefined) continue
      const nested = item.select === undefined ? undefined : runtime.engine(nav.type).prepare(`$select=${encodeURIComponent(item.select)}`, 'entity').select
      const serializeOptions = { includeUnknownEnumMembers: includeUnknown, select: nested }
      let value: string
      if (nav.collection) {
        const collection = nav.contained ? entity.collections.get(nav.name) ?? EMPTY_COLLECTION : referencedCollection(storageModel, tenant, entity, nav.name, nav.type)
        value = `[${collection.rows.map((child) => runtime.serializerOf(child, nav.type).serialize(child, serializeOptions)).join(',')}]`
      } else {
        const target = nav.contained ? entity.singles.get(nav.name) : referencedEntity(storageModel, tenant, entity, nav.name, nav.type)
        value = target === undefined ? 'null' : runtime.serializerOf(target.row, nav.type).serialize(target.row, serializeOptions)
      }
      extra += `,${JSON.stringify(nav.name)}:${value}`
    }
    return `${json.slice(0, -1)}${extra}}`
  }

  /** Checks every nested `$select` of `$expand` before any row is read, so an empty page gets its 400 too. */
  function checkExpand (prepared: PreparedQuery, type: string): void {
    for (const item of prepared.expand) {
      const nav = model.navigation(type, item.name)
      if (item.select !== undefined && nav !== undefined) runtime.engine(nav.type).prepare(`$select=${encodeURIComponent(item.select)}`, 'entity')
    }
  }

  function applyPreference (request: FastifyRequest, reply: FastifyReply, type: string): boolean {
    const wanted = includeUnknownMembers(request)
    if (wanted && runtime.serializer(type).hasEvolvableEnums) appliedPreference(reply, INCLUDE_UNKNOWN_ENUM_MEMBERS)
    return wanted
  }

  function sendOperation (reply: FastifyReply, answer: OperationAnswer): FastifyReply {
    void reply.code(answer.status)
    if (answer.headers !== undefined) void reply.headers(answer.headers)
    if (answer.includedUnknownEnumMembers === true) appliedPreference(reply, INCLUDE_UNKNOWN_ENUM_MEMBERS)
    if (answer.body === undefined) return reply.send()
    const context = answer.context === undefined ? {} : { '@odata.context': `https://graph.microsoft.com/${model.version}/$metadata#${answer.context}` }
    return reply.type(GRAPH_JSON_CONTENT_TYPE).send(JSON.stringify({ ...context, ...answer.body }))
  }

  for (const path of model.paths) {
    const operation = operationOf(model, path)
    if (operation === undefined) continue
    const segments = path.segments
    const last = segments.at(-1)
    const declared = path.operations.find((op) => op.method === (operation.kind === 'action' ? 'POST' : 'GET'))
    if (declared === undefined || last === undefined) continue
    const parameterNames = last.kind === 'function' ? last.parameters : []
    const prefix = routePathOf({ ...path, path: path.path.replace(/\(.*\)$/, '') })
    const url = parameterNames.length === 0 ? prefix : `${prefix}(${parameterNames.map((name) => `${name}=:${name}`).join(',')}`
    const setName = segments.find((segment) => segment.kind === 'navigation')?.name ?? 'backupRestore'
    const config = { graphPath: path.path, graphVersion: model.version }
    const info = { summary: declared.summary, tag: `${model.version}: ${setName}`, operationId: declared.operationId, keys: routeKeys(prefix) }
    const schema = operationRouteSchema(info, operation.kind, declared, model, parameterNames)
    const handler = async (request: FastifyRequest<{ Params: Record<string, string> }>, reply: FastifyReply): Promise<FastifyReply> => {
      const keys = Object.entries(request.params).filter(([name]) => !parameterNames.includes(name)).map(([, value]) => value)
      const tenant = options.tenant(request)
      const target = resolve(runtime, tenant, segments, keys)
      const parameters = operation.kind === 'action'
        ? actionParameters(model, declared, request.body)
        : functionParameters(request.params, parameterNames)
      const requestPath = pathOf(request.url).replace(new RegExp(`^/${model.version.replace('.', '\\.')}/`), '')
      const answer = operation.handle({
        model,
        tenant,
        target: target.kind === 'entity' ? { kind: 'entity', entity: target.entity } : { kind: 'collection', collection: target.collection },
        path: requestPath.slice(0, requestPath.lastIndexOf('/')),
        base: `${originOf(request)}/${model.version}`,
        parameters,
        operation: declared,
        pageSize: options.settings.defaultPageSize,
        includeUnknownEnumMembers: includeUnknownMembers(request),
        write: { ...options.writeContext(request), identity: identityFromRequest(request) },
        behaviours: options.behaviours
      })
      return sendOperation(reply, answer)
    }
    if (operation.kind === 'action') {
      app.post(url, { schema, config, serializerCompiler: sendString, validatorCompiler: noValidation }, handler)
      // Graph also takes a bound action by its unqualified name (`…/{id}/activate`), as its docs and
      // SDKs call it: the same handler, hidden from the API description.
      const unqualified = url.replace(/\/microsoft\.graph\.([A-Za-z]+)$/, '/$1')
      if (unqualified !== url) app.post(unqualified, { schema: { ...schema, hide: true }, config, serializerCompiler: sendString, validatorCompiler: noValidation }, handler)
    } else {
      app.get(url, { schema, config, serializerCompiler: sendString, validatorCompiler: noValidation }, handler)
    }
  }

  for (const path of model.readPaths()) {
    if (!servesGet(path)) continue
    const segments = path.segments
    const last = segments.at(-1)
    const isCount = last?.kind === 'count'
    const finalType = [...segments].reverse().find((segment) => 'type' in segment)
    const typeName = finalType !== undefined && 'type' in finalType ? finalType.type : model.root.type
    const isCollection = !isCount && (last?.kind === 'navigation' ? last.collection : last?.kind === 'cast' ? last.collection : false)
    const setName = segments.find((segment) => segment.kind === 'navigation')?.name ?? 'backupRestore'
    const tag = `${model.version}: ${setName}`
    const title = path.path.replace(/^\/solutions\/backupRestore\/?/, '') || 'backupRestore'
    const keys = [...routePathOf(path).matchAll(/:([A-Za-z0-9]+)/g)].map((match) => match[1] ?? '')
    const schema = isCount
      ? countRouteSchema(title, tag, keys)
      : isCollection ? collectionRouteSchema(title, model.schema(typeName), tag, keys) : entityRouteSchema(title, model.schema(typeName), tag, keys)
    const config = { graphPath: path.path, graphVersion: model.version }
    const operationId = path.operations.find((op) => op.method === 'GET')?.operationId
    const routeOptions = {
      schema: { ...schema, ...(operationId === undefined ? {} : { operationId }) },
      config,
      serializerCompiler: sendString,
      validatorCompiler: noValidation
    }

    app.get<{ Params: Record<string, string> }>(routePathOf(path), routeOptions, async (request, reply) => {
      const keys = Object.values(request.params)
      const tenant = options.tenant(request)
      const target = resolve(runtime, tenant, segments, keys)
      if (isCount) {
        if (target.kind !== 'collection') throw new Error('$count of an entity')
        const prepared = runtime.engine(target.type).prepare(rawQueryOf(request.url), 'count')
        const page = runtime.engine(target.type).execute(prepared, target.collection.rows, options.now(request))
        return reply.type(TEXT_PLAIN_CONTENT_TYPE).send(String(page.count ?? 0))
      }
      const engine = runtime.engine(target.type)
      const includeUnknown = applyPreference(request, reply, target.type)
      if (target.kind === 'entity') {
        const prepared = engine.prepare(rawQueryOf(request.url), 'entity')
        checkExpand(prepared, target.type)
        const row = target.entity.row
        const serializeOptions = { includeUnknownEnumMembers: includeUnknown, select: prepared.select }
        const json = expandInto(tenant, runtime.serializerOf(row, target.type).serialize(row, serializeOptions), row, target.type, prepared, includeUnknown)
        const context = contextUrl(model.version, entityContextPath(segments, target.context), prepared.select?.contextSuffix, true)
        return reply.type(GRAPH_JSON_CONTENT_TYPE).send(entityBody(context, json))
      }
      const origin = originOf(request)
      const rows = target.collection.rows
      const preferredSize = maxPageSizeOf(request)
      const prepared = engine.prepare(rawQueryOf(request.url), 'collection', preferredSize)
      if (preferredSize !== undefined && prepared.preferredPageSize !== undefined) appliedPreference(reply, `odata.maxpagesize=${prepared.preferredPageSize}`)
      // Everything the body depends on besides the rows: the audience, the page size asked for, the
      // origin (in the nextLink) and the URL as sent.
      const key = `${includeUnknown ? '+' : '-'}${preferredSize ?? ''};${origin}${request.url}`
      const kept = pages.get(key, rows)
      if (kept !== undefined) return reply.type(GRAPH_JSON_CONTENT_TYPE).send(kept)
      checkExpand(prepared, target.type)
      const page = engine.execute(prepared, rows, options.now(request))
      const serializeOptions = { includeUnknownEnumMembers: includeUnknown, select: prepared.select }
      const body = collectionBody({
        context: contextUrl(model.version, target.context, prepared.select?.contextSuffix),
        count: prepared.count ? page.count : undefined,
        nextLink: page.skipToken === undefined ? undefined : nextLinkUrl(origin, pathOf(request.url), prepared.nextLinkQuery, page.skipToken),
        items: page.rows.map((row) => expandInto(tenant, runtime.serializerOf(row, target.type).serialize(row, serializeOptions), row, target.type, prepared, includeUnknown))
      })
      if (!engine.repeatable(prepared, rows) || !pages.admit(key)) return reply.type(GRAPH_JSON_CONTENT_TYPE).send(body)
      const bytes = Buffer.from(body)
      pages.set(key, rows, bytes)
      return reply.type(GRAPH_JSON_CONTENT_TYPE).send(bytes)
    })
  }
}
