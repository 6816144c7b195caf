// The permissions check over the app's own Graph routes, through buildApp: with AUTH_MODE=permissions,
// the app starts only if every Graph route it registers (each with its graphPath and graphVersion)
// has a row in the permissions data, and real requests are decided by their operation's table.

import t from 'tap'
import { buildApp } from '../../src/app.js'
import { issueToken, type TokenOptions } from '../../src/auth/token.js'
import { expectedError } from '../helper.js'

async function token (options: TokenOptions): Promise<string> {
  return (await issueToken(options, [], Date.now())).token
}

const URL_LIST = '/v1.0/solutions/backupRestore/restoreSessions'

t.test('real routes in permissions mode', async (t) => {
  const app = await buildApp({ authMode: 'permissions' })
  t.teardown(async () => { await app.close() })
  await app.ready()
  const probe = await app.inject({ method: 'GET', url: URL_LIST, headers: { authorization: 'Bearer opaque-token' } })

  t.test('the operation\'s table decides', async (t) => {
    const reader = await token({ scopes: ['BackupRestore-Restore.Read.All'] })
    const ok = await app.inject({ method: 'GET', url: URL_LIST, headers: { authorization: `Bearer ${reader}` } })
    t.equal(ok.statusCode, 200, 'Restore.Read.All lists restore sessions')
    const configurator = await token({ roles: ['BackupRestore-Configuration.ReadWrite.All'] })
    const denied = await app.inject({ method: 'GET', url: URL_LIST, headers: { authorization: `Bearer ${configurator}` } })
    t.equal(denied.statusCode, 403, 'a Configuration permission does not')
    t.strictSame(denied.json(), expectedError(denied, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'))
    const policies = '/beta/solutions/backupRestore/protectionPolicies'
    t.equal((await app.inject({ method: 'GET', url: policies, headers: { authorization: `Bearer ${configurator}` } })).statusCode, 403, 'the documented list of protection policies takes Configuration.Read.All only')
    const policyReader = await token({ roles: ['BackupRestore-Configuration.Read.All'] })
    t.equal((await app.inject({ method: 'GET', url: policies, headers: { authorization: `Bearer ${policyReader}` } })).statusCode, 200)
    t.equal((await app.inject({ method: 'GET', url: `${URL_LIST}/$count`, headers: { authorization: `Bearer ${reader}` } })).statusCode, 200, '$count takes the permissions of the collection')
    t.equal((await app.inject({ method: 'GET', url: '/v1.0/solutions/backupRestore/noSuchSet', headers: { authorization: `Bearer ${configurator}` } })).statusCode, 400, 'an unknown segment is Graph\'s 400, reached with any valid token')
    const expired = await app.inject({ method: 'GET', url: URL_LIST, headers: { authorization: `Bearer ${await token({ scopes: ['BackupRestore-Restore.Read.All'], expiresIn: -1 })}` } })
    t.strictSame([expired.statusCode, expired.json()], [401, expectedError(expired, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.')])
    t.strictSame([probe.statusCode, probe.json()], [401, expectedError(probe, 'InvalidAuthenticationToken', 'CompactToken parsing failed with error code: 80049217')])
  })

  t.test('POST /__admin/token issues a token the mock accepts', async (t) => {
    const issued = await app.inject({ method: 'POST', url: '/__admin/token', payload: { scopes: ['BackupRestore-Restore.Read.All'] } })
    t.equal(issued.statusCode, 200)
    const accessToken = issued.statusCode === 200 ? issued.json<{ access_token: string }>().access_token : ''
    t.equal((await app.inject({ method: 'GET', url: URL_LIST, headers: { authorization: `Bearer ${accessToken}` } })).statusCode, 200)
  })
})

t.test('stub mode (the default) through buildApp: any well-formed token, any operation', async (t) => {
  const app = await buildApp()
  t.teardown(async () => { await app.close() })
  const opaque = await app.inject({ method: 'GET', url: URL_LIST, headers: { authorization: 'Bearer opaque-token' } })
  t.equal(opaque.statusCode, 200)
  const noPermission = await app.inject({ method: 'GET', url: URL_LIST, headers: { authorization: `Bearer ${await token({ scopes: ['User.Read'], expiresIn: -10 })}` } })
  t.equal(noPermission.statusCode, 200, 'a JWT without the permission, even expired')
})
