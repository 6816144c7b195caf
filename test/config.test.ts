import t from 'tap'
import { bundledFixturesDir } from '../src/paths.js'
import { ConfigError, defaultConfig, helpText, parseConfig, settings } from '../src/config.js'

t.test('defaults', async (t) => {
  t.strictSame(parseConfig({}, []), {
    port: 8080,
    host: '127.0.0.1',
    fixturesDir: bundledFixturesDir,
    logLevel: 'info',
    logFormat: 'json',
    pageSize: 100,
    maxPageSize: 999,
    topAboveMax: 'clamp',
    unknownQueryOptions: 'error',
    maxFilterLength: 4096,
    maxUrlLength: 16384,
    bodyLimit: 1048576,
    skipTokenSecret: undefined,
    trustProxy: false,
    corsOrigins: '*',
    authMode: 'stub',
    authSecret: undefined,
    authPublicKey: undefined,
    authJwks: undefined,
    authSigningKey: undefined,
    authCheckAudience: false,
    clockMode: 'real',
    clockSpeed: 1,
    clockStart: undefined,
    restoreStep: 'PT0.5S',
    protectionStep: 'PT1S',
    restorePointInterval: 'PT1H',
    failureRate: 0,
    seed: 1,
    adminToken: undefined,
    journalLimit: 1000,
    maxNamespaces: 10000,
    throttleLimit: 0,
    throttleWindow: 'PT10S',
    tls: false,
    tlsCert: undefined,
    tlsKey: undefined,
    tlsCertOut: undefined,
    tlsDir: undefined
  })
})

t.test('environment variables, then flags (flags win)', async (t) => {
  const config = parseConfig(
    { PORT: '9000', HOST: '0.0.0.0', FIXTURES_DIR: '/data/fixtures', PAGE_SIZE: '20', TOP_ABOVE_MAX: 'ERROR', UNKNOWN_QUERY_OPTIONS: 'ignore', LOG_LEVEL: 'warn', TLS: 'true' },
    ['--port', '9100', '--page-size=30', '--fixtures-dir', './mine']
  )
  t.equal(config.port, 9100)
  t.equal(config.host, '0.0.0.0')
  t.equal(config.fixturesDir, './mine')
  t.equal(config.pageSize, 30)
  t.equal(config.topAboveMax, 'error')
  t.equal(config.unknownQueryOptions, 'ignore')
  t.equal(config.logLevel, 'warn')
  t.equal(config.tls, true)
  t.equal(parseConfig({}, ['--tls']).tls, true, 'a boolean flag needs no value')
  t.equal(parseConfig({ PORT: '' }, []).port, 8080, 'an empty variable means unset')
})

t.test('a bad value or an unknown flag is a clear ConfigError', async (t) => {
  const cases: Array<[Record<string, string>, string[], string]> = [
    [{ PORT: 'abc' }, [], "PORT must be a whole number from 0 to 65535, got 'abc'"],
    [{ PORT: '70000' }, [], "PORT must be a whole number from 0 to 65535, got '70000'"],
    [{}, ['--port', '-1'], "--port must be a whole number from 0 to 65535, got '-1'"],
    [{}, ['--port=1.5'], "--port must be a whole number from 0 to 65535, got '1.5'"],
    [{ PAGE_SIZE: '0' }, [], "PAGE_SIZE must be a whole number from 1 to 100000, got '0'"],
    [{ TOP_ABOVE_MAX: 'maybe' }, [], "TOP_ABOVE_MAX must be one of clamp, error, got 'maybe'"],
    [{ LOG_LEVEL: 'loud' }, [], "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'"],
    [{ TLS: 'sometimes' }, [], "TLS must be true or false, got 'sometimes'"],
    [{ HOST: '   ' }, [], 'HOST must not be empty'],
    [{}, ['--bogus'], "unknown option '--bogus' (see --help)"],
    [{}, ['--page-size'], 'option --page-size needs a value'],
    [{ PAGE_SIZE: '500', MAX_PAGE_SIZE: '100' }, [], 'PAGE_SIZE (500) must not exceed MAX_PAGE_SIZE (100)'],
    [{ TLS_CERT: 'cert.pem' }, [], 'TLS_CERT and TLS_KEY go together: set both, or neither']
  ]
  for (const [env, argv, message] of cases) {
    t.throws(() => parseConfig(env, argv), new ConfigError(message), message)
  }
})

t.test('a flag wins over its variable, which is then not even read', async (t) => {
  t.equal(parseConfig({ PORT: 'abc' }, ['--port', '0']).port, 0, 'PORT=abc graph-mock --port 0')
  t.equal(parseConfig({ LOG_LEVEL: 'loud' }, ['--log-level=warn']).logLevel, 'warn')
  t.equal(parseConfig({ TLS: 'sometimes' }, ['--tls']).tls, true, 'a boolean flag over a bad variable')
  t.throws(() => parseConfig({ PORT: 'abc' }, ['--host', 'localhost']), new ConfigError("PORT must be a whole number from 0 to 65535, got 'abc'"), 'a variable no flag overrides is still checked')
})

t.test('the default page size follows a smaller MAX_PAGE_SIZE; a page size that was set does not', async (t) => {
  const followed = parseConfig({ MAX_PAGE_SIZE: '50' }, [])
  t.strictSame({ pageSize: followed.pageSize, maxPageSize: followed.maxPageSize }, { pageSize: 50, maxPageSize: 50 }, 'MAX_PAGE_SIZE=50 alone')
  const flag = parseConfig({}, ['--max-page-size', '20'])
  t.strictSame({ pageSize: flag.pageSize, maxPageSize: flag.maxPageSize }, { pageSize: 20, maxPageSize: 20 }, '--max-page-size 20 alone')
  const larger = parseConfig({ MAX_PAGE_SIZE: '500' }, [])
  t.strictSame({ pageSize: larger.pageSize, maxPageSize: larger.maxPageSize }, { pageSize: 100, maxPageSize: 500 }, 'a larger maximum leaves the default at 100')
  const below = parseConfig({ PAGE_SIZE: '10', MAX_PAGE_SIZE: '50' }, [])
  t.strictSame({ pageSize: below.pageSize, maxPageSize: below.maxPageSize }, { pageSize: 10, maxPageSize: 50 })
  // A page size the caller set above the maximum is a mistake, named as the caller wrote it.
  t.throws(() => parseConfig({ PAGE_SIZE: '80' }, ['--max-page-size=50']), new ConfigError('PAGE_SIZE (80) must not exceed --max-page-size (50)'))
  t.throws(() => parseConfig({}, ['--page-size', '80', '--max-page-size', '50']), new ConfigError('--page-size (80) must not exceed --max-page-size (50)'))
  t.throws(() => parseConfig({ MAX_PAGE_SIZE: '50' }, ['--page-size', '80']), new ConfigError('--page-size (80) must not exceed MAX_PAGE_SIZE (50)'))
  t.throws(() => parseConfig({}, ['--tls-key', 'key.pem']), new ConfigError('--tls-cert and --tls-key go together: set both, or neither'))
  t.throws(() => parseConfig({ TLS_KEY: 'key.pem' }, []), new ConfigError('TLS_CERT and TLS_KEY go together: set both, or neither'))
})

t.test('the settings added for nextLinks, logs and certificates', async (t) => {
  const config = parseConfig({ SKIP_TOKEN_SECRET: ' shared ', TRUST_PROXY: 'yes', LOG_FORMAT: 'Pretty', TLS_DIR: '/var/lib/graph-mock' }, [])
  t.strictSame(
    { skipTokenSecret: config.skipTokenSecret, trustProxy: config.trustProxy, logFormat: config.logFormat, tlsDir: config.tlsDir },
    { skipTokenSecret: 'shared', trustProxy: true, logFormat: 'pretty', tlsDir: '/var/lib/graph-mock' }
  )
  const flags = parseConfig({}, ['--skip-token-secret', 's3', '--trust-proxy', '--log-format=json', '--tls-dir', './certs'])
  t.strictSame(
    { skipTokenSecret: flags.skipTokenSecret, trustProxy: flags.trustProxy, logFormat: flags.logFormat, tlsDir: flags.tlsDir },
    { skipTokenSecret: 's3', trustProxy: true, logFormat: 'json', tlsDir: './certs' }
  )
  t.throws(() => parseConfig({ LOG_FORMAT: 'xml' }, []), new ConfigError("LOG_FORMAT must be one of json, pretty, got 'xml'"))
  t.throws(() => parseConfig({}, ['--skip-token-secret=  ']), new ConfigError('--skip-token-secret must not be empty'))
  t.throws(() => parseConfig({ TRUST_PROXY: 'maybe' }, []), new ConfigError("TRUST_PROXY must be true or false, got 'maybe'"))
})

t.test('--help lists every variable and flag', async (t) => {
  const help = helpText()
  for (const s of settings) {
    t.match(help, s.env, s.env)
    t.match(help, s.flag, s.flag)
  }
  t.equal(Object.keys(defaultConfig()).length, settings.length)
})

t.test('the README documents every setting with its default', async (t) => {
  const { readFile } = await import('node:fs/promises')
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8')
  for (const s of settings) {
    const def = s.default === undefined ? '(unset)' : s.key === 'fixturesDir' ? 'the bundled `fixtures/`' : `\`${String(s.default)}\``
    t.ok(readme.includes(`| \`${s.env}\` | \`${s.flag}\` | ${def} |`), `${s.env} row`)
  }
})
