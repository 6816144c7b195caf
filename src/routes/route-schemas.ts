// Route schemas for the API description (@fastify/swagger). They describe; the query engine is what
// validates query strings, the writes and actions check their bodies in Graph's words, and handlers
// send pre-serialized bodies. Every status a route can answer is listed, each error with Graph's body
// (test/clients/schemathesis.test.ts holds the mock to this description).

import type { Model, OperationModel } from '../model/index.js'
import { SERVER_SET } from '../write/payload.js'

const security = [{ bearerAuth: [] }]

const graphErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'innerError'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        innerError: {
          type: 'object',
          required: ['date', 'request-id', 'client-request-id'],
          properties: {
            date: { type: 'string' },
            'request-id': { type: 'string' },
            'client-request-id': { type: 'string' }
          }
        }
      }
    }
  }
} as const

/** Why each error status is answered, for the description; every one carries Graph's error body. */
const errorDescriptions: Record<number, string> = {
  400: 'A malformed request: a query option, a key that is not a GUID, a body or a parameter Graph refuses (BadRequest or the family\'s code).',
  401: 'A missing, empty or malformed bearer token.',
  403: 'Not allowed: the entity\'s state does not allow the change, or (AUTH_MODE=permissions) the token lacks the operation\'s permission. The offboard actions answer their documented body, without innerError.',
  404: 'No entity with that id (the family\'s NotFound code, else itemNotFound).',
  406: 'An Accept header that allows no media type this route answers with.',
  409: 'A conflict with what is stored (an id, a protected unit, another active policy).',
  413: 'Too large: the body, or more items than Graph takes in one request.',
  415: 'A body that is not application/json, or in a Content-Encoding the mock does not decode.',
  422: 'A protection rule\'s state does not allow the change.'
}

/**
 * Graph's error body as the offboard and cancelOffboard actions answer their 403, in the words of
 * their documented example: code, message and an empty `details`, no innerError.
 */
const documentedForbiddenSchema = {
  ...graphErrorSchema,
  properties: {
    error: {
      ...graphErrorSchema.properties.error,
      required: ['code', 'message'],
      properties: { ...graphErrorSchema.properties.error.properties, details: { type: 'array' } }
    }
  }
} as const

function errorsOf (statuses: readonly number[]): Record<number, object> {
  return Object.fromEntries(statuses.map((status) => [status, { description: errorDescriptions[status], ...(status === 403 ? documentedForbiddenSchema : graphErrorSchema) }]))
}

/** What a read can answer besides its 200; what a write or an action can. */
const READ_ERRORS = [400, 401, 403, 404, 406] as const
const WRITE_ERRORS = [400, 401, 403, 404, 406, 409, 413, 415, 422] as const
const errorResponses = errorsOf(READ_ERRORS)

const selectOption = { type: 'string', description: 'Comma-separated properties (and complex sub-paths) to return, or *.' }
const expandOption = { type: 'string', description: 'Navigation properties to expand, each optionally with ($select=…).' }

const collectionQuery = {
  type: 'object',
  properties: {
    $top: { type: 'integer', minimum: 0, description: 'Page size: at most this many items per page (clamped to the maximum page size).' },
    $skip: { type: 'integer', minimum: 0, description: 'Skip the first n matching items.' },
    $filter: { type: 'string', description: 'OData filter expression, e.g. status eq \'active\'.' },
    $count: { type: 'boolean', description: 'Include @odata.count, the number of all matching items.' },
    $orderby: { type: 'string', description: 'Comma-separated sort keys, each optionally asc or desc.' },
    $select: selectOption,
    $expand: expandOption,
    $search: { type: 'string', description: 'Not supported on these entity sets: 400.' },
    $skiptoken: { type: 'string', description: 'Opaque paging token; only as found in @odata.nextLink.' }
  }
} as const

/** The item schema as served: the entity's properties plus its `@odata.type` annotation. */
function servedItem (itemSchema: object): object {
  const schema = itemSchema as { properties?: Record<string, unknown>, title?: string, description?: string }
  return {
    type: 'object',
    description: schema.title,
    properties: { '@odata.type': { type: 'string' }, ...(schema.properties ?? {}) }
  }
}

function listSchema (entityName: string, itemSchema: object, tag: string) {
  return {
    summary: `List ${entityName}`,
    tags: [tag],
    security,
    querystring: collectionQuery,
    response: {
      200: {
        description: 'A page of the collection, in Graph\'s OData envelope.',
        type: 'object',
        properties: {
          '@odata.context': { type: 'string' },
          '@odata.count': { type: 'integer' },
          '@odata.nextLink': { type: 'string' },
          value: { type: 'array', items: servedItem(itemSchema) }
        }
      },
      ...errorResponses
    }
  }
}

function countSchema (entityName: string, tag: string) {
  return {
    summary: `Count ${entityName}`,
    tags: [tag],
    security,
    querystring: {
      type: 'object',
      properties: { $filter: collectionQuery.properties.$filter }
    },
    response: {
      200: { description: 'The number of matching items, as text/plain.', content: { 'text/plain': { schema: { type: 'integer' } } } },
      ...errorResponses
    }
  }
}

/** The key parameters of a route path (`:exchangeRestoreSessionId`), and a function's, described for the API description. */
function keyParams (keys: readonly string[], functionParameters: readonly string[] = []) {
  return {
    type: 'object',
    properties: {
      ...Object.fromEntries(keys.map((key) => [key, { type: 'string', description: `The key (id) of ${key.replace(/Id$/, '')}.` }])),
      ...Object.fromEntries(functionParameters.map((name) => [name, { type: 'string', description: 'A string parameter of the function (inside its quotes).' }]))
    }
  }
}

export function collectionRouteSchema (entityName: string, itemSchema: object, tag: string, keys: readonly string[] = []) {
  return { ...listSchema(entityName, itemSchema, tag), ...(keys.length === 0 ? {} : { params: keyParams(keys) }) }
}

export function countRouteSchema (entityName: string, tag: string, keys: readonly string[] = []) {
  return { ...countSchema(entityName, tag), ...(keys.length === 0 ? {} : { params: keyParams(keys) }) }
}

export function entityRouteSchema (entityName: string, itemSchema: object, tag: string, keys: readonly string[] = []) {
  return {
    summary: `Get ${entityName}`,
    tags: [tag],
    security,
    ...(keys.length === 0 ? {} : { params: keyParams(keys) }),
    querystring: { type: 'object', properties: { $select: selectOption, $expand: expandOption } },
    response: {
      200: {
        description: 'The entity, with @odata.context.',
        ...servedItem(itemSchema),
        properties: { '@odata.context': { type: 'string' }, ...(servedItem(itemSchema) as { properties: object }).properties }
      },
      ...errorResponses
    }
  }
}

interface OperationInfo {
  summary: string
  tag: string
  operationId: string
  keys: readonly string[]
}

function operationBase (info: OperationInfo) {
  return {
    summary: info.summary,
    tags: [info.tag],
    operationId: info.operationId,
    security,
    ...(info.keys.length === 0 ? {} : { params: keyParams(info.keys) })
  }
}

/** An entity as a write answers it: the served item with its `@odata.context`. */
function answeredEntity (itemSchema: object, description: string): object {
  const served = servedItem(itemSchema) as { properties: object }
  return { description, ...served, properties: { '@odata.context': { type: 'string' }, ...served.properties } }
}

/**
 * The properties a client may set on a type: not read-only in the contract, not one the server sets
 * on every entity (id, times, identities), not one the type's family sets itself (`serverSet`).
 */
export function writableProperties (model: Model, type: string, serverSet: readonly string[] = []): string[] {
  if (!model.hasType(type)) return []
  return model.type(type).properties
    .filter((property) => !property.readOnly && !SERVER_SET.has(property.name) && !serverSet.includes(property.name))
    .map((property) => property.name)
}

/**
 * A create's or an update's body: the type's writable properties (and its `@odata.type`), none
 * required, and more allowed: `@odata.bind` references, `@delta` changes and inline records of
 * navigations, and the properties of a derived type that `@odata.type` names.
 */
function entityBody (itemSchema: object, writable: readonly string[]): object {
  const properties = (itemSchema as { properties?: Record<string, unknown> }).properties ?? {}
  const kept = Object.fromEntries(Object.entries(properties).filter(([name]) => writable.includes(name)))
  return { type: 'object', properties: { '@odata.type': { type: 'string' }, ...kept } }
}

const locationHeader = { location: { type: 'string', description: 'The new entity\'s URL.' } }

/** POST on a set: 201 with the new entity, or 204 under `Prefer: return=minimal`. */
function createRouteSchema (info: OperationInfo, itemSchema: object, writable: readonly string[]) {
  return {
    ...operationBase(info),
    body: entityBody(itemSchema, writable),
    response: {
      201: { ...answeredEntity(itemSchema, 'The new entity.'), headers: locationHeader },
      204: { type: 'null', description: 'Created, under Prefer: return=minimal: the URL is in Location and OData-EntityId.', headers: locationHeader },
      ...errorsOf(WRITE_ERRORS)
    }
  }
}

/** PATCH: 204, or 200 with the entity (Prefer: return=representation) or the changes a `@delta` made. */
function updateRouteSchema (info: OperationInfo, itemSchema: object, writable: readonly string[]) {
  return {
    ...operationBase(info),
    body: entityBody(itemSchema, writable),
    response: {
      200: answeredEntity(itemSchema, 'The updated entity (Prefer: return=representation), or what the @delta changes did.'),
      204: { type: 'null', description: 'Updated.' },
      ...errorsOf(WRITE_ERRORS)
    }
  }
}

function deleteRouteSchema (info: OperationInfo) {
  return {
    ...operationBase(info),
    response: {
      204: { type: 'null', description: 'Deleted.' },
      ...errorsOf(WRITE_ERRORS)
    }
  }
}

const edmSchemas: Record<string, object> = {
  'Edm.String': { type: 'string' },
  'Edm.Boolean': { type: 'boolean' },
  'Edm.Int32': { type: 'integer' },
  'Edm.Int64': { type: 'integer' },
  'Edm.Double': { type: 'number' },
  'Edm.DateTimeOffset': { type: 'string', format: 'date-time' },
  'Edm.Guid': { type: 'string', format: 'uuid' }
}

type TypeSchemaOf = (type: string) => object

/** The JSON Schema of a primitive, enum, complex or entity type of a version's model. */
function typeSchemaOf (model: Model): TypeSchemaOf {
  return (type) => {
    const edm = edmSchemas[type]
    if (edm !== undefined) return edm
    const members = model.enumType(type)?.members
    if (members !== undefined) return { type: 'string', enum: [...members] }
    return model.hasType(type) ? model.schema(type) : {}
  }
}

function parameterSchema (parameter: { type: string, collection: boolean, nullable: boolean }, schemaOf: TypeSchemaOf): object {
  const single = schemaOf(parameter.type) as { type?: unknown }
  if (parameter.collection) return { type: 'array', items: single }
  return parameter.nullable ? nullable(single) : single
}

function nullable (schema: { type?: unknown }): object {
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] }
  return schema
}

/** An action's answer: an entity or complex value with its `@odata.context`, or a page of values. */
function answerSchema (responseType: string, schemaOf: TypeSchemaOf): object {
  const collection = /^Collection\((.+)\)$/.exec(responseType)
  if (collection !== null) {
    return {
      type: 'object',
      properties: {
        '@odata.context': { type: 'string' },
        '@odata.nextLink': { type: 'string' },
        value: { type: 'array', items: servedItem(schemaOf(collection[1] ?? '')) }
      }
    }
  }
  return answeredEntity(schemaOf(responseType), responseType)
}

/**
 * A bound action (POST) or function (GET): the declared parameters as the body (an action takes no
 * other), the declared answer with 200 or 202 (what Graph documents for the operation).
 */
export function operationRouteSchema (
  info: OperationInfo,
  kind: 'action' | 'function',
  operation: OperationModel,
  model: Model,
  functionParameters: readonly string[] = []
) {
  const schemaOf = typeSchemaOf(model)
  const answer = operation.responseType === undefined ? { type: 'object' } : answerSchema(operation.responseType, schemaOf)
  const body = kind === 'action' && operation.parameters.length > 0
    ? { body: { type: 'object', additionalProperties: false, properties: Object.fromEntries(operation.parameters.map((p) => [p.name, parameterSchema(p, schemaOf)])) } }
    : {}
  const params = functionParameters.length === 0 && info.keys.length === 0
    ? {}
    : { params: keyParams(info.keys, functionParameters) }
  return {
    ...operationBase(info),
    ...params,
    ...body,
    response: {
      200: { ...answer, description: `The operation's answer (${operation.responseType ?? 'an object'}).` },
      202: { ...answer, description: 'Accepted: the change goes on in the background; the answer says where it stands.' },
      ...errorsOf(kind === 'action' ? WRITE_ERRORS : READ_ERRORS)
    }
  }
}

/** The description of a write route: POST on a set, PATCH or DELETE. */
export function writeRouteSchema (method: string, info: OperationInfo, itemSchema: object, writable: readonly string[]) {
  if (method === 'POST') return createRouteSchema(info, itemSchema, writable)
  if (method === 'PATCH') return updateRouteSchema(info, itemSchema, writable)
  return deleteRouteSchema(info)
}

/** The key parameters of a Fastify route path (`:exchangeRestoreSessionId`). */
export function routeKeys (url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9]+)/g)].map((match) => match[1] ?? '')
}
