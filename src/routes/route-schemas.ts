// Route schemas for the API description (@fastify/swagger). They describe; the query engine is what
// validates query strings, and handlers send pre-serialized bodies.

const security = [{ bearerAuth: [] }]

const graphErrorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        innerError: {
          type: 'object',
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

const errorResponses = {
  400: { description: 'A malformed query option (Graph\'s BadRequest).', ...graphErrorSchema },
  401: { description: 'A missing, empty or malformed bearer token.', ...graphErrorSchema },
  404: { description: 'No entity with that id.', ...graphErrorSchema }
}

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
      400: errorResponses[400],
      401: errorResponses[401]
    }
  }
}

/** The key parameters of a route path (`:exchangeRestoreSessionId`), described for the API description. */
function keyParams (keys: readonly string[]) {
  return { type: 'object', properties: Object.fromEntries(keys.map((key) => [key, { type: 'string', description: `The key (id) of ${key.replace(/Id$/, '')}.` }])) }
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
