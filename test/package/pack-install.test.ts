// The package as a consumer gets it: build, `npm pack`, install the tarball into a fresh project
// outside this repository (so nothing resolves from our node_modules), then import it, start it,
// request it, close it; run its bin; type-check a TypeScript consumer against its .d.ts files.
// It installs the dependencies from the registry (or npm's cache), hence the long timeout.

import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { loadFixtures } from '../../src/store/index.js'

// For the whole file (tap's default is 30 s): installing from a cold npm cache takes a while.
t.setTimeout(180_000)

const root = fileURLToPath(new URL('../..', import.meta.url))
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
const version = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string }).version

interface Run { code: number, stdout: string, stderr: string }

/** npm's per-script variables would point a nested npm at this repository: leave them out. */
function cleanEnv (): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_package_|npm_lifecycle_|npm_config_(local_|global_)?prefix$|INIT_CWD$)/.test(name)) continue
    env[name] = value
  }
  return env
}

async function run (file: string, args: string[], cwd: string): Promise<Run> {
  return await new Promise((resolve) => {
    execFile(file, args, { cwd, env: cleanEnv(), timeout: 150_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
      resolve({ code, stdout, stderr })
    })
  })
}

/** Runs and expects exit 0; on failure the assertion shows stderr. */
async function ok (t: Test, what: string, file: string, args: string[], cwd: string): Promise<string> {
  const result = await run(file, args, cwd)
  t.equal(result.code, 0, what, { stderr: result.stderr.slice(-4000), stdout: result.stdout.slice(-4000) })
  return result.stdout
}

const CONSUMER_JS = `
import { createRequire } from 'node:module'
import { startGraphMock, buildApp, ConfigError } from 'graph-mock'
import { generateSessions } from 'graph-mock/fixtures'

const LIST = '/beta/solutions/backupRestore/exchangeRestoreSessions'
const headers = { authorization: 'Bearer test-token' }
const result = {}

const mock = await startGraphMock({ port: 0, sessions: [{ id: '5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31', status: 'active' }] })
const response = await fetch(mock.url + LIST + '?$select=id,status', { headers })
result.list = { status: response.status, body: await response.json() }
await mock.close()

const bundled = await startGraphMock({ port: 0, pageSize: 999, maxPageSize: 999 })
result.bundled = (await (await fetch(bundled.url + LIST, { headers })).json()).value.length
await bundled.close()

const app = await buildApp({ sessions: generateSessions({ count: 3, seed: 1 }) })
result.injected = (await app.inject({ method: 'GET', url: LIST + '/$count', headers })).body
await app.close()

result.badOption = await startGraphMock({ pageSize: 0 }).then(() => 'started', (error) => error instanceof ConfigError && error.message)
result.version = createRequire(import.meta.url)('graph-mock/package.json').version
result.internals = await import('graph-mock/dist/src/app.js').then(() => 'importable', (error) => error.code)
console.log(JSON.stringify(result))
`

const CONSUMER_TS = `
import { buildApp, startGraphMock, type ExchangeRestoreSession, type GraphMock, type StartOptions } from 'graph-mock'
import { generateSessions } from 'graph-mock/fixtures'

const rows: ExchangeRestoreSession[] = [{ id: 'a', status: 'active' }, ...generateSessions({ count: 2, seed: 1 })]
// @ts-expect-error 'sleeping' is not a restoreSessionStatus
const wrong: ExchangeRestoreSession = { id: 'b', status: 'sleeping' }
const options: StartOptions = { port: 0, sessions: rows, pageSize: 10, topAboveMax: 'error', tls: true }
// @ts-expect-error a misspelt option
const misspelt: StartOptions = { pagesize: 10 }
const mock: GraphMock = await startGraphMock(options)
const url: string = mock.url
await mock.close()
const app = await buildApp({ sessions: rows, verifyToken: (token) => token === 'x' })
const status: number = (await app.inject({ method: 'GET', url: '/healthz' })).statusCode
export { wrong, misspelt, url, status }
`

t.test('npm pack → npm install → import, start, request, close; the bin; the types', async (t) => {
  const work = await mkdtemp(join(tmpdir(), 'graph-mock-pack-'))
  t.teardown(async () => { await rm(work, { recursive: true, force: true }) })

  // What `npm pack` would do (prepack = npm run build), in a clean copy, so that neither this
  // repository's dist/ nor a stale file in it ends up in the tarball.
  const staging = join(work, 'staging')
  await mkdir(staging)
  for (const entry of ['package.json', 'README.md', 'fixtures']) await cp(join(root, entry), join(staging, entry), { recursive: true })
  await ok(t, 'the build compiles', process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(staging, 'dist')], root)
  const packed = JSON.parse(await ok(t, 'npm pack', 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], staging)) as Array<{ filename: string, size: number, files: Array<{ path: string }> }>
  const tarball = packed[0]
  if (tarball === undefined) throw new Error('npm pack reported no tarball')
  const files = tarball.files.map((file) => file.path)
  t.ok(files.includes('dist/src/index.js') && files.includes('dist/src/index.d.ts') && files.includes('dist/src/cli.js'), 'the entry, its types and the bin are packed')
  t.ok(files.includes('fixtures/exchangeRestoreSessions.json') && files.includes('dist/schemas/index.d.ts'), 'the bundled fixtures and the schemas are packed')
  t.strictSame(files.filter((file) => file.endsWith('.map') || file.startsWith('test/') || file.startsWith('src/') || file.startsWith('dist/test/')), [], 'no maps, tests or sources')
  t.comment(`tarball ${tarball.filename}: ${tarball.size} bytes, ${files.length} files`)

  const consumer = join(work, 'consumer')
  await mkdir(consumer)
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  await ok(t, 'npm install of the tarball', 'npm', ['install', join(work, tarball.filename), '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], consumer)

  await writeFile(join(consumer, 'consumer.mjs'), CONSUMER_JS)
  const output = await ok(t, 'the consumer script runs', process.execPath, ['consumer.mjs'], consumer)
  // Every session of the packed fixtures folder, one page (the consumer asks for up to 999).
  const bundledSessions = (await loadFixtures(join(root, 'fixtures'))).root.collections.get('exchangeRestoreSessions')?.size
  t.strictSame(JSON.parse(output), {
    list: {
      status: 200,
      body: {
        '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions(id,status)',
        value: [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: '5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31', status: 'active' }]
      }
    },
    bundled: bundledSessions,
    injected: '3',
    badOption: "option pageSize must be a whole number from 1 to 100000, got '0'",
    version,
    internals: 'ERR_PACKAGE_PATH_NOT_EXPORTED'
  }, 'imported, started on port 0, served its sessions and the bundled fixtures, closed')

  const bin = join(consumer, 'node_modules', '.bin', 'graph-mock')
  t.equal(await ok(t, 'the bin runs by its shebang', bin, ['--version'], consumer), `${version}\n`, 'graph-mock --version')
  t.match(await ok(t, 'graph-mock --help', bin, ['--help'], consumer), /Usage: graph-mock/, 'graph-mock --help')
  const bad = await run(bin, ['--bogus'], consumer)
  t.strictSame(bad, { code: 2, stdout: '', stderr: "graph-mock: unknown option '--bogus' (see --help)\n" }, 'an unknown flag: exit 2')

  // The published .d.ts files type-check for a strict consumer, and the entity types are real types.
  await writeFile(join(consumer, 'consumer.ts'), CONSUMER_TS)
  await writeFile(join(consumer, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      skipLibCheck: true,
      // Node's types come from this repository; nothing else does.
      typeRoots: [join(root, 'node_modules', '@types')],
      types: ['node']
    },
    files: ['consumer.ts']
  }))
  await ok(t, 'a strict TypeScript consumer type-checks against the installed types', process.execPath, [tsc, '-p', 'tsconfig.json'], consumer)
})
