import t from 'tap'
import { bundledFixturesDir } from '../src/paths.js'
import { ConfigError, defaultConfig, helpText, parseConfig, settings } from '../src/config.js'

t.test('defaults', async (t) => {
  t.strictSame(parseConfig({}, []), {
    port: 8080,
    host: '127.0.0.1',
    fixturesDir: bundledFixturesDir,
    logLevel: 'info',
    pageSize: 100,
    maxPageSize: 999,
    topAboveMax: 'clamp',
    unknownQueryOptions: 'error',
    maxFilterLength: 4096,
    maxUrlLength: 16384,
    bodyLimit: 1048576,
    tls: false,
    tlsCert: undefined,
    tlsKey: undefined,
    tlsCertOut: undefined
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
