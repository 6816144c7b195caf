// HTTPS end to end, as users run it: the server process with `--tls` generates a certificate for
// localhost and 127.0.0.1, writes it where TLS_CERT_OUT says and prints the path; a client process
// with NODE_EXTRA_CA_CERTS set to it trusts the mock, and the nextLinks it gets keep the scheme and
// host it called. With TLS_CERT/TLS_KEY the server serves the team's own certificate on PORT.

import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { fileURLToPath } from 'node:url'
import type { Test } from 'tap'
import t from 'tap'
import { generateSelfSigned } from '../../src/tls.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const LIST = '/beta/solutions/backupRestore/exchangeRestoreSessions'

interface Started { url: string, stdout: string, child: ChildProcess }

/** Starts `src/server.ts` and resolves once it has logged its start-up lines; it is stopped when the test ends. */
async function startServer (t: Test, env: Record<string, string>, args: string[] = []): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts', ...args], {
    cwd: root,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { child.kill('SIGTERM') })
  return await new Promise((resolve, reject) => {
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => { reject(new Error(`no "listening on" within 20 s: ${stdout} ${stderr}`)) }, 20000)
    child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const url = /graph-mock listening on (\S+)/.exec(stdout)?.[1]
      if (url !== undefined && stdout.includes('loaded ')) {
        clearTimeout(timer)
        resolve({ url, stdout, child })
      }
    })
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited with ${String(code)}: ${stderr}`)) })
  })
}

/** A client process: fetches `urls` (with a bearer token) and prints status and nextLink of each. */
const CLIENT = `
const results = []
for (const url of JSON.parse(process.argv[1])) {
  try {
    const response = await fetch(url, { headers: { authorization: 'Bearer anything' } })
    const body = await response.json()
    results.push({ status: response.status, nextLink: body['@odata.nextLink'] ?? null })
  } catch (error) {
    results.push({ error: error.cause?.code ?? String(error) })
  }
}
process.stdout.write(JSON.stringify(results))
`

async function fetchInChild (urls: string[], env: Record<string, string>): Promise<unknown> {
  const base = { ...process.env }
  delete base['NODE_OPTIONS']
  delete base['NODE_EXTRA_CA_CERTS']
  const child = spawn(process.execPath, ['--input-type=module', '-e', CLIENT, JSON.stringify(urls)], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  await new Promise((resolve) => child.on('close', resolve))
  return JSON.parse(stdout)
}

t.test('--tls: a generated certificate, written to TLS_CERT_OUT and printed, trusted with NODE_EXTRA_CA_CERTS', async (t) => {
  const certOut = join(t.testdir(), 'graph-mock.pem')
  const server = await startServer(t, { TLS_CERT_OUT: certOut }, ['--tls'])
  const port = /^https:\/\/127\.0\.0\.1:(\d+)$/.exec(server.url)?.[1]
  t.ok(port !== undefined, `serves HTTPS on the port it was given: ${server.url}`)
  t.match(server.stdout, `written to ${certOut} (trust it with NODE_EXTRA_CA_CERTS=${certOut})`, 'prints where the certificate is')
  t.match(readFileSync(certOut, 'utf8'), /^-----BEGIN CERTIFICATE-----/, 'the certificate, not the key')
  t.notMatch(readFileSync(certOut, 'utf8'), /PRIVATE KEY/)

  const urls = [`https://127.0.0.1:${String(port)}${LIST}?$top=2`, `https://localhost:${String(port)}${LIST}?$top=2`]
  const results = await fetchInChild(urls, { NODE_EXTRA_CA_CERTS: certOut }) as Array<{ status?: number, nextLink?: string }>
  t.equal(results[0]?.status, 200, 'trusted for 127.0.0.1')
  t.match(results[0]?.nextLink, new RegExp(`^https://127\\.0\\.0\\.1:${String(port)}/beta/solutions/backupRestore/exchangeRestoreSessions\\?\\$top=2&\\$skiptoken=`), 'the nextLink keeps https and 127.0.0.1')
  t.equal(results[1]?.status, 200, 'trusted for localhost')
  t.match(results[1]?.nextLink, new RegExp(`^https://localhost:${String(port)}/beta/`), 'the nextLink keeps the host the request came in on')

  t.strictSame(await fetchInChild(urls.slice(0, 1), {}), [{ error: 'DEPTH_ZERO_SELF_SIGNED_CERT' }], 'without NODE_EXTRA_CA_CERTS the client refuses it')
})

t.test('TLS_CERT and TLS_KEY: the team\'s own certificate on the same PORT', async (t) => {
  const material = await generateSelfSigned()
  const dir = t.testdir({ 'cert.pem': material.cert, 'key.pem': material.key })
  const server = await startServer(t, { TLS_CERT: join(dir, 'cert.pem'), TLS_KEY: join(dir, 'key.pem') })
  t.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/)
  t.notMatch(server.stdout, /self-signed certificate/, 'nothing generated')
  const served = await new Promise<{ status: number | undefined, cert: string }>((resolve, reject) => {
    const req = request(`${server.url}/healthz`, { ca: material.cert }, (response) => {
      const socket = response.socket as TLSSocket
      resolve({ status: response.statusCode, cert: socket.getPeerX509Certificate()?.toString() ?? '' })
      response.resume()
    })
    req.on('error', reject)
    req.end()
  })
  t.equal(served.status, 200)
  t.equal(served.cert.trim(), material.cert.trim(), 'the certificate from TLS_CERT')
})
