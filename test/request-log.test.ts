// The request log says why a request failed: the query string as sent and, for an error, Graph's code
// and message, in pino's JSON (the default) or, with LOG_FORMAT=pretty, one readable line per entry.
// Run as users run it: the server process, its stdout read line by line.

import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { graphFailureOf, loggerOptions, prettyLine } from '../src/plugins/request-log.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const LIST = '/beta/solutions/backupRestore/exchangeRestoreSessions'
const TOP_MESSAGE = "Invalid value 'abc' for $top query option found. The $top query option requires a non-negative integer value."

interface Server { url: string, output: () => string, child: ChildProcess }

async function startServer (t: Test, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { child.kill('SIGKILL') })
  let stdout = ''
  child.stdout?.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`not listening within 20 s: ${stdout}`)) }, 20000)
    const poll = setInterval(() => {
      const url = /listening on (http:\/\/[^\s"]+?)(?: |")/.exec(stdout)?.[1]
      if (url === undefined || !stdout.includes('loaded ')) return
      clearInterval(poll)
      clearTimeout(timer)
      resolve({ url, output: () => stdout, child })
    }, 20)
    child.on('exit', (code) => { clearInterval(poll); clearTimeout(timer); reject(new Error(`exited with ${String(code)}: ${stdout}`)) })
  })
}

/** Sends the requests, then waits until the log holds a line for each. */
async function requestAndRead (server: Server, paths: string[]): Promise<string[]> {
  const ids: string[] = []
  for (const path of paths) {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: 'Bearer x' } })
    await response.arrayBuffer()
    ids.push(response.headers.get('request-id') ?? '')
  }
  for (let i = 0; i < 200 && !ids.every((id) => server.output().includes(`request-id=${id}`)); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  return ids
}

t.test('JSON: the query string, the status and, for an error, Graph\'s code and message', async (t) => {
  const server = await startServer(t, {})
  const [okId, badId, deniedId] = await requestAndRead(server, [
    `${LIST}?$select=id&$top=1`,
    `${LIST}?$top=abc&$filter=status%20eq%20%27active%27`,
    '/beta/nope?x=1'
  ])
  const entries = server.output().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  const find = (id: string | undefined): Record<string, unknown> | undefined => entries.find((entry) => typeof entry['msg'] === 'string' && entry['msg'].includes(`request-id=${id ?? ''}`))
  t.match(find(okId), { level: 30, msg: new RegExp(`^GET ${LIST.replaceAll('/', '\\/')}\\?\\$select=id&\\$top=1 200 \\d+\\.\\dms request-id=${okId ?? ''}$`) }, 'a success: method, path and query, status, time')
  t.notOk('graphError' in (find(okId) ?? {}), 'no error fields on a success')
  const bad = find(badId)
  t.match(bad, { level: 30, graphError: { code: 'BadRequest', message: TOP_MESSAGE } }, 'the error as fields')
  t.match(bad?.['msg'], `GET ${LIST}?$top=abc&$filter=status%20eq%20%27active%27 400 `, 'the query string as sent')
  t.match(bad?.['msg'], new RegExp(`request-id=${badId ?? ''} BadRequest: ${TOP_MESSAGE.replaceAll('$', '\\$').replaceAll('.', '\\.')}$`), 'and the code and message at the end of the line')
  t.match(find(deniedId), { graphError: { code: 'BadRequest', message: "Resource not found for the segment 'nope'." } }, 'errors raised outside a route too')
})

t.test('LOG_FORMAT=pretty: one readable line per entry', async (t) => {
  const server = await startServer(t, { LOG_FORMAT: 'pretty' })
  const [badId] = await requestAndRead(server, [`${LIST}?$top=abc`])
  const lines = server.output().trim().split('\n')
  t.match(lines[0], /^\d\d:\d\d:\d\d\.\d\d\d INFO {2}graph-mock listening on http:\/\/127\.0\.0\.1:\d+ \(Graph root http:\/\/127\.0\.0\.1:\d+\/beta\)$/, 'the start-up line')
  const line = lines.find((candidate) => candidate.includes(`request-id=${badId ?? ''}`))
  t.match(line, /^\d\d:\d\d:\d\d\.\d\d\d INFO {2}GET /, 'time, level, then the message')
  t.ok(line?.endsWith(` ${LIST}?$top=abc 400 ${/ 400 (\d+\.\dms) /.exec(line)?.[1] ?? '?'} request-id=${badId ?? ''} BadRequest: ${TOP_MESSAGE}`), `the whole line: ${line ?? ''}`)
  t.notOk(lines.some((candidate) => candidate.startsWith('{')), 'no JSON')
})

t.test('prettyLine and graphFailureOf', async (t) => {
  const time = Date.UTC(2026, 11, 1, 22, 3, 5, 123)
  t.equal(prettyLine(JSON.stringify({ level: 40, time, pid: 1, hostname: 'h', msg: 'careful', extra: { a: 1 }, name: 'x' })), '22:03:05.123 WARN  careful extra={"a":1} name=x\n')
  t.equal(prettyLine(JSON.stringify({ level: 50, time, msg: 'request failed', reqId: 'r', err: { message: 'boom', stack: 'Error: boom\n    at f' } })), '22:03:05.123 ERROR request failed\n    Error: boom\n        at f\n', 'a stack below the line')
  t.equal(prettyLine('not json'), 'not json\n', 'anything else is passed through')
  t.strictSame(graphFailureOf('{"error":{"code":"BadRequest","message":"m","innerError":{}}}'), { code: 'BadRequest', message: 'm' })
  t.strictSame(graphFailureOf(Buffer.from('{"error":{"code":"X","message":"y"}}')), { code: 'X', message: 'y' })
  t.equal(graphFailureOf('{"value":[]}'), undefined)
  t.equal(graphFailureOf('{"error":'), undefined, 'a truncated body')
  t.equal(loggerOptions('silent', 'pretty'), false)
  t.strictSame(loggerOptions('warn', 'json'), { level: 'warn' })
})
