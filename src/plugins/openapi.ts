// The API description: @fastify/swagger builds an OpenAPI 3 document from the route schemas; it is
// served at /openapi.json, with Swagger UI at /docs. Both stay open (no auth). Registered, and
// awaited, before any route, so every route is seen. Needs fastify-plugin: @fastify/swagger collects
// routes through an onRoute hook, which must sit on the root context to see the Graph routes.

import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

export interface OpenApiOptions {
  version: string
}

type Response = { links?: Record<string, unknown>, headers?: Record<string, unknown> }
type Operation = { operationId?: string, parameters?: Array<{ in?: string, name?: string }>, responses?: Record<string, Response> }
type Paths = Record<string, Record<string, Operation>>

/**
 * A function's route (`…/microsoft.graph.browse(nextFetchToken=:nextFetchToken`) as Graph writes
 * the path (`…(nextFetchToken='{nextFetchToken}')`). @fastify/swagger reads a `(` as the start of a
 * parameter's pattern, so the parentheses pass it escaped and are put back in the finished document.
 */
function describedUrl (url: string): string {
  return url.replace(/\(((?:[A-Za-z]+=:[A-Za-z]+,?)+)$/, (_all, list: string) =>
    `%28${list.split(',').map((pair) => pair.replace(/^([A-Za-z]+)=:([A-Za-z]+)$/, '$1=\'{$2}\'')).join(',')}%29`)
}

/** Beta and v1.0 share the contract's operationIds; OpenAPI wants each one unique in the document. */
function versionedOperationId (url: string, operationId: unknown): string | undefined {
  const version = /^\/(beta|v1\.0)\//.exec(url)?.[1]
  if (typeof operationId !== 'string') return undefined
  return version === undefined ? operationId : `${version}.${operationId}`
}

function pathParameters (operation: Operation): string[] {
  return (operation.parameters ?? []).filter((p) => p.in === 'path' && typeof p.name === 'string').map((p) => p.name as string)
}

function addLink (operation: Operation | undefined, status: string, name: string, link: object): void {
  const response = operation?.responses?.[status]
  if (response === undefined) return
  response.links = { ...response.links, [name]: link }
}

/**
 * OpenAPI links, for clients and tools that walk the API as a state machine: a create's 201 leads to
 * every operation on the new entity and below it (its `id`), and so does a page of the set (its first
 * item's `id`); an entity's GET, PATCH and DELETE lead to one another. The other keys come from the
 * request's own path.
 */
function addLinks (paths: Paths): void {
  const byPath = Object.entries(paths)
  for (const [setPath, methods] of byPath) {
    for (const [path, targets] of byPath) {
      const key = /^\/\{([^}]+)\}(.*)$/.exec(path.startsWith(setPath) ? path.slice(setPath.length) : '')
      if (key === null) continue
      const [, keyName = '', rest = ''] = key
      for (const [method, target] of Object.entries(targets)) {
        if (target.operationId === undefined) continue
        const name = `${method}${rest.replace(/[^A-Za-z0-9.\-_]/g, '_')}`
        const fromRequest = (source: Operation | undefined) => {
          const known = new Set(source === undefined ? [] : pathParameters(source))
          const wanted = pathParameters(target)
          if (!wanted.every((p) => p === keyName || known.has(p))) return undefined
          return Object.fromEntries(wanted.map((p) => [p, `$request.path.${p}`]))
        }
        const create = methods.post
        const createParameters = fromRequest(create)
        if (createParameters !== undefined) {
          addLink(create, '201', name, { operationId: target.operationId, parameters: { ...createParameters, [keyName]: '$response.body#/id' } })
        }
        // A page of the set leads there too, through its first item, as a client lists and then reads.
        const list = methods.get
        const listParameters = fromRequest(list)
        if (listParameters !== undefined) {
          addLink(list, '200', name, { operationId: target.operationId, parameters: { ...listParameters, [keyName]: '$response.body#/value/0/id' } })
        }
        if (rest !== '') continue
        // The same entity: GET, PATCH and DELETE of `{set}/{id}` lead to one another.
        for (const [sourceMethod, source] of Object.entries(targets)) {
          if (sourceMethod === method) continue
          const parameters = fromRequest(source)
          if (parameters === undefined) continue
          for (const status of ['200', '204']) addLink(source, status, name, { operationId: target.operationId, parameters })
        }
      }
    }
  }
}

/** The headers every Graph answer carries, whatever its status (README: Headers). */
const GRAPH_HEADERS = {
  'request-id': { required: true, description: 'A new GUID for each request.', schema: { type: 'string', format: 'uuid' } },
  'client-request-id': { required: true, description: 'The client-request-id sent, else the request-id.', schema: { type: 'string' } },
  'OData-Version': { required: true, schema: { type: 'string', enum: ['4.0'] } },
  'Cache-Control': { required: true, schema: { type: 'string', enum: ['no-cache'] } }
}

function addGraphHeaders (paths: Paths): void {
  for (const [path, item] of Object.entries(paths)) {
    if (!/^\/(beta|v1\.0)\//.test(path)) continue
    for (const response of Object.values(item).flatMap((operation) => Object.values(operation.responses ?? {}))) {
      response.headers = { ...GRAPH_HEADERS, ...response.headers }
    }
  }
}

async function openApiPlugin (app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'graph-mock',
        description: 'A local mock of the Microsoft Graph API. Point a Graph client at <origin>/beta. Any bearer token is accepted.',
        version: options.version
      },
      tags: [
        { name: 'admin', description: 'The test-control plane (/__admin): reset, data, request journal, clock, faults, namespaces. Not part of Graph; guarded by ADMIN_TOKEN when it is set.' }
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'Any non-empty bearer token passes.' }
        }
      }
    },
    transform: ({ schema, url }) => {
      const operationId = versionedOperationId(url, (schema as { operationId?: unknown } | undefined)?.operationId)
      return { schema: operationId === undefined ? schema : { ...schema, operationId }, url: describedUrl(url) }
    },
    transformObject: (documents) => {
      if (!('openapiObject' in documents)) return documents.swaggerObject
      const document = documents.openapiObject
      const paths: Paths = {}
      for (const [path, item] of Object.entries(document.paths ?? {})) {
        paths[path.replaceAll('%28', '(').replaceAll('%29', ')')] = item as Record<string, Operation>
      }
      // The contract gives a bound action and the function of the same name one operationId.
      const seen = new Set<string>()
      for (const [method, operation] of Object.values(paths).flatMap((item) => Object.entries(item))) {
        if (operation.operationId === undefined) continue
        if (seen.has(operation.operationId)) operation.operationId = `${operation.operationId}.${method}`
        seen.add(operation.operationId)
      }
      addLinks(paths)
      addGraphHeaders(paths)
      return { ...document, paths }
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

export const openApi = fp(openApiPlugin, { name: 'graph-mock-openapi', fastify: '5.x' })
