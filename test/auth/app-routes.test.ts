// The permissions check over the app's own Graph routes (the graphMock plugin of src/app.ts, every
// route registered with its graphPath and graphVersion): every route the app registers has a row in
// the permissions data (the plugin's route check would stop the app at start-up otherwise), and real
// requests get Graph's 403 or pass by the operation's table. The plugin sits at the root here, before
// the version roots' own (stub) check, so it decides for every route.

import Fastify, { type FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { appSettingsFrom, graphMock } from '../../src/app.js'
import { operationOf } from '../../src/auth/permissions.js'
import { issueToken, type TokenOptions } from '../../src/auth/token.js'
import { graphAuth } from '../../src/plugins/auth.js'
import graphErrorsPlugin from '../../src/plugins/graph-errors.js'
import requestContext from '../../src/plugins/request-context.js'
import { loadFixtures } from '../../src/store/index.js'
import { bundledFixturesDir } from '../../src/paths.js'
import { expectedError } from '../helper.js'

interface SeenRoute { method: string, url: string, graphPath: string, graphVersion: string }

async function appWithRoutes (t: Test): Promise<{ app: FastifyInstance, seen: SeenRoute[] }> {
  const app = Fastify()
  const seen: SeenRoute[] = []
  app.addHook('onRoute', (route) => {
    const config = route.config as { graphPath?: unknown, graphVersion?: unknown } | undefined
    if (typeof config?.graphPath !== 'string' || typeof config.graphVersion !== 'string') return
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      seen.push({ method, url: route.url, graphPath: config.graphPath, graphVersion: config.graphVersion })
    }
  })
  await app.register(requestContext)
  await app.register(graphErrorsPlugin, { bodyLimit: 1048576 })
  await app.register(graphAuth, { settings: { authMode: 'permissions' } })
  await app.register(graphMock, { store: await loadFixtures(bundledFixturesDir), settings: appSettingsFrom({}) })
  await app.ready()
  t.teardown(async () => { await app.close() })
  return { app, seen }
}

async function token (options: TokenOptions): Promise<string> {
  return (await issueToken(options, [], Date.now())).token
}

t.test('every Graph route of the app has a permissions row', async (t) => {
  const { seen } = await appWithRoutes(t)
  t.ok(seen.length > 100, `${seen.length} Graph routes`)
  const missing = seen.filter((route) => route.method !== 'HEAD' && operationOf(route.graphVersion, route.method, route.graphPath) === undefined)
  t.strictSame(missing, [], 'none without a row')
})

t.test('real routes: the operation\'s table decides', async (t) => {
  const { app } = await appWithRoutes(t)
  const url = '/v1.0/solutions/backupRestore/restoreSessions'
  const reader = await token({ scopes: ['BackupRestore-Restore.Read.All'] })
  const ok = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${reader}` } })
  t.equal(ok.statusCode, 200, 'Restore.Read.All lists restore sessions')
  const configurator = await token({ roles: ['BackupRestore-Configuration.ReadWrite.All'] })
  const denied = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${configurator}` } })
  t.equal(denied.statusCode, 403, 'a Configuration permission does not')
  t.strictSame(denied.json(), expectedError(denied, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'))
  const policies = await app.inject({ method: 'GET', url: '/beta/solutions/backupRestore/protectionPolicies', headers: { authorization: `Bearer ${configurator}` } })
  t.equal(policies.statusCode, 403, 'the documented list of protection policies takes Configuration.Read.All only')
  const policyReader = await token({ roles: ['BackupRestore-Configuration.Read.All'] })
  t.equal((await app.inject({ method: 'GET', url: '/beta/solutions/backupRestore/protectionPolicies', headers: { authorization: `Bearer ${policyReader}` } })).statusCode, 200)
  const count = await app.inject({ method: 'GET', url: '/v1.0/solutions/backupRestore/restoreSessions/$count', headers: { authorization: `Bearer ${reader}` } })
  t.equal(count.statusCode, 200, '$count takes the permissions of the collection')
  const unknown = await app.inject({ method: 'GET', url: '/v1.0/solutions/backupRestore/noSuchSet', headers: { authorization: `Bearer ${configurator}` } })
  t.equal(unknown.statusCode, 400, 'an unknown segment is Graph\'s 400, reached with any valid token')
  const expired = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await token({ scopes: ['BackupRestore-Restore.Read.All'], expiresIn: -1 })}` } })
  t.strictSame([expired.statusCode, expired.json()], [401, expectedError(expired, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.')])
})
