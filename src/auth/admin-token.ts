// POST /__admin/token: a token for a test, as `graph-mock token` prints it, signed with the mock's own
// key. Body (all optional): { scopes, roles, expiresIn, notBefore, oid, name, appid, appDisplayName,
// audience, kid }. Answers like a token endpoint: { token_type, access_token, expires_in }. Not a
// Graph route, so no bearer token is needed; errors are Graph's body like everywhere else.

import type { FastifyInstance } from 'fastify'
import { ConfigError } from '../config.js'
import { badRequest } from '../errors.js'
import { loadAuthKeys, type AuthKeySettings } from './keys.js'
import { issueToken, type TokenOptions } from './token.js'

export const ADMIN_TOKEN_PATH = '/__admin/token'

export interface AdminTokenOptions {
  settings: Partial<AuthKeySettings>
  /** The mock's clock; default Date.now. */
  now?: (() => number) | undefined
  /** Where the route is, relative to the context registering it; default /__admin/token. */
  path?: string
}

const permissionList = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 256 }, maxItems: 100 } as const
const shortText = { type: 'string', minLength: 1, maxLength: 256 } as const
const seconds = { type: 'integer', minimum: -315360000, maximum: 315360000 } as const

// No additionalProperties: false, since the app's validator would drop unknown properties silently;
// the handler refuses them instead.
const bodySchema = {
  type: 'object',
  properties: {
    scopes: permissionList,
    roles: permissionList,
    expiresIn: seconds,
    notBefore: seconds,
    oid: shortText,
    name: shortText,
    appid: shortText,
    appDisplayName: shortText,
    audience: shortText,
    kid: shortText
  }
} as const

export async function adminToken (app: FastifyInstance, options: AdminTokenOptions): Promise<void> {
  const settings = options.settings
  const keys = await loadAuthKeys({
    authSecret: settings.authSecret,
    authPublicKey: settings.authPublicKey,
    authJwks: settings.authJwks,
    authSigningKey: settings.authSigningKey
  })
  const now = options.now ?? Date.now
  app.post<{ Body: TokenOptions | undefined }>(options.path ?? ADMIN_TOKEN_PATH, { schema: { tags: ['admin'], summary: 'A token signed with the mock\'s own key, for permissions mode ({ scopes, roles, expiresIn, … }; all optional)', body: bodySchema } }, async (request) => {
    const raw: unknown = request.body ?? {}
    const unknown = Object.keys(raw as object).find((name) => !Object.hasOwn(bodySchema.properties, name))
    if (unknown !== undefined) throw badRequest(`Unknown property '${unknown}'; the properties are ${Object.keys(bodySchema.properties).join(', ')}.`)
    try {
      const issued = await issueToken(request.body ?? {}, keys.signing, now())
      return { token_type: 'Bearer', access_token: issued.token, expires_in: issued.expiresIn }
    } catch (error) {
      if (error instanceof ConfigError) throw badRequest(error.message)
      throw error
    }
  })
}
