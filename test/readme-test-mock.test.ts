// The README's `test:mock` script, run as npm runs it (sh -c), with `graph-mock` on PATH: it runs the
// tests only against the mock it started. When the port is taken by another server, the mock cannot
// listen, so the script must fail with the mock's message instead of testing the other server.

import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'

t.setTimeout(90_000)

const root = fileURLToPath(new URL('..', import.meta.url))

/** The `test:mock` script of the README's package.json example. */
async function readmeScript (): Promise<string> {
  const readme = await readFile(join(root, 'README.md'), 'utf8')
  const block = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1] ?? '').find((text) => text.includes('"test:mock"'))
  if (block === undefined) throw new Error('no package.json example with a test:mock script in README.md')
  const script = (JSON.parse(block) as { scripts?: Record<string, string> }).scripts?.['test:mock']
  if (script === undefined) throw new Error('the example has no test:mock script')
  return script
}

/** A folder with a `graph-mock` command (this repository's bin, through tsx) and a stand-in test run. */
async function workspace (dir: string): Promise<void> {
  const tsx = import.meta.resolve('tsx')
  await writeFile(join(dir, 'graph-mock'), `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(root, 'src', 'cli.ts')}" "$@"\n`)
  await chmod(join(dir, 'graph-mock'), 0o755)
  // Stands in for `node --test`: asks the server on the port what it is, and writes the answer down.
  await writeFile(join(dir, 'probe.mjs'), `
const port = process.argv[2]
const response = await fetch('http://127.0.0.1:' + port + '/beta/solutions/backupRestore/exchangeRestoreSessions/$count', { headers: { authorization: 'Bearer x' } })
const { writeFileSync } = await import('node:fs')
writeFileSync('probed.json', JSON.stringify({ status: response.status, odataVersion: response.headers.get('odata-version'), body: await response.text() }))
`)
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function runScript (script: string, cwd: string): Promise<{ code: number | null, stdout: string, stderr: string }> {
  const child = spawn('sh', ['-c', script], { cwd, env: { PATH: `${cwd}:${process.env.PATH ?? ''}`, HOME: cwd }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stdout, stderr }
}

/** The README's script on `port`, with the stand-in test run in place of `node --test`. */
async function scriptOn (t: Test, port: number): Promise<string> {
  const script = await readmeScript()
  t.ok(script.includes('node --test') && script.includes('8080'), 'the script runs node --test against port 8080')
  return script.replaceAll('8080', String(port)).replace('node --test', `node probe.mjs ${port}`)
}

t.test('the port free: the tests run against the mock, and the script passes their exit code on', async (t) => {
  const dir = t.testdir()
  await workspace(dir)
  const port = await freePort()
  const run = await runScript(await scriptOn(t, port), dir)
  t.equal(run.code, 0, `exit 0 (stderr: ${run.stderr})`)
  const probed = JSON.parse(await readFile(join(dir, 'probed.json'), 'utf8')) as { status: number, odataVersion: string | null, body: string }
  t.match(probed, { status: 200, odataVersion: '4.0', body: /^\d+$/ }, 'the tests reached the mock')
})

t.test('the port taken by another server: the script fails with the mock\'s message and runs no test', async (t) => {
  const dir = t.testdir()
  await workspace(dir)
  const other: Server = createServer((request, response) => { response.end('{"status":"ok"}') })
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { other.close() })
  const { port } = other.address() as AddressInfo
  const run = await runScript(await scriptOn(t, port), dir)
  t.not(run.code, 0, 'a failing exit code')
  t.match(run.stderr, `graph-mock: port ${port} on 127.0.0.1 is already in use (set PORT or --port to another)`, 'the mock\'s own message')
  t.notOk(existsSync(join(dir, 'probed.json')), 'no test ran against the other server')
})
