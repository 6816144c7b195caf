// SIGTERM while requests are in flight: they complete (200, whole bodies), new connections are
// refused, and the process exits 0 within a few seconds.
//
// "In flight" is made certain, not left to timing: each request asks for a page of about 5 MB, more
// than the loopback socket buffers hold, and the client does not read. So when SIGTERM arrives, the
// server is still writing every answer; the log proves it (the request lines come after the
// "SIGTERM received" line).

import { spawn } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { LIST, session } from '../helper.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const SESSIONS = 8000
const CONNECTIONS = 10

interface Pending {
  socket: Socket
  received: Buffer[]
  closed: Promise<string | undefined>
}

function openRequest (port: number, query: string): Pending {
  const socket = connect(port, '127.0.0.1')
  const received: Buffer[] = []
  const closed = new Promise<string | undefined>((resolve) => {
    let error: string | undefined
    socket.on('data', (chunk: Buffer) => { received.push(chunk) })
    socket.on('error', (e: NodeJS.ErrnoException) => { error = e.code ?? e.message })
    socket.on('close', () => { resolve(error) })
  })
  socket.write(`GET ${LIST}?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer load\r\nConnection: close\r\n\r\n`)
  // Nothing is read until the test says so: the server's writes back up.
  socket.pause()
  return { socket, received, closed }
}

function connectionRefused (port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.on('connect', () => { socket.destroy(); resolve('connected') })
    socket.on('error', (e: NodeJS.ErrnoException) => { resolve(e.code ?? e.message) })
  })
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

t.test('SIGTERM during load: in-flight requests complete, new connections are refused, exit 0', async (t) => {
  // Sessions of every property, about 630 bytes each: a whole page is about 5 MB.
  const sessions = Array.from({ length: SESSIONS }, (_, i) => session(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`))
  const dir = t.testdir({ 'exchangeRestoreSessions.json': JSON.stringify(sessions) })
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', FIXTURES_DIR: dir, PAGE_SIZE: '100', MAX_PAGE_SIZE: String(SESSIONS) },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const exited = new Promise<{ code: number | null, at: number }>((resolve) => {
    child.on('exit', (code) => { resolve({ code, at: performance.now() }) })
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout)
      if (match !== null) resolve(Number(match[1]))
    })
    child.on('exit', () => { reject(new Error(`the server exited before listening: ${stderr}`)) })
  })

  // Distinct queries (the $skip differs), so that no answer comes from the page cache.
  const requests = Array.from({ length: CONNECTIONS }, (_, i) => openRequest(port, `$top=${SESSIONS}&$count=true&$skip=${i}`))
  // Every request reaches the server and its answer fills the socket buffers.
  await delay(1500)
  const sentAt = performance.now()
  child.kill('SIGTERM')
  while (!stdout.includes('SIGTERM received')) await delay(20)
  t.equal(await connectionRefused(port), 'ECONNREFUSED', 'a new connection after SIGTERM is refused')
  t.equal(child.exitCode, null, 'the process waits for the answers still being written')

  for (const request of requests) request.socket.resume()
  const errors = await Promise.all(requests.map(async (request) => await request.closed))
  requests.forEach((request, i) => {
    const text = Buffer.concat(request.received).toString()
    const bodyStart = text.indexOf('\r\n\r\n') + 4
    t.equal(errors[i], undefined, `request ${i}: no socket error`)
    t.match(text, /^HTTP\/1\.1 200 OK\r\n/, `request ${i}: 200`)
    const body = JSON.parse(text.slice(bodyStart)) as { '@odata.count': number, value: unknown[] }
    t.equal(body['@odata.count'], SESSIONS, `request ${i}: a whole body`)
    t.equal(body.value.length, SESSIONS - i, `request ${i}: every item`)
  })

  const { code, at } = await exited
  t.equal(code, 0, 'exit code 0')
  t.ok(at - sentAt < 5000, `exited ${((at - sentAt) / 1000).toFixed(2)} s after SIGTERM (under 5 s)`)
  const afterSignal = stdout.slice(stdout.indexOf('SIGTERM received'))
  const completedAfter = afterSignal.split('\n').filter((line) => / 200 \d+\.\dms request-id=/.test(line)).length
  t.equal(completedAfter, CONNECTIONS, `all ${CONNECTIONS} requests were still in flight at SIGTERM and completed after it`)
  t.equal(stderr, '', 'nothing on stderr')
})
