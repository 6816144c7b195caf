// The README's "from a path" install, as a consumer runs it: a built checkout (`npm ci && npm run
// build`), then `npm install --save-dev <path>` in another project, which links the checkout. The
// package is then importable, its bin runs, and in-process HTTPS works through mock.dispatcher.
// (The packed tarball is test/package/pack-install.test.ts.)

import { execFile } from 'node:child_process'
import { cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'

t.setTimeout(240_000)

const root = fileURLToPath(new URL('../..', import.meta.url))
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')

interface Run { code: number, stdout: string, stderr: string }

function cleanEnv (): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_package_|npm_lifecycle_|npm_config_(local_|global_)?prefix$|INIT_CWD$|NODE_EXTRA_CA_CERTS$)/.test(name)) continue
    env[name] = value
  }
  return env
}

async function ok (t: Test, what: string, file: string, args: string[], cwd: string): Promise<string> {
  const result = await new Promise<Run>((resolve) => {
    execFile(file, args, { cwd, env: cleanEnv(), timeout: 200_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr })
    })
  })
  t.equal(result.code, 0, what, { stderr: result.stderr.slice(-4000), stdout: result.stdout.slice(-4000) })
  return result.stdout
}

const CONSUMER = `
import { startGraphMock } from 'graph-mock'
const mock = await startGraphMock({ tls: true, sessions: [{ id: '5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31', status: 'active' }] })
const response = await fetch(mock.url + '/beta/solutions/backupRestore/exchangeRestoreSessions/$count', { headers: { authorization: 'Bearer x' }, dispatcher: mock.dispatcher })
console.log(JSON.stringify({ https: mock.url.startsWith('https://'), status: response.status, count: await response.text() }))
await mock.close()
`

t.test('npm install --save-dev <path to a built checkout>', async (t) => {
  const work = t.testdir()
  // A built checkout: the package's files, its compiled code, and its installed dependencies.
  const checkout = join(work, 'graph-mock')
  await mkdir(checkout)
  for (const entry of ['package.json', 'README.md', 'fixtures']) await cp(join(root, entry), join(checkout, entry), { recursive: true })
  await symlink(join(root, 'node_modules'), join(checkout, 'node_modules'), 'dir')
  await ok(t, 'npm run build (tsc)', process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(checkout, 'dist')], root)

  const consumer = join(work, 'consumer')
  await mkdir(consumer)
  await writeFile(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  await ok(t, 'npm install --save-dev <path>', 'npm', ['install', '--save-dev', checkout, '--no-audit', '--no-fund', '--loglevel=error'], consumer)
  const manifest = JSON.parse(await readFile(join(consumer, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> }
  t.strictSame(manifest.devDependencies, { 'graph-mock': 'file:../graph-mock' }, 'recorded as a file: dependency')

  await writeFile(join(consumer, 'consumer.mjs'), CONSUMER)
  t.strictSame(JSON.parse(await ok(t, 'the consumer runs', process.execPath, ['consumer.mjs'], consumer)), { https: true, status: 200, count: '1' }, 'imported, served over HTTPS in-process')
  const version = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string }).version
  t.equal(await ok(t, 'npx graph-mock --version', 'npx', ['--no-install', 'graph-mock', '--version'], consumer), `${version}\n`, 'the bin, through npx')
})
