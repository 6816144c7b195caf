// The process entry, run as users run it: a bad configuration or a broken fixture file stops it with
// one clear line and a non-zero exit; a good one listens and closes on SIGTERM.

import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { bundledFixturesDir } from '../src/paths.js'
import { loadFixtures } from '../src/store/index.js'

const root = fileURLToPath(new URL('..', import.meta.url))

interface Run { code: number | null, stdout: string, stderr: string }

function runServer (env: Record<string, string>, args: string[] = [], onOutput?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts', ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    const killer = setTimeout(() => child.kill('SIGKILL'), 20000)
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); onOutput?.(stdout, child) })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('close', (code) => { clearTimeout(killer); resolve({ code, stdout, stderr }) })
  })
}

t.test('a broken fixture file stops the server, naming file, record and property', async (t) => {
  const dir = t.testdir({
    'exchangeRestoreSessions.json': JSON.stringify([{ id: 'a' }, { id: 'b', status: 'sleeping' }])
  })
  const run = await runServer({ FIXTURES_DIR: dir, PORT: '0' })
  t.equal(run.code, 1)
  t.equal(run.stderr.trim().split('\n').length, 1, 'one line')
  t.match(run.stderr, /^graph-mock: .*exchangeRestoreSessions\.json.*record 1.*\bb\b.*\/status/)
  t.notMatch(run.stdout, /listening/)
})

t.test('a bad setting stops it with exit code 2', async (t) => {
  const run = await runServer({ PORT: 'eighty' })
  t.equal(run.code, 2)
  t.equal(run.stderr, "graph-mock: PORT must be a whole number from 0 to 65535, got 'eighty'\n")
})

t.test('it listens, logs the URL and the fixture count, and closes on SIGTERM', async (t) => {
  const run = await runServer({ PORT: '0' }, [], (text, child) => {
    if (text.includes('listening on')) child.kill('SIGTERM')
  })
  t.equal(run.code, 0)
  // The bundled tenant: its sessions, then every record of every set (contained ones included).
  const sessions = (await loadFixtures(bundledFixturesDir)).root.collections.get('exchangeRestoreSessions')?.size
  t.match(run.stdout, new RegExp(`"loaded ${String(sessions)} exchangeRestoreSessions \\(\\d+ records in all\\) from ${bundledFixturesDir}"`))
  t.match(run.stdout, /graph-mock listening on http:\/\/127\.0\.0\.1:\d+ \(Graph root http:\/\/127\.0\.0\.1:\d+\/beta\)/)
})

t.test('--help prints the settings', async (t) => {
  const run = await runServer({}, ['--help'])
  t.equal(run.code, 0)
  t.match(run.stdout, /Usage: graph-mock/)
  t.match(run.stdout, /FIXTURES_DIR/)
})
