// The routes of one Graph entity set, generic over its definition: the collection, `/$count` and
// `/{id}`. A handler reads: parse and bind the query (the engine) → take the rows (the store) →
// filter, order, page, project → serialize → envelope. Every failure is a thrown GraphError. A first
// page that the same request would get again is kept as bytes and served from there next time.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { GraphError } from '../errors.js'
import { collectionBody, contextUrl, entityBody } from '../graph/envelope.js'
import { GRAPH_JSON_CONTENT_TYPE, TEXT_PLAIN_CONTENT_TYPE } from '../graph/media-types.js'
import { INCLUDE_UNKNOWN_ENUM_MEMBERS, nextLinkUrl, pathOf, preferencesOf, rawQueryOf } from '../graph/request-url.js'
import { PageCache } from '../graph/page-cache.js'
import type { EntitySerializer } from '../graph/serializer.js'
import type { QueryEngine } from '../odata/index.js'
import { collectionRouteSchema, countRouteSchema, entityRouteSchema } from './route-schemas.js'

export interface EntitySetDefinition<Row extends object> {
  /** The path below the version root, e.g. `solutions/backupRestore/exchangeRestoreSessions`. */
  path: string
  /** For the API description. */
  entityName: string
  itemSchema: object
  rows: () => readonly Row[]
  byId: (id: string) => Row | undefined
  /** The error for an id that matches no row. */
  notFound: (id: string) => GraphError
}

export interface EntitySetRouteOptions<Row extends object> {
  version: string
  definition: EntitySetDefinition<Row>
  engine: QueryEngine<Row>
  serializer: EntitySerializer
  /** Bytes of first pages kept for repeated requests; 0 keeps none. */
  pageCacheBytes?: number
}

function includeUnknownMembers (request: FastifyRequest, reply: FastifyReply, serializer: EntitySerializer): boolean {
  const wanted = preferencesOf(request.headers.prefer).has(INCLUDE_UNKNOWN_ENUM_MEMBERS)
  if (wanted && serializer.hasEvolvableEnums) void reply.header('preference-applied', INCLUDE_UNKNOWN_ENUM_MEMBERS)
  return wanted
}

function originOf (request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`
}

/** Registers the routes; call inside the version root's (authenticated) context. */
export async function entitySetRoutes<Row extends object> (app: FastifyInstance, options: EntitySetRouteOptions<Row>): Promise<void> {
  const { version, definition, engine, serializer } = options
  const base = `/${definition.path}`
  const tag = `${version}: ${definition.entityName}`
  // Bodies are assembled as strings; no per-route serializer needs compiling.
  const sendString = () => (data: unknown) => typeof data === 'string' ? data : JSON.stringify(data)
  // The query engine validates the query string; Fastify's schema is only the description.
  const noValidation = () => () => true
  // First pages served before, as bytes (see page-cache.ts).
  const pages = new PageCache(options.pageCacheBytes)

  app.get(base, {
    schema: collectionRouteSchema(definition.entityName, definition.itemSchema, tag),
    serializerCompiler: sendString,
    validatorCompiler: noValidation
  }, async (request, reply) => {
    const includeUnknown = includeUnknownMembers(request, reply, serializer)
    const origin = originOf(request)
    const rows = definition.rows()
    // Everything the body depends on besides the rows: the audience, the origin (in the nextLink) and
    // the URL as sent.
    const key = `${includeUnknown ? '+' : '-'}${origin}${request.url}`
    const kept = pages.get(key, rows)
    if (kept !== undefined) return reply.type(GRAPH_JSON_CONTENT_TYPE).send(kept)
    const prepared = engine.prepare(rawQueryOf(request.url), 'collection')
    const page = engine.execute(prepared, rows)
    const serializeOptions = { includeUnknownEnumMembers: includeUnknown, select: prepared.select }
    const body = collectionBody({
      context: contextUrl(version, definition.path, prepared.select?.contextSuffix),
      count: prepared.count ? page.count : undefined,
      nextLink: page.skipToken === undefined ? undefined : nextLinkUrl(origin, pathOf(request.url), prepared.nextLinkQuery, page.skipToken),
      items: page.rows.map((row) => serializer.serialize(row, serializeOptions))
    })
    if (!engine.repeatable(prepared, rows) || !pages.admit(key)) return reply.type(GRAPH_JSON_CONTENT_TYPE).send(body)
    const bytes = Buffer.from(body)
    pages.set(key, rows, bytes)
    return reply.type(GRAPH_JSON_CONTENT_TYPE).send(bytes)
  })

  app.get(`${base}/$count`, {
    schema: countRouteSchema(definition.entityName, tag),
    serializerCompiler: sendString,
    validatorCompiler: noValidation
  }, async (request, reply) => {
    const prepared = engine.prepare(rawQueryOf(request.url), 'count')
    const page = engine.execute(prepared, definition.rows())
    return reply.type(TEXT_PLAIN_CONTENT_TYPE).send(String(page.count ?? 0))
  })

  app.get<{ Params: { id: string } }>(`${base}/:id`, {
    schema: entityRouteSchema(definition.entityName, definition.itemSchema, tag),
    serializerCompiler: sendString,
    validatorCompiler: noValidation
  }, async (request, reply) => {
    const prepared = engine.prepare(rawQueryOf(request.url), 'entity')
    const row = definition.byId(request.params.id)
    if (row === undefined) throw definition.notFound(request.params.id)
    const serializeOptions = { includeUnknownEnumMembers: includeUnknownMembers(request, reply, serializer), select: prepared.select }
    const context = contextUrl(version, definition.path, prepared.select?.contextSuffix, true)
    return reply.type(GRAPH_JSON_CONTENT_TYPE).send(entityBody(context, serializer.serialize(row, serializeOptions)))
  })
}
