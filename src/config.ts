// Settings: one table drives the environment variables, the command-line flags, their defaults,
// their validation, `--help` and the README's table. Pure: env and argv come in as arguments.

import { clockModes, MAX_SPEED, parseDuration, parseInstant, type ClockMode } from './clock.js'
import { bundledFixturesDir } from './paths.js'

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof logLevels)[number]
export const logFormats = ['json', 'pretty'] as const
export type LogFormat = (typeof logFormats)[number]

export interface Config {
  port: number
  host: string
  fixturesDir: string
  logLevel: LogLevel
  logFormat: LogFormat
  pageSize: number
  maxPageSize: number
  topAboveMax: 'clamp' | 'error'
  unknownQueryOptions: 'error' | 'ignore'
  maxFilterLength: number
  maxUrlLength: number
  bodyLimit: number
  skipTokenSecret: string | undefined
  trustProxy: boolean
  corsOrigins: string
  authMode: 'stub' | 'permissions'
  authSecret: string | undefined
  authPublicKey: string | undefined
  authJwks: string | undefined
  authSigningKey: string | undefined
  authCheckAudience: boolean
  clockMode: ClockMode
  clockSpeed: number
  /** An ISO 8601 instant or epoch milliseconds (parseInstant reads it); unset, the real time at start. */
  clockStart: string | number | undefined
  /** Durations: ISO 8601 text or milliseconds (durationsFrom in src/clock.ts reads them). */
  restoreStep: string | number
  protectionStep: string | number
  restorePointInterval: string | number
  failureRate: number
  seed: number
  adminToken: string | undefined
  journalLimit: number
  maxNamespaces: number
  throttleLimit: number
  throttleWindow: string | number
  tls: boolean
  tlsCert: string | undefined
  tlsKey: string | undefined
  tlsCertOut: string | undefined
  tlsDir: string | undefined
}

export class ConfigError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

interface Setting<K extends keyof Config> {
  key: K
  env: string
  flag: string
  /** Shown in --help and the README; `undefined` defaults print as "(unset)". */
  default: Config[K]
  meaning: string
  /** For flags that take no value (`--tls`). */
  boolean?: true
  parse: (raw: string, name: string) => Config[K]
}

function integer (min: number, max: number) {
  return (raw: string, name: string): number => {
    if (!/^[0-9]{1,10}$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`)
    const value = Number(raw.trim())
    if (value < min || value > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`)
    return value
  }
}

function oneOf<const T extends readonly string[]> (members: T) {
  return (raw: string, name: string): T[number] => {
    const found = members.find((member) => member === raw.trim().toLowerCase())
    if (found === undefined) throw new ConfigError(`${name} must be one of ${members.join(', ')}, got '${raw}'`)
    return found
  }
}

function text (raw: string, name: string): string {
  if (raw.trim() === '') throw new ConfigError(`${name} must not be empty`)
  return raw.trim()
}

function optionalPath (raw: string, name: string): string | undefined {
  return text(raw, name)
}

function bool (raw: string, name: string): boolean {
  const value = raw.trim().toLowerCase()
  if (['1', 'true', 'yes', 'on'].includes(value)) return true
  if (['0', 'false', 'no', 'off'].includes(value)) return false
  throw new ConfigError(`${name} must be true or false, got '${raw}'`)
}

/** A number written in decimal (0.5, 2, .25, 1e-3), else NaN. */
function decimal (raw: string): number {
  return /^(?:[0-9]{1,20}\.?[0-9]{0,20}|\.[0-9]{1,20})(?:e[+-]?[0-9]{1,3})?$/i.test(raw.trim()) ? Number(raw.trim()) : Number.NaN
}

function positiveNumber (max: number) {
  return (raw: string, name: string): number => {
    const value = decimal(raw)
    if (!(value > 0 && value <= max)) throw new ConfigError(`${name} must be a number above 0 and at most ${max}, got '${raw}'`)
    return value
  }
}

function fraction (raw: string, name: string): number {
  const value = decimal(raw)
  if (!(value >= 0 && value <= 1)) throw new ConfigError(`${name} must be a number from 0 to 1, got '${raw}'`)
  return value
}

function instant (raw: string, name: string): string {
  try {
    parseInstant(raw)
  } catch {
    throw new ConfigError(`${name} must be an ISO 8601 instant with a time zone (such as 2026-12-01T09:00:00Z) or epoch milliseconds, got '${raw}'`)
  }
  return raw.trim()
}

/** An ISO 8601 duration or milliseconds, kept as given; `positive` refuses a zero one. */
function duration (positive: boolean) {
  return (raw: string, name: string): string => {
    let ms: number
    try {
      ms = parseDuration(raw)
    } catch {
      throw new ConfigError(`${name} must be an ISO 8601 duration such as PT0.5S, PT1H30M or P1D (no years or months), or milliseconds, got '${raw}'`)
    }
    if (positive && ms <= 0) throw new ConfigError(`${name} must be longer than 0, got '${raw}'`)
    return raw.trim()
  }
}

function setting<K extends keyof Config> (s: Setting<K>): Setting<K> {
  return s
}

/** Every setting, in the order `--help` and the README list them. */
export const settings = [
  setting({ key: 'port', env: 'PORT', flag: '--port', default: 8080, meaning: 'TCP port to listen on (0 picks a free one).', parse: integer(0, 65535) }),
  setting({ key: 'host', env: 'HOST', flag: '--host', default: '127.0.0.1', meaning: 'Address to listen on; 0.0.0.0 for every interface (the container uses it).', parse: text }),
  setting({ key: 'fixturesDir', env: 'FIXTURES_DIR', flag: '--fixtures-dir', default: bundledFixturesDir, meaning: 'Folder of fixture files: one per entity set or singleton (restorePoints.json, exchangeRestoreSessions.json, backupRestore.json, …; <set>.<part>.json and <set>.<contained set>.json too). Defaults to the bundled fixtures.', parse: text }),
  setting({ key: 'logLevel', env: 'LOG_LEVEL', flag: '--log-level', default: 'info', meaning: `Log level: ${logLevels.join(', ')}. At info, one line per request.`, parse: oneOf(logLevels) }),
  setting({ key: 'logFormat', env: 'LOG_FORMAT', flag: '--log-format', default: 'json', meaning: 'Log format: json (one pino JSON object per line) or pretty (one human-readable line per entry).', parse: oneOf(logFormats) }),
  setting({ key: 'pageSize', env: 'PAGE_SIZE', flag: '--page-size', default: 100, meaning: 'Items per page when the request has no $top. Left unset, it is 100, or MAX_PAGE_SIZE when that is smaller.', parse: integer(1, 100000) }),
  setting({ key: 'maxPageSize', env: 'MAX_PAGE_SIZE', flag: '--max-page-size', default: 999, meaning: 'Largest page a $top can ask for.', parse: integer(1, 100000) }),
  setting({ key: 'topAboveMax', env: 'TOP_ABOVE_MAX', flag: '--top-above-max', default: 'clamp', meaning: 'A $top above MAX_PAGE_SIZE: clamp (serve MAX_PAGE_SIZE) or error (400).', parse: oneOf(['clamp', 'error'] as const) }),
  setting({ key: 'unknownQueryOptions', env: 'UNKNOWN_QUERY_OPTIONS', flag: '--unknown-query-options', default: 'error', meaning: "An unknown $-option: error (400, Graph's 'Query option … is not allowed') or ignore.", parse: oneOf(['error', 'ignore'] as const) }),
  setting({ key: 'maxFilterLength', env: 'MAX_FILTER_LENGTH', flag: '--max-filter-length', default: 4096, meaning: 'Longest $filter expression accepted, in characters.', parse: integer(16, 1000000) }),
  setting({ key: 'maxUrlLength', env: 'MAX_URL_LENGTH', flag: '--max-url-length', default: 16384, meaning: 'Longest request URL accepted (longer: 414).', parse: integer(256, 1000000) }),
  setting({ key: 'bodyLimit', env: 'BODY_LIMIT', flag: '--body-limit', default: 1048576, meaning: 'Largest request body accepted, in bytes (larger: 413).', parse: integer(0, 104857600) }),
  setting({ key: 'skipTokenSecret', env: 'SKIP_TOKEN_SECRET', flag: '--skip-token-secret', default: undefined, meaning: 'Secret that signs $skiptoken values. Unset, a fixed one: the same data and query give the same nextLink on every run and instance. Give replicas the same value to share nextLinks.', parse: text }),
  setting({ key: 'trustProxy', env: 'TRUST_PROXY', flag: '--trust-proxy', boolean: true, default: false, meaning: 'Build nextLinks from X-Forwarded-Proto and X-Forwarded-Host (a mock behind a reverse proxy or ingress). Off, from the connection and the Host header.', parse: bool }),
  setting({ key: 'corsOrigins', env: 'CORS_ORIGINS', flag: '--cors-origins', default: '*', meaning: 'Origins browsers may call the mock from (CORS): * for any, or a comma-separated list such as http://localhost:3000,https://app.example.', parse: text }),
  setting({ key: 'authMode', env: 'AUTH_MODE', flag: '--auth-mode', default: 'stub', meaning: "Bearer check: stub (any well-formed token passes) or permissions (a JWT, checked per operation against Graph's documented permissions: 401 and 403 as Graph answers them).", parse: oneOf(['stub', 'permissions'] as const) }),
  setting({ key: 'authSecret', env: 'AUTH_SECRET', flag: '--auth-secret', default: undefined, meaning: 'permissions mode: shared secret that signs (HS256) and verifies (HS256/384/512) tokens. Without any key, tokens are accepted unsigned.', parse: text }),
  setting({ key: 'authPublicKey', env: 'AUTH_PUBLIC_KEY', flag: '--auth-public-key', default: undefined, meaning: 'permissions mode: PEM public key (or certificate) file that verifies RS/PS/ES/EdDSA tokens.', parse: optionalPath }),
  setting({ key: 'authJwks', env: 'AUTH_JWKS', flag: '--auth-jwks', default: undefined, meaning: "permissions mode: JWKS file ({\"keys\": [...]}) that verifies tokens, the key chosen by the token's kid.", parse: optionalPath }),
  setting({ key: 'authSigningKey', env: 'AUTH_SIGNING_KEY', flag: '--auth-signing-key', default: undefined, meaning: 'PEM private key (PKCS#8) or private JWKS file that signs the tokens graph-mock issues, for AUTH_PUBLIC_KEY or AUTH_JWKS.', parse: optionalPath }),
  setting({ key: 'authCheckAudience', env: 'AUTH_CHECK_AUDIENCE', flag: '--auth-check-audience', boolean: true, default: false, meaning: "permissions mode: refuse tokens whose aud is not Graph's (https://graph.microsoft.com or 00000003-0000-0000-c000-000000000000).", parse: bool }),
  setting({ key: 'clockMode', env: 'CLOCK_MODE', flag: '--clock-mode', default: 'real', meaning: 'The clock behind every timestamp, now() in $filter and every status change: real (real time, sped up by CLOCK_SPEED) or manual (time moves only when told: advance it from your tests).', parse: oneOf(clockModes) }),
  setting({ key: 'clockSpeed', env: 'CLOCK_SPEED', flag: '--clock-speed', default: 1, meaning: `Real mode: simulated time per real time (2: twice as fast; 60: a minute a second), above 0 and at most ${MAX_SPEED}.`, parse: positiveNumber(MAX_SPEED) }),
  setting({ key: 'clockStart', env: 'CLOCK_START', flag: '--clock-start', default: undefined, meaning: 'The time the clock starts at: an ISO 8601 instant with a time zone (2026-12-01T09:00:00Z) or epoch milliseconds. Unset, the real time at start.', parse: instant }),
  setting({ key: 'restoreStep', env: 'RESTORE_STEP', flag: '--restore-step', default: 'PT0.5S', meaning: 'How long each documented step of a restore artifact and of a restore session takes on the clock: an ISO 8601 duration (PT0.5S, PT2M, P1D) or milliseconds. PT0S: every step at once, still in order.', parse: duration(false) }),
  setting({ key: 'protectionStep', env: 'PROTECTION_STEP', flag: '--protection-step', default: 'PT1S', meaning: 'How long a protection policy takes to activate or deactivate, and each step of a protection unit (protectRequested → protected, offboarding…): a duration as RESTORE_STEP.', parse: duration(false) }),
  setting({ key: 'restorePointInterval', env: 'RESTORE_POINT_INTERVAL', flag: '--restore-point-interval', default: 'PT1H', meaning: 'How often a protected unit gets a new restore point on the clock: a duration as RESTORE_STEP, longer than 0.', parse: duration(true) }),
  setting({ key: 'failureRate', env: 'FAILURE_RATE', flag: '--failure-rate', default: 0, meaning: 'The share of restore artifacts that fail, from 0 (none) to 1 (all), picked by SEED: the same seed and requests fail the same artifacts.', parse: fraction }),
  setting({ key: 'seed', env: 'SEED', flag: '--seed', default: 1, meaning: 'Seed of every random outcome (which artifacts FAILURE_RATE fails): the same seed and the same requests give the same results.', parse: integer(0, 4294967295) }),
  setting({ key: 'adminToken', env: 'ADMIN_TOKEN', flag: '--admin-token', default: undefined, meaning: 'Protects the test-control plane (/__admin): calls must send Authorization: Bearer <ADMIN_TOKEN> (401 otherwise). Unset, /__admin is open, as the mock is meant for loopback and CI.', parse: text }),
  setting({ key: 'journalLimit', env: 'JOURNAL_LIMIT', flag: '--journal-limit', default: 1000, meaning: 'Requests the journal keeps per namespace (GET /__admin/requests); the oldest go first and the journal counts them. 0 turns the journal off.', parse: integer(0, 1000000) }),
  setting({ key: 'maxNamespaces', env: 'MAX_NAMESPACES', flag: '--max-namespaces', default: 10000, meaning: 'Most namespaces at once (/_ns/{name} or X-Graph-Mock-Namespace), the default one included; past it, a new name is refused with 409 namespaceLimitReached.', parse: integer(1, 1000000) }),
  setting({ key: 'throttleLimit', env: 'THROTTLE_LIMIT', flag: '--throttle-limit', default: 0, meaning: 'Graph-like throttling: requests allowed per THROTTLE_WINDOW and namespace before 429 with Retry-After. 0 turns it off.', parse: integer(0, 100000000) }),
  setting({ key: 'throttleWindow', env: 'THROTTLE_WINDOW', flag: '--throttle-window', default: 'PT10S', meaning: 'The window of THROTTLE_LIMIT: a duration as RESTORE_STEP, longer than 0.', parse: duration(true) }),
  setting({ key: 'tls', env: 'TLS', flag: '--tls', boolean: true, default: false, meaning: 'Serve HTTPS. Without TLS_CERT/TLS_KEY a self-signed certificate for localhost is generated at start.', parse: bool }),
  setting({ key: 'tlsCert', env: 'TLS_CERT', flag: '--tls-cert', default: undefined, meaning: 'PEM certificate file; with TLS_KEY, serves HTTPS on the same PORT.', parse: optionalPath }),
  setting({ key: 'tlsKey', env: 'TLS_KEY', flag: '--tls-key', default: undefined, meaning: 'PEM private key file for TLS_CERT.', parse: optionalPath }),
  setting({ key: 'tlsCertOut', env: 'TLS_CERT_OUT', flag: '--tls-cert-out', default: undefined, meaning: 'Where to write the generated certificate (for NODE_EXTRA_CA_CERTS).', parse: optionalPath }),
  setting({ key: 'tlsDir', env: 'TLS_DIR', flag: '--tls-dir', default: undefined, meaning: 'With TLS: folder that keeps the generated certificate and its key (graph-mock.pem, graph-mock.key), reused while valid. Unset, each start generates one, in a temporary folder of its own.', parse: optionalPath })
] as const

export type AnySetting = (typeof settings)[number]

export function defaultConfig (): Config {
  const config: Partial<Record<keyof Config, unknown>> = {}
  for (const s of settings) config[s.key] = s.default
  return config as Config
}

/**
 * Builds the configuration: defaults, then environment variables, then flags (flags win: a variable
 * a flag overrides is not even read). Throws ConfigError, naming the variable or flag, on an unknown
 * flag or a bad value.
 */
export function parseConfig (env: Readonly<Record<string, string | undefined>>, argv: readonly string[]): Config {
  const config: Record<string, unknown> = { ...defaultConfig() }
  /** The keys set, each with the name it was set by (the flag, else the variable). */
  const given = new Map<keyof Config, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    const eq = arg.indexOf('=')
    const flag = eq === -1 ? arg : arg.slice(0, eq)
    const s = settings.find((candidate) => candidate.flag === flag)
    if (s === undefined) throw new ConfigError(`unknown option '${arg}' (see --help)`)
    let raw: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1)
    if (raw === undefined && 'boolean' in s) raw = 'true'
    if (raw === undefined) {
      raw = argv[i + 1]
      if (raw === undefined || raw.startsWith('--')) throw new ConfigError(`option ${flag} needs a value`)
      i++
    }
    config[s.key] = s.parse(raw, flag)
    given.set(s.key, flag)
  }
  for (const s of settings) {
    const raw = env[s.env]
    if (given.has(s.key) || raw === undefined || raw === '') continue
    config[s.key] = s.parse(raw, s.env)
    given.set(s.key, s.env)
  }
  return checkConfig(config as unknown as Config, given, (key) => settings.find((s) => s.key === key)?.env ?? key)
}

/**
 * Rules between settings. `given` holds the keys the caller set, each with the name it used (a
 * variable, a flag or an option), and `nameOf` names the others, so that a message names what the
 * caller wrote. Without `given`, every setting counts as set and is named by its variable.
 */
export function checkConfig (config: Config, given?: ReadonlyMap<keyof Config, string>, nameOf?: (key: keyof Config) => string): Config {
  const name = (key: keyof Config): string => given?.get(key) ?? nameOf?.(key) ?? settings.find((s) => s.key === key)?.env ?? key
  // A default page size follows a smaller maximum rather than blocking it.
  if (given !== undefined && !given.has('pageSize') && config.pageSize > config.maxPageSize) config.pageSize = config.maxPageSize
  if (config.pageSize > config.maxPageSize) {
    throw new ConfigError(`${name('pageSize')} (${config.pageSize}) must not exceed ${name('maxPageSize')} (${config.maxPageSize})`)
  }
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    // The one missing is named the way the one set was (a flag for a flag, a variable for a variable).
    const [set, missing] = config.tlsCert === undefined ? ['tlsKey', 'tlsCert'] as const : ['tlsCert', 'tlsKey'] as const
    const setName = name(set)
    const partner = settings.find((s) => s.key === missing)
    const missingName = setName.startsWith('--') ? partner?.flag : partner?.env
    const pair = set === 'tlsCert' ? `${setName} and ${missingName ?? missing}` : `${missingName ?? missing} and ${setName}`
    throw new ConfigError(`${pair} go together: set both, or neither`)
  }
  return config
}

/** The `--help` text. */
export function helpText (): string {
  const lines = ['Usage: graph-mock [options]', '', 'A local mock of Microsoft Graph. Every option is also an environment variable.', '']
  for (const s of settings) {
    const value = 'boolean' in s ? '' : ' <value>'
    const def = s.default === undefined ? '(unset)' : s.key === 'fixturesDir' ? '(bundled fixtures)' : String(s.default)
    lines.push(`  ${(s.flag + value).padEnd(34)} ${s.env.padEnd(22)} default ${def}`)
    lines.push(`  ${''.padEnd(34)} ${s.meaning}`)
  }
  return lines.join('\n')
}
