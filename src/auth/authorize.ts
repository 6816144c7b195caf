// authorize({ version, method, path, claims }): the per-operation check Graph makes once a token is
// valid. Delegated tokens carry `scp` (space-separated scopes), application tokens `roles` (a list);
// the token passes when it holds any of the operation's least or higher privileged permissions of its
// kind. Pure: the claims come in already verified.

import { graphErrors, type GraphError } from '../errors.js'
import { acceptedPermissions, operationOf, permissionData, type PermissionData, type PermissionKind } from './permissions.js'

/** The payload of a verified token. */
export type TokenClaims = Readonly<Record<string, unknown>>

export interface AuthorizeRequest {
  version: string
  method: string
  /** The contract's path template, e.g. `/solutions/backupRestore/restoreSessions/{restoreSessionBase-id}`. */
  path: string
  claims: TokenClaims
}

export type AuthorizeResult =
  | { allowed: true, kind: PermissionKind, permission: string }
  | { allowed: false, error: GraphError }

/** The token's permissions: its kind and what it holds, or undefined when it has neither claim. */
export function tokenPermissions (claims: TokenClaims): { kind: PermissionKind, held: string[] } | undefined {
  const scp = claims['scp']
  if (typeof scp === 'string' && scp.trim() !== '') return { kind: 'delegated', held: scp.trim().split(/\s+/) }
  const roles = claims['roles']
  if (Array.isArray(roles)) {
    const held = roles.filter((role): role is string => typeof role === 'string' && role !== '')
    if (held.length > 0) return { kind: 'application', held }
  }
  return undefined
}

/**
 * Whether the token may call the operation. Throws a TypeError for an operation the contract does not
 * have: a route registered with a wrong graphPath is a bug, not a caller's mistake.
 */
export function authorize (request: AuthorizeRequest, data: PermissionData = permissionData): AuthorizeResult {
  const operation = operationOf(request.version, request.method, request.path, data)
  if (operation === undefined) {
    throw new TypeError(`no permissions are recorded for ${request.version} ${request.method.toUpperCase()} ${request.path}`)
  }
  const permissions = tokenPermissions(request.claims)
  if (permissions === undefined) return { allowed: false, error: graphErrors.noScopesOrRoles() }
  // Permission names are matched as Entra ID issues them; Graph compares them case-insensitively.
  const held = new Set(permissions.held.map((name) => name.toLowerCase()))
  const granted = acceptedPermissions(operation.table, permissions.kind).find((name) => held.has(name.toLowerCase()))
  if (granted === undefined) return { allowed: false, error: graphErrors.insufficientPrivileges() }
  return { allowed: true, kind: permissions.kind, permission: granted }
}
