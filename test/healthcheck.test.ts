import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { checkHealth, healthTarget } from '../src/healthcheck.js'
import { startGraphMock } from '../src/start.js'

t.test('the target follows PORT, HOST and TLS', async (t) => {
  t.strictSame(healthTarget({}), { https: false, host: '127.0.0.1', port: 8080 })
  t.strictSame(healthTarget({ HOST: '0.0.0.0', PORT: '9000', TLS: 'true' }), { https: true, host: '127.0.0.1', port: 9000 })
  t.strictSame(healthTarget({ HOST: '10.0.0.5', TLS_CERT: '/certs/c.pem' }), { https: true, host: '10.0.0.5', port: 8080 })
})

t.test('200 from a running mock, over HTTP and HTTPS; an error when nothing listens', async (t) => {
  const plain = await startGraphMock({ sessions: [] })
  t.teardown(plain.close)
  t.equal(await checkHealth({ https: false, host: '127.0.0.1', port: Number(new URL(plain.url).port) }), 200)
  const secure = await startGraphMock({ sessions: [], tls: true })
  t.teardown(secure.close)
  t.equal(await checkHealth({ https: true, host: '127.0.0.1', port: Number(new URL(secure.url).port) }), 200)
  await t.rejects(checkHealth({ https: false, host: '127.0.0.1', port: 1 }), { code: 'ECONNREFUSED' })
})

t.test('as a process: exit 0 when healthy, 1 with a reason when not', async (t) => {
  const mock = await startGraphMock({ sessions: [] })
  t.teardown(mock.close)
  const script = fileURLToPath(new URL('../src/healthcheck.ts', import.meta.url))
  const run = (port: string): Promise<{ code: number | null, stderr: string }> => new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, PORT: port, HOST: '0.0.0.0' } })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('close', (code) => { resolve({ code, stderr }) })
  })
  t.strictSame(await run(new URL(mock.url).port), { code: 0, stderr: '' })
  const down = await run('1')
  t.equal(down.code, 1)
  t.match(down.stderr, /^healthcheck: connect ECONNREFUSED/)
})
