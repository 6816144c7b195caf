// The AUTH_* settings: parsed like every setting (variables, flags, options), validated with a
// message naming what the caller wrote.

import t from 'tap'
import { appSettingsFrom } from '../../src/app.js'
import { ConfigError, helpText, parseConfig } from '../../src/config.js'

const pick = (config: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith('auth')))

t.test('defaults: stub mode, no key, audience not checked', async (t) => {
  t.strictSame(pick(parseConfig({}, []) as unknown as Record<string, unknown>), {
    authMode: 'stub',
    authSecret: undefined,
    authPublicKey: undefined,
    authJwks: undefined,
    authSigningKey: undefined,
    authCheckAudience: false
  })
})

t.test('variables and flags', async (t) => {
  const config = parseConfig({ AUTH_MODE: 'Permissions', AUTH_SECRET: ' s3cret ', AUTH_CHECK_AUDIENCE: 'yes' }, ['--auth-jwks', 'keys.json', '--auth-signing-key=private.json'])
  t.strictSame(pick(config as unknown as Record<string, unknown>), {
    authMode: 'permissions',
    authSecret: 's3cret',
    authPublicKey: undefined,
    authJwks: 'keys.json',
    authSigningKey: 'private.json',
    authCheckAudience: true
  })
  t.equal(parseConfig({}, ['--auth-check-audience']).authCheckAudience, true, 'a flag without a value')
  t.equal(parseConfig({ AUTH_MODE: 'permissions' }, ['--auth-mode', 'stub']).authMode, 'stub', 'the flag wins')
})

t.test('bad values name the variable, the flag or the option', async (t) => {
  t.throws(() => parseConfig({ AUTH_MODE: 'strict' }, []), new ConfigError("AUTH_MODE must be one of stub, permissions, got 'strict'"))
  t.throws(() => parseConfig({}, ['--auth-mode', 'on']), new ConfigError("--auth-mode must be one of stub, permissions, got 'on'"))
  t.throws(() => parseConfig({ AUTH_CHECK_AUDIENCE: 'maybe' }, []), new ConfigError("AUTH_CHECK_AUDIENCE must be true or false, got 'maybe'"))
  t.throws(() => parseConfig({}, ['--auth-secret', '  ']), new ConfigError('--auth-secret must not be empty'))
  t.throws(() => appSettingsFrom({ authMode: 'strict' as 'stub' }), new ConfigError("option authMode must be one of stub, permissions, got 'strict'"))
  t.equal(appSettingsFrom({ authMode: 'permissions', authCheckAudience: true }).authCheckAudience, true, 'programmatic options')
})

t.test('--help lists them', async (t) => {
  const help = helpText()
  for (const name of ['AUTH_MODE', 'AUTH_SECRET', 'AUTH_PUBLIC_KEY', 'AUTH_JWKS', 'AUTH_SIGNING_KEY', 'AUTH_CHECK_AUDIENCE']) t.match(help, name)
})
