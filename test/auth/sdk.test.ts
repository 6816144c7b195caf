// Microsoft's JavaScript SDKs against a permissions-mode operation: a token without the operation's
// permission comes back as each SDK's error type (GraphError from @microsoft/microsoft-graph-client,
// the ODataError model from Kiota) carrying Graph's 403; a token with it passes. Over HTTPS from a
// client process, as test/clients does: the Graph client sends tokens to https hosts only.

import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { loadAuthKeys } from '../../src/auth/keys.js'
import { issueToken } from '../../src/auth/token.js'
import { graphAuth } from '../../src/plugins/auth.js'
import { generateSelfSigned } from '../../src/tls.js'

const SECRET = 'sdk test secret'
const ACTIVATE = '/solutions/backupRestore/restoreSessions/{restoreSessionBase-id}/microsoft.graph.activate'
const script = fileURLToPath(new URL('./scripts/sdk-403.ts', import.meta.url))

async function runClients (env: Record<string, string>): Promise<unknown> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env }
  delete childEnv['NODE_OPTIONS']
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const killer = setTimeout(() => { child.kill('SIGKILL') }, 60000)
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('close', (code) => {
      clearTimeout(killer)
      if (code !== 0) { reject(new Error(`the client process exited with ${String(code)}: ${stderr}`)); return }
      try { resolve(JSON.parse(stdout)) } catch { reject(new Error(`no JSON: ${stdout} ${stderr}`)) }
    })
  })
}

t.test('403 as GraphError and as ODataError; the permitted token passes', async (t) => {
  const material = await generateSelfSigned()
  const certFile = join(t.testdir({ 'cert.pem': material.cert }), 'cert.pem')
  const app = await buildApp({ sessions: [], https: material })
  await app.register(async (api) => {
    await api.register(graphAuth, { settings: { authMode: 'permissions', authSecret: SECRET } })
    api.post('/solutions/backupRestore/restoreSessions/:id/activate', { config: { graphPath: ACTIVATE, graphVersion: 'beta' } }, async () => ({ status: 'activating' }))
  }, { prefix: '/authtest/beta' })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(async () => { await app.close() })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const signing = (await loadAuthKeys({ authSecret: SECRET, authPublicKey: undefined, authJwks: undefined, authSigningKey: undefined })).signing
  const reader = (await issueToken({ scopes: ['BackupRestore-Restore.Read.All'] }, signing, Date.now())).token
  const writer = (await issueToken({ roles: ['BackupRestore-Restore.ReadWrite.All'] }, signing, Date.now())).token
  const summary = await runClients({
    GRAPH_MOCK_URL: `https://127.0.0.1:${port}/authtest`,
    NODE_EXTRA_CA_CERTS: certFile,
    GRAPH_PATH: '/solutions/backupRestore/restoreSessions/7b9f1c2e-0000-4000-8000-000000000001/activate',
    AUTH_TOKENS: JSON.stringify({ reader, writer })
  })
  const message = 'Insufficient privileges to complete the operation.'
  t.strictSame(summary, {
    reader: {
      graphClient: { type: 'GraphError', statusCode: 403, code: 'Authorization_RequestDenied', message },
      kiota: { isODataError: true, responseStatusCode: 403, code: 'Authorization_RequestDenied', message }
    },
    writer: { graphClient: 'no error', kiota: 'no error' }
  })
})
