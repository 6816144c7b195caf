// The generated certificate across restarts and beside other instances: TLS_DIR keeps the certificate
// and its key and reuses them while they are valid (so a trust store is set up once); without it every
// instance writes its own certificate to a temporary folder of its own, removed when it stops.

import { spawn, type ChildProcess } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { connect } from 'node:tls'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { ConfigError } from '../src/config.js'
import { certificateIn, generateSelfSigned, stillValid } from '../src/tls.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const DAY = 24 * 3600 * 1000

t.test('certificateIn writes a certificate and key once, then reuses them while they are valid', async (t) => {
  const dir = join(t.testdir(), 'certs')
  const now = new Date('2026-06-01T00:00:00Z')
  const first = await certificateIn(dir, now)
  t.strictSame({ reused: first.reused, certPath: first.certPath }, { reused: false, certPath: join(dir, 'graph-mock.pem') }, 'generated into a new folder')
  t.equal(await readFile(join(dir, 'graph-mock.pem'), 'utf8'), first.material.cert, 'the certificate file')
  t.equal(await readFile(join(dir, 'graph-mock.key'), 'utf8'), first.material.key, 'the key file')
  t.equal((await stat(join(dir, 'graph-mock.key'))).mode & 0o777, 0o600, 'the key is readable by its owner only')

  const later = await certificateIn(dir, new Date(now.getTime() + 300 * DAY))
  t.strictSame(later, { material: first.material, certPath: first.certPath, reused: true }, 'reused 300 days later')

  const nearEnd = await certificateIn(dir, new Date(now.getTime() + 360 * DAY))
  t.equal(nearEnd.reused, false, 'replaced within a week of its end')
  t.not(nearEnd.material.cert, first.material.cert)
  t.equal(await readFile(join(dir, 'graph-mock.pem'), 'utf8'), nearEnd.material.cert, 'and the folder holds the new one')
})

t.test('a certificate that does not fit is replaced, never served', async (t) => {
  const now = new Date()
  const one = await generateSelfSigned(now)
  const other = await generateSelfSigned(now)
  t.ok(stillValid(one, now), 'a fresh one is valid')
  t.notOk(stillValid({ cert: one.cert, key: other.key }, now), 'a key of another certificate')
  t.notOk(stillValid({ cert: 'junk', key: one.key }, now), 'not a certificate')
  t.notOk(stillValid(one, new Date(now.getTime() - 2 * DAY)), 'not valid yet')
  const dir = t.testdir({ 'graph-mock.pem': one.cert, 'graph-mock.key': other.key })
  const kept = await certificateIn(dir, now)
  t.equal(kept.reused, false, 'the mismatched pair is replaced')
  t.ok(stillValid(kept.material, now))
  const file = join(t.testdir({ 'a-file': 'x' }), 'a-file')
  await t.rejects(certificateIn(join(file, 'certs'), now), new ConfigError(`TLS_DIR: cannot write the certificate to '${join(file, 'certs')}' (ENOTDIR)`))
})

interface Server { url: string, stdout: string, child: ChildProcess }

/** Starts the server process; resolves once it has logged that it listens. */
async function startServer (t: Test, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', TLS: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { child.kill('SIGKILL') })
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

async function stop (server: Server): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => server.child.once('exit', resolve))
  server.child.kill('SIGTERM')
  return await exited
}

/** The certificate the server presents, as DER. */
async function servedCertificate (url: string): Promise<Buffer> {
  const { hostname, port } = new URL(url)
  return await new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false, servername: 'localhost' }, () => {
      resolve(socket.getPeerX509Certificate()?.raw ?? Buffer.alloc(0))
      socket.end()
    })
    socket.on('error', reject)
  })
}

function certificatePathIn (stdout: string): string | undefined {
  return /NODE_EXTRA_CA_CERTS=([^\s;)]+)/.exec(stdout)?.[1]
}

t.test('TLS_DIR: the second start serves the certificate the first one wrote', async (t) => {
  const dir = join(t.testdir(), 'tls')
  const first = await startServer(t, { TLS_DIR: dir })
  const path = join(dir, 'graph-mock.pem')
  t.match(first.stdout, `self-signed certificate for localhost, 127.0.0.1 and ::1 written to ${path} (trust it with NODE_EXTRA_CA_CERTS=${path})`)
  const written = new X509Certificate(await readFile(path, 'utf8')).raw
  t.ok((await servedCertificate(first.url)).equals(written), 'serves the certificate it wrote')
  t.equal(await stop(first), 0)

  const second = await startServer(t, { TLS_DIR: dir })
  t.match(second.stdout, `self-signed certificate for localhost, 127.0.0.1 and ::1 reused from ${path} (trust it with NODE_EXTRA_CA_CERTS=${path})`)
  t.ok((await servedCertificate(second.url)).equals(written), 'the same certificate after a restart')
  t.equal(await stop(second), 0)
  t.ok(existsSync(path), 'the kept certificate outlives the instance')
})

t.test('without TLS_DIR or TLS_CERT_OUT, concurrent instances each write their own certificate, removed when they stop', async (t) => {
  const [one, two] = await Promise.all([startServer(t, {}), startServer(t, {})])
  const onePath = certificatePathIn(one.stdout)
  const twoPath = certificatePathIn(two.stdout)
  if (onePath === undefined || twoPath === undefined) throw new Error(`no certificate path logged: ${one.stdout} ${two.stdout}`)
  t.not(onePath, twoPath, 'two paths')
  t.not(dirname(onePath), dirname(twoPath), 'in two folders')
  t.match(one.stdout, '; removed when the mock stops)')
  for (const [server, path] of [[one, onePath], [two, twoPath]] as const) {
    const file = new X509Certificate(await readFile(path, 'utf8')).raw
    t.ok((await servedCertificate(server.url)).equals(file), `${path} is the certificate that instance serves`)
  }
  t.not((await servedCertificate(one.url)).toString('hex'), (await servedCertificate(two.url)).toString('hex'), 'two certificates')
  t.equal(await stop(one), 0)
  t.notOk(existsSync(dirname(onePath)), 'its folder is removed when it stops')
  t.ok(existsSync(twoPath), 'the other instance keeps its own')
  t.equal(await stop(two), 0)
})

t.test('TLS_CERT_OUT still gets the certificate kept in TLS_DIR', async (t) => {
  const base = t.testdir()
  await writeFile(join(base, 'placeholder'), '')
  const out = join(base, 'out.pem')
  const server = await startServer(t, { TLS_DIR: join(base, 'tls'), TLS_CERT_OUT: out })
  t.match(server.stdout, `(trust it with NODE_EXTRA_CA_CERTS=${out})`)
  t.equal(await readFile(out, 'utf8'), await readFile(join(base, 'tls', 'graph-mock.pem'), 'utf8'), 'the same certificate')
  t.equal(await stop(server), 0)
})
