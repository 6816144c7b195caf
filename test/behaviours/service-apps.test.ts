// Service apps (create, activate at effectiveDateTime, deactivate) and the root's enable, on a
// manual clock, with exact bodies.
import t from 'tap'
import { STEP, V1, at, errorOf, get, mockApp, post } from './protection-helpers.js'

const ME_ROW = { application: null, device: null, user: { displayName: 'Graph Mock User', id: 'a1b2c3d4-0000-4000-8000-000000000001' } }

t.test('a service app: inactive → pendingActive → active at effectiveDateTime; deactivate → pendingInactive → inactive', async (t) => {
  const app = await mockApp(t)
  const created = await post(app, `${V1}/serviceApps`, {})
  t.equal(created.statusCode, 201)
  const id = String(created.json<{ id: string }>().id)
  t.strictSame(created.json(), {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/serviceApps/$entity',
    '@odata.type': '#microsoft.graph.serviceApp',
    id,
    application: null,
    effectiveDateTime: null,
    lastModifiedBy: ME_ROW,
    lastModifiedDateTime: at(0),
    registrationDateTime: at(0),
    status: 'inactive'
  })
  const set = await post(app, `${V1}/serviceApps`, { status: 'active' })
  t.strictSame([set.statusCode, errorOf(set.body)], [400, { code: 'BadRequest', message: 'The property \'status\' is read-only and cannot be set.' }])

  const effective = 60_000
  const activated = await post(app, `${V1}/serviceApps/${id}/activate`, { effectiveDateTime: at(effective) })
  t.equal(activated.statusCode, 202)
  t.equal(activated.headers['content-location'], `http://localhost:80/v1.0/solutions/backupRestore/serviceApps('${id}')`)
  t.strictSame(activated.json(), {
    '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#solutions/backupRestore/serviceApps/$entity',
    '@odata.type': '#microsoft.graph.serviceApp',
    id,
    application: null,
    effectiveDateTime: at(effective),
    lastModifiedBy: ME_ROW,
    lastModifiedDateTime: at(0),
    registrationDateTime: at(0),
    status: 'pendingActive'
  })
  app.clock.advance(effective - 1)
  t.equal((await get(app, `${V1}/serviceApps/${id}`)).json<{ status: string }>().status, 'pendingActive')
  app.clock.advance(1)
  t.match((await get(app, `${V1}/serviceApps/${id}`)).json(), { status: 'active', lastModifiedDateTime: at(effective) })

  const deactivated = await post(app, `${V1}/serviceApps/${id}/deactivate`)
  t.equal(deactivated.statusCode, 202)
  t.match(deactivated.json(), { status: 'pendingInactive' })
  app.clock.advance(STEP)
  t.match((await get(app, `${V1}/serviceApps/${id}`)).json(), { status: 'inactive', lastModifiedDateTime: at(effective + STEP) })

  // An effectiveDateTime already past: active one PROTECTION_STEP later.
  await post(app, `${V1}/serviceApps/${id}/activate`, { effectiveDateTime: at(0) })
  app.clock.advance(STEP)
  t.equal((await get(app, `${V1}/serviceApps/${id}`)).json<{ status: string }>().status, 'active')
  const missing = await post(app, `${V1}/serviceApps/${id}/activate`, {})
  t.equal(missing.statusCode, 400)
  t.equal((await app.inject({ method: 'DELETE', url: `${V1}/serviceApps/${id}`, headers: { authorization: 'Bearer x' } })).statusCode, 204)
})

t.test('enable: 400 InvalidAppOwnerTenantId for an empty id; the root unchanged', async (t) => {
  const app = await mockApp(t)
  const before = (await get(app, V1)).body
  for (const body of [{ appOwnerTenantId: '' }, { appOwnerTenantId: '  ' }, {}]) {
    const response = await post(app, `${V1}/microsoft.graph.enable`, body)
    t.equal(response.statusCode, 400)
    t.strictSame(errorOf(response.body), { code: 'InvalidAppOwnerTenantId', message: 'Invalid App owner tenant id received from the user.' })
  }
  const wrongType = await post(app, `${V1}/microsoft.graph.enable`, { appOwnerTenantId: 5 })
  t.strictSame([wrongType.statusCode, errorOf(wrongType.body)], [400, { code: 'BadRequest', message: 'Cannot convert the literal \'5\' to the expected type \'Edm.String\'.' }])
  t.equal((await get(app, V1)).body, before)
  // Beta serves the same action at its root.
  const beta = await post(app, '/beta/solutions/backupRestore/microsoft.graph.enable', { appOwnerTenantId: 'x' })
  t.equal(beta.statusCode, 200)
  t.match(beta.json(), { status: 'enabled', disableReason: 'none' })
})
