// Service apps and the root's service status, as Graph documents them:
// - POST serviceApps ({}): 201, `inactive`, registrationDateTime now, the caller's application;
// - serviceApps/{id}/activate {effectiveDateTime}: 202, `pendingActive`, effectiveDateTime echoed; it
//   is `active` at effectiveDateTime when that is later than one PROTECTION_STEP from now, else one
//   PROTECTION_STEP later; deactivate: 202, `pendingInactive`, then `inactive` one PROTECTION_STEP later;
// - POST /solutions/backupRestore/enable {appOwnerTenantId}: 200 with the serviceStatus, `enabled`
//   (400 InvalidAppOwnerTenantId for an empty id); GET of the root shows it.
// Every task re-reads the app by id and does nothing once it is gone or has moved on.

import { GraphError, badRequest } from '../errors.js'
import type { StoredEntity } from '../store/index.js'
import type { EntityBehaviour, WriteContext } from '../write/entity-behaviour.js'
import { iso, replaceEntity } from '../write/writes.js'
import { entityAnswer, registerOperation, type OperationAnswer, type OperationCall } from './operations.js'

const SERVICE_APP = 'microsoft.graph.serviceApp'

export const serviceAppBehaviour: EntityBehaviour = {
  base: SERVICE_APP,
  serverSet: ['status', 'registrationDateTime', 'effectiveDateTime', 'application'],
  beforeCreate (context, request) {
    const application = context.identity.application
    Object.assign(request.properties, {
      status: 'inactive',
      registrationDateTime: iso(context.now),
      effectiveDateTime: null,
      application: application === undefined ? null : { id: application.id, displayName: application.displayName }
    })
  }
}

function appOf (call: OperationCall): StoredEntity {
  if (call.target.kind !== 'entity') throw badRequest('The action is bound to a service app.')
  return call.write.tenant.root.stored.get('serviceApps')?.byId(String(call.target.entity.row.id)) ?? call.target.entity
}

function moveLater (context: WriteContext, id: string, at: number, from: string, to: string): void {
  context.schedule(at, `service app ${id}: ${to}`, (time) => {
    const app = context.tenant.root.stored.get('serviceApps')?.byId(id)
    if (app?.row.status !== from) return
    replaceEntity({ ...context, now: time }, app, { status: to, lastModifiedDateTime: iso(time) })
  })
}

function accepted (call: OperationCall, app: StoredEntity): OperationAnswer {
  return {
    status: 202,
    headers: { 'content-location': `${call.base}/solutions/backupRestore/serviceApps('${String(app.row.id)}')` },
    context: 'solutions/backupRestore/serviceApps/$entity',
    ...entityAnswer(call, app)
  }
}

/** POST serviceApps/{id}/activate {effectiveDateTime} */
export function activateServiceApp (call: OperationCall): OperationAnswer {
  const context = call.write
  const effective = call.parameters.effectiveDateTime
  const at = typeof effective === 'string' ? Date.parse(effective) : Number.NaN
  if (!Number.isFinite(at)) throw badRequest('The parameter \'effectiveDateTime\' is required: a DateTimeOffset.')
  const app = appOf(call)
  const id = String(app.row.id)
  const updated = replaceEntity(context, app, { status: 'pendingActive', effectiveDateTime: iso(at), lastModifiedDateTime: iso(context.now), lastModifiedBy: context.identity })
  moveLater(context, id, Math.max(at, context.now + context.durations.protectionStep), 'pendingActive', 'active')
  return accepted(call, updated)
}

/** POST serviceApps/{id}/deactivate */
export function deactivateServiceApp (call: OperationCall): OperationAnswer {
  const context = call.write
  const app = appOf(call)
  const id = String(app.row.id)
  const updated = replaceEntity(context, app, { status: 'pendingInactive', lastModifiedDateTime: iso(context.now), lastModifiedBy: context.identity })
  moveLater(context, id, context.now + context.durations.protectionStep, 'pendingInactive', 'inactive')
  return accepted(call, updated)
}

/** POST /solutions/backupRestore/enable {appOwnerTenantId} */
export function enable (call: OperationCall): OperationAnswer {
  const context = call.write
  const owner = call.parameters.appOwnerTenantId
  if (typeof owner !== 'string' || owner.trim() === '') throw new GraphError(400, 'InvalidAppOwnerTenantId', 'Invalid App owner tenant id received from the user.')
  const previous = (context.tenant.root.row.serviceStatus ?? {}) as Record<string, unknown>
  const serviceStatus = {
    backupServiceConsumer: typeof previous.backupServiceConsumer === 'string' ? previous.backupServiceConsumer : 'firstparty',
    disableReason: 'none',
    gracePeriodDateTime: null,
    lastModifiedBy: context.identity,
    lastModifiedDateTime: iso(context.now),
    restoreAllowedTillDateTime: null,
    status: 'enabled'
  }
  // The root lives outside any set: replaceEntity swaps it on the tenant, its collections kept.
  const root = replaceEntity(context, context.tenant.root, { serviceStatus })
  const shown = entityAnswer(call, root)
  return {
    status: 200,
    context: 'microsoft.graph.serviceStatus',
    body: { '@odata.type': '#microsoft.graph.serviceStatus', ...(shown.body.serviceStatus as Record<string, unknown>) },
    includedUnknownEnumMembers: shown.includedUnknownEnumMembers
  }
}

registerOperation({ binding: SERVICE_APP, name: 'activate', kind: 'action', handle: activateServiceApp })
registerOperation({ binding: SERVICE_APP, name: 'deactivate', kind: 'action', handle: deactivateServiceApp })
registerOperation({ binding: 'microsoft.graph.backupRestoreRoot', name: 'enable', kind: 'action', handle: enable })
