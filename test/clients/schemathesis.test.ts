// schemathesis (pinned with hashes in test/clients/schemathesis/requirements.txt) against the mock's
// own description: it reads /openapi.json from a mock this test starts, generates requests for every
// Graph operation (coverage, fuzzing, and stateful runs over the description's OpenAPI links) and
// holds every answer to that description: no 5xx, documented statuses, content types, bodies and
// headers, 405 with Allow for undocumented methods, 404 after a DELETE. The run's settings, and each
// check or operation left out with its reason, are in test/clients/schemathesis/schemathesis.toml.
// The venv comes from `npm run clients:schemathesis`; without it this test fails.

import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startGraphMock } from '../../src/index.js'

// The runs are bounded by their budgets (RUNS: 150 s in all); starting the mock, loading the
// description and a loaded machine add to them.
t.setTimeout(600000)

const here = fileURLToPath(new URL('./schemathesis/', import.meta.url))
const st = `${here}.venv/bin/st`
const config = `${here}schemathesis.toml`
const KILL_AFTER_MS = 300000
/** The cursor moves of its progress display, which it writes even to a pipe. */
const ANSI_ESCAPE = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g')

interface Run { code: number | null, signal: NodeJS.Signals | null, output: string, seconds: number }

async function runSchemathesis (args: string[], cwd: string): Promise<Run> {
  const started = Date.now()
  return await new Promise((resolve, reject) => {
    // The mock is on loopback: no proxy from the environment may stand between.
    const env = { ...process.env, NO_PROXY: '127.0.0.1,localhost', no_proxy: '127.0.0.1,localhost', NO_COLOR: '1' }
    const child = spawn(st, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    const killer = setTimeout(() => { child.kill('SIGKILL') }, KILL_AFTER_MS)
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(killer)
      resolve({ code, signal, output, seconds: (Date.now() - started) / 1000 })
    })
  })
}

/** What to show of a failed run: its failures and summary (the whole output can be megabytes). */
function failuresOf (output: string): string {
  const start = output.search(/^=+ (FAILURES|ERRORS) =+$/m)
  const shown = start === -1 ? output : output.slice(start)
  return shown.length > 60000 ? `${shown.slice(0, 30000)}\n[…]\n${shown.slice(-30000)}` : shown
}

/**
 * The two runs and their budgets (seconds). Apart, because in one run fuzzing spends what the
 * stateful phase would get: the share schemathesis holds back for it goes unused after its first
 * pass, and the next cycle is fuzzing again.
 */
const RUNS = [
  { name: 'coverage and fuzzing of every operation', phases: 'examples,coverage,fuzzing', seconds: 100, everyOperation: true, passed: ['Coverage', 'Fuzzing'] },
  { name: 'stateful, over the links', phases: 'stateful', seconds: 50, everyOperation: false, passed: ['Stateful'] }
] as const

t.test('schemathesis finds nothing wrong with any Graph operation of /openapi.json', async (t) => {
  if (!existsSync(st)) {
    t.fail(`no schemathesis at ${st}: run \`npm run clients:schemathesis\` first (it needs python3 3.11 or later with venv)`)
    return
  }
  for (const { name, phases, seconds, everyOperation, passed } of RUNS) {
    await t.test(name, async (t) => {
      // Each run starts from the bundled tenant.
      const mock = await startGraphMock({ port: 0 })
      t.teardown(mock.close)
      const description = await (await fetch(`${mock.url}/openapi.json`)).json() as { paths: Record<string, Record<string, unknown>> }
      const graphOperations = Object.entries(description.paths)
        .filter(([path]) => /^\/(beta|v1\.0)\//.test(path))
        .reduce((count, [, item]) => count + Object.keys(item).length, 0)
      const run = await runSchemathesis([
        '--config-file', config,
        'run', `${mock.url}/openapi.json`,
        '--header', 'Authorization: Bearer schemathesis',
        '--phases', phases,
        '--max-time', String(seconds),
        '--no-color'
      ], t.testdir())
      // What the run did, for the log: cases, and how far the stateful phase got over the links.
      const plain = run.output.replaceAll(ANSI_ESCAPE, '')
      const cases = /^\s*(\d+) generated\b.*$/m.exec(plain)?.[0].trim() ?? 'no case count'
      const links = /^\s*API Links:\s*(.*)$/m.exec(plain)?.[1]?.trim()
      const took = [...plain.matchAll(/^\s*\S+\s+(Coverage|Fuzzing|Stateful) \(in ([\d.]+)s\)$/gm)].map((match) => `${match[1] ?? ''} ${match[2] ?? ''} s`).join(', ')
      t.comment(`schemathesis ran in ${run.seconds} s (${took}): ${cases}${links === undefined ? '' : `; links ${links}`}`)
      t.equal(run.signal, null, `schemathesis ended by itself (not killed after ${KILL_AFTER_MS / 1000} s)`)
      t.equal(run.code, 0, 'schemathesis exits 0', { failures: failuresOf(plain) })
      const selected = /^\s*Selected: (\d+)\/(\d+)$/m.exec(plain)
      t.equal(Number(selected?.[1]), graphOperations, 'every Graph operation of the description is selected (/__admin is not)', { summary: plain.slice(-3000) })
      if (everyOperation) t.equal(Number(/^\s*Tested: (\d+)$/m.exec(plain)?.[1]), graphOperations, 'and tested')
      for (const phase of passed) {
        t.match(plain, new RegExp(`^\\s*✅ ${phase}$`, 'm'), `the ${phase.toLowerCase()} phase ran and passed`)
      }
    })
  }
})
