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

async function openApiPlugin (app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'graph-mock',
        description: 'A local mock of the Microsoft Graph API. Point a Graph client at <origin>/beta. Any bearer token is accepted.',
        version: options.version
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'Any non-empty bearer token passes.' }
        }
      }
    }
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
}

export const openApi = fp(openApiPlugin, { name: 'graph-mock-openapi', fastify: '5.x' })
