// The package entry (`import { startGraphMock } from 'graph-mock'`): a re-export module, no side
// effects. Start a listening mock with startGraphMock, or build the app for `inject` with buildApp;
// options are checked like the environment variables. The fixture generator is the separate entry
// `graph-mock/fixtures`, so that importing this one does not load faker.

export { startGraphMock, type FetchDispatcher, type GraphMock, type StartOptions } from './start.js'
export { buildApp, type AppOptions, type AppSettings } from './app.js'
export { ConfigError, type LogLevel } from './config.js'
export { FixtureError, isFixtureError, loadFixtures, storeFromRecords, type FixtureLocation, type FixtureStore } from './store/index.js'
export type { TokenVerifier } from './plugins/auth.js'
export { createToken, type CreateTokenOptions, type TokenOptions } from './auth/token.js'
export type { TlsMaterial } from './tls.js'
export { controlOf, type ClockControl, type FaultControl, type MockControl, type NamespaceControl, type RequestFilter } from './control/api.js'
export { AdminError } from './control/admin-error.js'
export type { JournalEntry } from './control/journal.js'
export type { FaultRule, FaultRuleInput } from './control/faults.js'

// The entity types and the JSON Schemas they come from.
export {
  entitySchema,
  exchangeRestoreSessionSchema,
  identitySchema,
  identitySetSchema,
  publicErrorDetailSchema,
  publicErrorSchema,
  publicInnerErrorSchema,
  restoreJobTypeMembers,
  restoreJobTypeSchema,
  restoreSessionArtifactCountSchema,
  restoreSessionBaseSchema,
  restoreSessionStatusMembers,
  restoreSessionStatusSchema,
  type Entity,
  type ExchangeRestoreSession,
  type Identity,
  type IdentitySet,
  type PublicError,
  type PublicErrorDetail,
  type PublicInnerError,
  type RestoreJobType,
  type RestoreSessionArtifactCount,
  type RestoreSessionBase,
  type RestoreSessionStatus
} from '../schemas/index.js'
