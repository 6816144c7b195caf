// Start-up under a bad configuration: one line on stderr naming the problem, a non-zero exit, and
// nothing listening. (test/server.test.ts covers a record that breaks the schema and PORT=eighty.)
// Each case is a real process: `node --import tsx src/server.ts` with the environment given.

import { spawn } from 'node:child_process'
import { chmod } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { session } from '../helper.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const FILE = 'exchangeRestoreSessions.json'
const ID = '5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31'

interface Run { code: number | null, stdout: string, stderr: string }

function start (env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    const killer = setTimeout(() => { child.kill('SIGKILL') }, 20000)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      // A case that wrongly starts must not hang the test.
      if (stdout.includes('listening on')) child.kill('SIGTERM')
    })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('close', (code) => { clearTimeout(killer); resolve({ code, stdout, stderr }) })
  })
}

async function occupiedPort (t: Test): Promise<number> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
  t.teardown(() => { server.close() })
  const address = server.address()
  return typeof address === 'object' && address !== null ? address.port : 0
}

t.test('every bad configuration stops the process with one line and a non-zero exit', async (t) => {
  const invalidJson = `[${JSON.stringify(session(ID))},\n  {"id": }\n]`
  const dir = t.testdir({
    duplicates: { [FILE]: JSON.stringify([session(ID), session(ID)]) },
    'invalid-json': { [FILE]: invalidJson },
    'not-a-folder': 'just a file',
    locked: { [FILE]: JSON.stringify([session(ID)]) }
  })
  const port = await occupiedPort(t)
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ['a value that is not a number', { PAGE_SIZE: 'lots' }, 2, "graph-mock: PAGE_SIZE must be a whole number from 1 to 100000, got 'lots'"],
    ['a value outside its list', { LOG_LEVEL: 'loud' }, 2, "graph-mock: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'"],
    ['another value outside its list', { TOP_ABOVE_MAX: 'sometimes' }, 2, "graph-mock: TOP_ABOVE_MAX must be one of clamp, error, got 'sometimes'"],
    ['a limit below its minimum', { MAX_URL_LENGTH: '10' }, 2, "graph-mock: MAX_URL_LENGTH must be a whole number from 256 to 1000000, got '10'"],
    ['settings that contradict each other', { PAGE_SIZE: '500', MAX_PAGE_SIZE: '100' }, 2, 'graph-mock: PAGE_SIZE (500) must not exceed MAX_PAGE_SIZE (100)'],
    ['a port in use', { PORT: String(port) }, 2, `graph-mock: port ${port} on 127.0.0.1 is already in use (set PORT or --port to another)`],
    ['a missing fixtures folder', { FIXTURES_DIR: join(dir, 'missing') }, 1, `graph-mock: ${join(dir, 'missing')}: cannot read the fixtures folder (ENOENT: no such file or directory, scandir '${join(dir, 'missing')}')`],
    ['a fixtures "folder" that is a file', { FIXTURES_DIR: join(dir, 'not-a-folder') }, 1, `graph-mock: ${join(dir, 'not-a-folder')}: cannot read the fixtures folder (ENOTDIR: not a directory, scandir '${join(dir, 'not-a-folder')}')`],
    ['duplicate ids', { FIXTURES_DIR: join(dir, 'duplicates') }, 1, `graph-mock: ${join(dir, 'duplicates', FILE)}: record 1 (id ${ID}): property /id must be unique, but the same id was already loaded as record 0 of ${join(dir, 'duplicates', FILE)}`],
    ['invalid JSON', { FIXTURES_DIR: join(dir, 'invalid-json') }, 1, `graph-mock: ${join(dir, 'invalid-json', FILE)}: not valid JSON: unexpected "}", expected a value at line 2, column 10 (offset ${invalidJson.indexOf('}', invalidJson.indexOf('{"id": '))})`]
  ]
  // Root reads any folder whatever its mode, so the unreadable-folder case only means something as
  // another user.
  const root = process.getuid?.() === 0
  if (!root) {
    await chmod(join(dir, 'locked'), 0o000)
    t.teardown(async () => { await chmod(join(dir, 'locked'), 0o755) })
    cases.push(['an unreadable fixtures folder', { FIXTURES_DIR: join(dir, 'locked') }, 1, `graph-mock: ${join(dir, 'locked')}: cannot read the fixtures folder (EACCES: permission denied, scandir '${join(dir, 'locked')}')`])
  }
  const runs = await Promise.all(cases.map(async ([, env]) => await start(env)))
  cases.forEach(([label, , code, line], i) => {
    const run = runs[i]
    if (run === undefined) return
    t.equal(run.code, code, `${label}: exit code ${code}`)
    t.equal(run.stderr.split('\n').length, 2, `${label}: exactly one line on stderr`)
    t.equal(run.stderr, `${line}\n`, `${label}: names the problem`)
    t.notMatch(run.stdout, /listening on/, `${label}: never listened`)
  })
  if (root) t.comment('running as root: the unreadable-folder case (chmod 000) is left out, root reads it anyway')
})
