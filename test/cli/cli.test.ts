// The `graph-mock` bin, run as a user runs it (through tsx here; test/package runs the built one):
// --help, --version, the server's flags, the fixtures subcommand, exit codes and one-line errors.

import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

// A dozen child processes, each compiling through tsx: more than tap's default 30 s on a busy machine.
t.setTimeout(120_000)

const root = fileURLToPath(new URL('../..', import.meta.url))
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version

interface Run { code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }

/** Runs `graph-mock ...args`; `onStdout` sees the output so far and may signal the child. */
async function graphMock (args: string[], onStdout?: (text: string, stop: () => void) => void, env: Record<string, string> = {}): Promise<Run> {
  return await new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: root,
      // The server reads the environment too: keep the test's own out of it.
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    const killer = setTimeout(() => child.kill('SIGKILL'), 20000)
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      onStdout?.(stdout, () => child.kill('SIGTERM'))
    })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('close', (code, signal) => { clearTimeout(killer); resolve({ code, signal, stdout, stderr }) })
  })
}

t.test('--help lists every flag and the fixtures command, exit 0', async (t) => {
  const run = await graphMock(['--help'])
  t.equal(run.code, 0, 'exit code')
  t.equal(run.stderr, '', 'nothing on stderr')
  t.match(run.stdout, /^Usage: graph-mock \[options\]/, 'usage first')
  for (const flag of ['--port', '--host', '--fixtures-dir', '--log-level', '--page-size', '--max-page-size', '--top-above-max', '--unknown-query-options', '--tls', '--tls-cert', '--tls-key', '--tls-cert-out']) {
    t.match(run.stdout, `  ${flag} `, `lists ${flag}`)
  }
  t.match(run.stdout, /graph-mock fixtures --out DIR/, 'lists the fixtures command')
  t.match(run.stdout, /--version/, 'lists --version')
  t.equal((await graphMock(['-h'])).stdout, run.stdout, '-h is --help')
})

t.test('--version prints the package version, exit 0', async (t) => {
  const run = await graphMock(['--version'])
  t.strictSame(run, { code: 0, signal: null, stdout: `${version}\n`, stderr: '' })
})

t.test('bad usage stops it with exit code 2 and one line on stderr', async (t) => {
  const cases: Array<[string[], string]> = [
    [['--bogus'], "graph-mock: unknown option '--bogus' (see --help)\n"],
    [['serve'], "graph-mock: unknown option 'serve' (see --help)\n"],
    [['--page-size', '0'], "graph-mock: --page-size must be a whole number from 1 to 100000, got '0'\n"],
    [['--port=eighty'], "graph-mock: --port must be a whole number from 0 to 65535, got 'eighty'\n"],
    [['--top-above-max', 'maybe'], "graph-mock: --top-above-max must be one of clamp, error, got 'maybe'\n"],
    [['--port'], 'graph-mock: option --port needs a value\n'],
    [['--tls-cert', 'cert.pem'], 'graph-mock: --tls-cert and --tls-key go together: set both, or neither\n']
  ]
  const runs = await Promise.all(cases.map(async ([args]) => await graphMock(args)))
  cases.forEach(([args, message], index) => {
    t.strictSame(runs[index], { code: 2, signal: null, stdout: '', stderr: message }, args.join(' '))
  })
})

t.test('it serves with the flags given and exits 0 on SIGTERM', async (t) => {
  const dir = t.testdir({
    'exchangeRestoreSessions.json': JSON.stringify([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
  })
  let listening: string | undefined
  const run = await graphMock(['--port', '0', '--fixtures-dir', dir, '--page-size=2'], (text, stop) => {
    const match = /listening on (http:\/\/\S+)/.exec(text)
    if (match === null || listening !== undefined) return
    listening = match[1]
    fetch(`${listening}/beta/solutions/backupRestore/exchangeRestoreSessions?$select=id`, { headers: { authorization: 'Bearer x' } })
      .then(async (response) => await response.json())
      .then((body) => { t.match(body, { value: [{ id: 'a' }, { id: 'b' }], '@odata.nextLink': /skiptoken/ }, 'serves the folder, two a page') })
      .catch((error: unknown) => { t.fail(String(error)) })
      .finally(stop)
  })
  t.equal(run.code, 0, 'exit code 0 after SIGTERM')
  t.match(run.stdout, `loaded 3 exchangeRestoreSessions from ${dir}`, 'logs the fixture count')
  t.ok(listening, 'logged its url')
})

t.test('PORT=abc graph-mock --port 0: the flag wins, so the bad variable is never read', async (t) => {
  let listening: string | undefined
  const run = await graphMock(['--port', '0'], (text, stop) => {
    const match = /listening on (http:\/\/\S+)/.exec(text)
    if (match === null || listening !== undefined) return
    listening = match[1]
    fetch(`${listening}/healthz`)
      .then(async (response) => { t.strictSame({ status: response.status, body: await response.json() }, { status: 200, body: { status: 'ok' } }) })
      .catch((error: unknown) => { t.fail(String(error)) })
      .finally(stop)
  }, { PORT: 'abc' })
  t.strictSame({ code: run.code, stderr: run.stderr }, { code: 0, stderr: '' }, 'served, then exit 0 on SIGTERM')
  t.match(listening, /^http:\/\/127\.0\.0\.1:\d+$/, 'on a free port')
})

t.test('graph-mock fixtures writes the generated file', async (t) => {
  const dir = t.testdir()
  const out = join(dir, 'generated')
  const run = await graphMock(['fixtures', '--count', '5', '--seed', '3', '--out', out])
  t.equal(run.code, 0, 'exit code')
  t.equal(run.stderr, '', 'nothing on stderr')
  const file = join(out, 'exchangeRestoreSessions.json')
  t.match(run.stdout, `fixtures: wrote 24 files to ${out} (seed 3: 90 restore points, 15 restore sessions)`, 'says what it wrote')
  const rows = JSON.parse(readFileSync(file, 'utf8')) as unknown[]
  t.equal(rows.length, 5, 'five sessions')
  const again = join(dir, 'again')
  await graphMock(['fixtures', '--count=5', '--seed=3', `--out=${again}`])
  t.equal(readFileSync(join(again, 'exchangeRestoreSessions.json'), 'utf8'), readFileSync(file, 'utf8'), 'same options, same bytes')
})

t.test('graph-mock fixtures: bad usage is exit code 2, --help is 0', async (t) => {
  t.strictSame(await graphMock(['fixtures', '--bogus']), { code: 2, signal: null, stdout: '', stderr: 'fixtures: unknown option --bogus (see --help)\n' }, 'an unknown flag')
  const count = await graphMock(['fixtures', '--count', 'many', '--out', 'x'])
  t.strictSame({ code: count.code, lines: count.stderr.split('\n').length }, { code: 2, lines: 2 }, 'a bad count: one line')
  const help = await graphMock(['fixtures', '--help'])
  t.equal(help.code, 0, 'fixtures --help exits 0')
  t.match(help.stdout, /--count N/, 'and lists its flags')
})
