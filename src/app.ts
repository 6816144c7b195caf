// buildApp(options): the whole mock as a Fastify instance, ready for `inject` or `listen`. The app is
// the `graphMock` plugin, registered in a fixed, visible order; only src/server.ts touches the process.

import { randomUUID } from 'node:crypto'
import Fastify, { LogController, type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import { checkConfig, defaultConfig, settings, ConfigError, type Config } from './config.js'
import { rewriteKeySegments } from './graph/key-segments.js'
import { resourceTreeOf } from './graph/resource-tree.js'
import { models } from './model/index.js'
import { defaultQuerySettings, type QuerySettings } from './odata/index.js'
import { packageVersion } from './paths.js'
import { graphAuth, type TokenVerifier } from './plugins/auth.js'
import { adminToken } from './auth/admin-token.js'
import gracefulClose from './plugins/graceful-close.js'
import graphErrorsPlugin, { graphFrameworkErrorHandler } from './plugins/graph-errors.js'
import { graphNotFoundHandler } from './plugins/graph-not-found.js'
import limits, { graphClientErrorHandler, nodeHeadLimit } from './plugins/limits.js'
import { openApi } from './plugins/openapi.js'
import requestContext from './plugins/request-context.js'
import { batchItems, batchRoutes } from './protocol/batch.js'
import { cors } from './protocol/cors.js'
import { metadataRoutes } from './protocol/metadata.js'
import { negotiation } from './protocol/negotiation.js'
import requestLog, { loggerOptions } from './plugins/request-log.js'
import { resourceRoutes, servedMethods } from './routes/resources.js'
import { writeRoutes, writeMethodsOf } from './routes/writes.js'
import { behavioursFor } from './behaviours/index.js'
import { clockOptionsFrom, durationsFrom, type Clock, type ScheduledTask } from './clock.js'
import { DEFAULT_NAMESPACE, Namespaces } from './control/namespaces.js'
import { adminRoutes, ADMIN_PREFIX } from './control/admin.js'
import { controlParts, type ControlParts } from './control/parts.js'
import { throttleOptionsFrom } from './control/throttle.js'
import controlHooks from './plugins/control-hooks.js'
import namespacePlugin, { stripNamespacePrefix } from './plugins/namespace.js'
import { storageModel } from './model/index.js'
import type { WriteContext } from './write/entity-behaviour.js'
import type { Behaviours } from './write/writes.js'
import { loadFixtures, storeFromData, storeFromRecords, type FixtureData, type FixtureStore, type Tenant } from './store/index.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The fixtures this app serves. */
    fixtureStore: FixtureStore
    /** The default namespace's clock: advance it in manual mode (`app.clock.advance(ms)`). */
    clock: Clock
    /** Every namespace: its data, clock and control-plane state. */
    namespaces: Namespaces<ControlParts>
    /** The fixtures folder the data came from (what a reload reads); undefined for data given in code. */
    fixturesDir: string | undefined
  }
}

/** The Graph versions served; `$`-less query options are a beta feature. */
export const graphVersions = ['beta', 'v1.0'] as const

/** The settings that shape the app (not where it listens). */
export type AppSettings = Omit<Config, 'port' | 'host' | 'tls' | 'tlsCert' | 'tlsKey' | 'tlsCertOut' | 'tlsDir'>

export interface AppOptions extends Partial<AppSettings> {
  /** exchangeRestoreSessions records instead of a fixtures folder; validated like fixture files. */
  sessions?: readonly unknown[]
  /**
   * The tenant as data instead of a fixtures folder: set or singleton name (as the fixture files are
   * named: `restorePoints`, `exchangeRestoreSessions`, `backupRestore`, …) → records, validated like
   * fixture files. Wins over `sessions` and `fixturesDir`.
   */
  data?: FixtureData
  /** An already loaded store (wins over `data`, `sessions` and `fixturesDir`). */
  store?: FixtureStore
  /** Decides whether a bearer token passes; the default accepts any well-formed token. */
  verifyToken?: TokenVerifier | undefined
  /** HTTPS for the server built here (PEM strings or buffers). */
  https?: { cert: string | Buffer, key: string | Buffer }
  /** A clock to use instead of the one the clock settings describe (tests share one this way). */
  clock?: Clock
}

export interface GraphMockPluginOptions {
  /** Every namespace's data and clock (the only source of time: timestamps, now() in $filter, steps). */
  namespaces: Namespaces<ControlParts>
  behaviours: Behaviours
  settings: AppSettings
  verifyToken?: TokenVerifier | undefined
}

function querySettingsFor (version: string, app: AppSettings): QuerySettings {
  return {
    ...defaultQuerySettings,
    defaultPageSize: app.pageSize,
    maxPageSize: app.maxPageSize,
    topAboveMax: app.topAboveMax,
    unknownQueryOptions: app.unknownQueryOptions,
    maxFilterLength: app.maxFilterLength,
    ...(app.skipTokenSecret === undefined ? {} : { skipTokenSecret: app.skipTokenSecret }),
    dollarOptional: version === 'beta'
  }
}

/** The Graph API: every version root, each behind the bearer check, each serving its own model. */
export async function graphMock (app: FastifyInstance, options: GraphMockPluginOptions): Promise<void> {
  const writeContext = (request: FastifyRequest): WriteContext => request.graphNamespace.writeContext()
  for (const version of graphVersions) {
    const model = models[version]
    const served = new Map(model.readPaths().map((path) => [path.path, [...servedMethods(model, path), ...writeMethodsOf(path)]]))
    const tree = resourceTreeOf(model, (path) => served.get(path) ?? [])
    await app.register(async (api) => {
      // The bearer check guards everything under the version root, unknown paths included (as on
      // Graph), and runs before any body is read.
      await api.register(graphAuth, { settings: options.settings, verifyToken: options.verifyToken, now: (request) => request.graphNamespace.clock.now() })
      // Every transition due by now happens before the request is answered: a poll never sees a
      // status skip a step, nor time go backwards.
      api.addHook('preHandler', async (request) => { request.graphNamespace.clock.runDue() })
      const notRouted = graphNotFoundHandler(tree)
      api.setNotFoundHandler(notRouted)
      // Fastify fails a QUERY without Content-Type (RFC 10008) with a 400 before the not-found
      // handler runs; no Graph resource serves QUERY, so it gets the 405 with Allow (or the unknown
      // segment's 400) that any other method the resource does not serve gets.
      api.addHook('onRequest', async (request, reply) => {
        if (request.method === 'QUERY' && request.is404) await notRouted(request, reply)
      })
      const tenant = (request: FastifyRequest): Tenant => request.graphNamespace.tenant
      const prefix = (request: FastifyRequest): string => request.namespacePrefix
      await api.register(resourceRoutes, {
        model,
        tenant,
        now: (request) => request.graphNamespace.clock.now(),
        linkPrefix: prefix,
        settings: querySettingsFor(version, options.settings),
        writeContext,
        behaviours: options.behaviours,
        trustProxy: options.settings.trustProxy
      })
      await api.register(writeRoutes, { model, tenant, linkPrefix: prefix, behaviours: options.behaviours, context: writeContext, trustProxy: options.settings.trustProxy, notRouted })
      // Each item goes back through the app, into this same pipeline.
      await api.register(batchRoutes, { versionRoot: `/${version}` })
    }, { prefix: `/${version}` })
  }
}

/** The settings that only say where and how to listen: options of startGraphMock, not of buildApp. */
const listenSettings: ReadonlySet<string> = new Set(['port', 'host', 'tls', 'tlsCert', 'tlsKey', 'tlsCertOut', 'tlsDir'])

/** Every option buildApp takes: the app's settings, then the options that have no variable. */
export const appOptionNames: readonly string[] = [
  ...settings.map((s) => s.key).filter((key) => !listenSettings.has(key)),
  'sessions', 'data', 'store', 'verifyToken', 'https', 'clock'
]

/** A misspelt option is an error, as an unknown flag is, not a setting silently left at its default. */
export function rejectUnknownOptions (options: object, known: readonly string[]): void {
  for (const name of Object.keys(options)) {
    if (!known.includes(name)) throw new ConfigError(`unknown option '${name}'; the options are ${known.join(', ')}`)
  }
}

/** Validates programmatic options the way environment variables are validated. */
export function appSettingsFrom (options: Partial<AppSettings>): AppSettings {
  const merged: Record<string, unknown> = { ...defaultConfig(), logLevel: 'silent' }
  const given = new Map<keyof Config, string>()
  for (const s of settings) {
    const value = (options as Record<string, unknown>)[s.key]
    if (value === undefined) continue
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      throw new ConfigError(`option ${s.key} must be a ${typeof s.default === 'number' ? 'number' : typeof s.default === 'boolean' ? 'boolean' : 'string'}, got ${typeof value}`)
    }
    merged[s.key] = s.parse(String(value), `option ${s.key}`)
    given.set(s.key, `option ${s.key}`)
  }
  // Messages name the options, as the caller wrote them, not the environment variables.
  return checkConfig(merged as unknown as Config, given, (key) => `option ${key}`)
}

async function storeFor (options: AppOptions, settingsIn: AppSettings): Promise<FixtureStore> {
  if (options.store !== undefined) return options.store
  if (options.data !== undefined) return storeFromData(options.data)
  if (options.sessions !== undefined) return storeFromRecords(options.sessions)
  return await loadFixtures(settingsIn.fixturesDir)
}

/** Builds the app: loads (and validates) the fixtures, then registers everything. */
export async function buildApp (options: AppOptions = {}): Promise<FastifyInstance> {
  rejectUnknownOptions(options, appOptionNames)
  const appSettings = appSettingsFrom(options)
  const store = await storeFor(options, appSettings)
  const serverOptions: FastifyServerOptions & { http: { maxHeaderSize: number } } = {
    logger: loggerOptions(appSettings.logLevel, appSettings.logFormat),
    // One line per request comes from the onResponse hook below, not Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: appSettings.bodyLimit,
    // Node's parser reads heads up to the URL limit plus the header limit, so that the limits plugin
    // answers both with Graph's body; anything larger or not HTTP is answered at the socket.
    http: { maxHeaderSize: nodeHeadLimit(appSettings.maxUrlLength) },
    clientErrorHandler: graphClientErrorHandler(appSettings.maxUrlLength),
    // Errors the router raises before any hook (a malformed percent-encoding in the path).
    frameworkErrors: graphFrameworkErrorHandler(appSettings.bodyLimit),
    rewriteUrl: (req) => rewriteKeySegments(stripNamespacePrefix(req, req.url ?? '/')),
    // Graph matches path segments case-insensitively and tolerates a trailing slash. A key segment
    // is bounded by the URL limit (checked in onRequest), not by a router limit with its own 414.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: appSettings.maxUrlLength }
  }
  const app = options.https === undefined
    ? Fastify(serverOptions)
    // An HTTPS instance differs only in its server's type; plugins and routes are the same.
    : Fastify({ ...serverOptions, https: { ...options.https, maxHeaderSize: nodeHeadLimit(appSettings.maxUrlLength) } } as unknown as FastifyServerOptions)
  app.decorate('fixtureStore', store)
  // An empty body sent as JSON (an action without parameters, a DELETE from a client that always
  // sets Content-Type) is no body, as on Graph; anything else goes to Fastify's own JSON parser,
  // which refuses __proto__ and constructor keys.
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, undefined)
      return
    }
    void parseJson(request, typeof body === 'string' ? body : body.toString('utf8'), done)
  })
  // A lifecycle step that fails is logged; it never fails the request that happened to run it.
  const clockOptions = {
    ...clockOptionsFrom(appSettings),
    onError: (error: unknown, task: ScheduledTask) => { app.log.error({ err: error, task: task.label }, `a scheduled step failed: ${task.label}`) }
  }
  const behaviours = behavioursFor(storageModel)
  const namespaces = new Namespaces<ControlParts>(store, {
    model: storageModel,
    behaviours,
    seed: appSettings.seed,
    failureRate: appSettings.failureRate,
    durations: durationsFrom(appSettings),
    clock: clockOptions,
    limit: appSettings.maxNamespaces
  }, (name) => controlParts({ journalLimit: appSettings.journalLimit, throttle: throttleOptionsFrom(appSettings) }, name === DEFAULT_NAMESPACE ? undefined : name), options.clock)
  app.decorate('namespaces', namespaces)
  const fromFolder = options.store === undefined && options.data === undefined && options.sessions === undefined
  app.decorate('fixturesDir', fromFolder ? appSettings.fixturesDir : undefined)
  app.decorate('clock', namespaces.default.clock)
  await registerAll(app, { namespaces, behaviours, settings: appSettings, verifyToken: options.verifyToken })
  return app
}

function logsRequests (level: AppSettings['logLevel']): boolean {
  return level === 'info' || level === 'debug' || level === 'trace'
}

async function registerAll (app: FastifyInstance, options: GraphMockPluginOptions): Promise<void> {
  // Closing waits for answers still being written to slow readers.
  await app.register(gracefulClose)
  await app.register(requestContext)
  // The namespace a request is for, before anything reads data, a clock or a fault rule.
  await app.register(namespacePlugin, { namespaces: options.namespaces })
  // Throttling, fault rules and the journal, on every Graph request.
  await app.register(controlHooks, { journal: options.settings.journalLimit > 0, namespaces: options.namespaces })
  // Preflights are answered before the bearer check; every answer carries the CORS headers.
  await app.register(cors, { origins: options.settings.corsOrigins })
  // Recognises the requests a $batch dispatches through the app.
  await app.register(batchItems)
  await app.register(graphErrorsPlugin, { bodyLimit: options.settings.bodyLimit })
  // URL and header limits: before the bearer check and before any query is parsed.
  await app.register(limits, { maxUrlLength: options.settings.maxUrlLength })
  // The request line is logged at info; below that level the hook is not even added, so a quiet
  // mock (LOG_LEVEL=warn or silent) builds no log string per request.
  if (logsRequests(options.settings.logLevel)) await app.register(requestLog)
  await app.register(openApi, { version: packageVersion })
  // Health checks poll every few seconds: their request lines are left out of the log.
  app.get('/healthz', { schema: { hide: true }, logLevel: 'warn' }, async () => ({ status: 'ok' }))
  // The test-control plane: outside the version roots, guarded by ADMIN_TOKEN when it is set.
  await app.register(adminRoutes, {
    prefix: ADMIN_PREFIX,
    namespaces: options.namespaces,
    adminToken: options.settings.adminToken,
    fixturesDir: app.fixturesDir,
    also: async (admin) => { await admin.register(adminToken, { settings: options.settings, now: () => options.namespaces.default.clock.now(), path: '/token' }) }
  })
  // Accept (406), request Content-Encoding (inflated; 415) and compressed answers, for every route after it.
  await app.register(negotiation)
  // $metadata needs no token, as on Graph.
  await app.register(metadataRoutes, { versions: graphVersions })
  await app.register(graphMock, options)
}
