import t from 'tap'
import SwaggerParser from '@apidevtools/swagger-parser'
import { build, LIST } from '../helper.js'

t.test('/healthz answers 200 without a token', async (t) => {
  const app = await build(t, { sessions: [] })
  const response = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(response.statusCode, 200)
  t.strictSame(response.json(), { status: 'ok' })
})

t.test('/openapi.json is a valid OpenAPI 3 document describing the Graph routes', async (t) => {
  const app = await build(t, { sessions: [] })
  const response = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(response.statusCode, 200)
  const document = response.json<{
    openapi: string
    components: { securitySchemes: Record<string, unknown> }
    paths: Record<string, { get?: { parameters?: Array<{ name: string }>, security?: unknown, responses?: Record<string, unknown> } }>
  }>()
  await t.resolves(SwaggerParser.validate(structuredClone(document) as never), 'valid per swagger-parser')
  t.match(document.openapi, /^3\./)
  t.strictSame(document.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', description: 'Any non-empty bearer token passes.' })
  const list = document.paths[LIST]?.get
  t.ok(list, 'the list route is described')
  t.strictSame(list?.parameters?.map((p) => p.name).sort(), ['$count', '$expand', '$filter', '$orderby', '$search', '$select', '$skip', '$skiptoken', '$top'])
  t.strictSame(list?.security, [{ bearerAuth: [] }])
  t.ok(list?.responses?.['200'] !== undefined && list.responses['401'] !== undefined, 'responses are described')
  const entity = document.paths[`${LIST}/{exchangeRestoreSessionId}`]?.get
  t.ok(entity, 'the entity route is described')
  t.strictSame(entity?.parameters?.map((p) => p.name).sort(), ['$expand', '$select', 'exchangeRestoreSessionId'], 'with its key')
  t.ok(document.paths[`${LIST}/$count`]?.get, 'the count route is described')
  t.ok(document.paths[`${LIST}/{exchangeRestoreSessionId}/mailboxRestoreArtifacts/{mailboxRestoreArtifactId}/restorePoint`]?.get, 'a nested route is described')
  t.ok(document.paths['/beta/solutions/backupRestore/restoreSessions/microsoft.graph.exchangeRestoreSession']?.get, 'a type-cast route is described')
  t.ok(document.paths['/v1.0/solutions/backupRestore/protectionPolicies']?.get, 'v1.0 routes are described')
  t.equal(document.paths['/v1.0/solutions/backupRestore/browseSessions'], undefined, 'a beta-only path is not described under v1.0')
  t.equal(document.paths['/beta/solutions/backupRestore/allDrivesBackup/microsoft.graph.enable'], undefined, 'an action the mock does not serve is not described')
  t.equal(document.paths['/healthz'], undefined, 'healthz is not part of the Graph description')
})

t.test('Swagger UI is served at /docs without a token', async (t) => {
  const app = await build(t, { sessions: [] })
  const response = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /text\/html/)
})
