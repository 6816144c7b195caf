// Both JavaScript SDKs' batch classes against the mock's $batch, from a client process over HTTPS
// (the graph client sends its token to https URLs only; the process trusts the mock's certificate
// through NODE_EXTRA_CA_CERTS, as a user's test process would): graph-client v3's
// BatchRequestContent/BatchResponseContent, and Kiota's BatchRequestContent and
// BatchRequestContentCollection with the compression handler gzipping the batch bodies.

import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startGraphMock } from '../../src/start.js'
import { generateSelfSigned } from '../../src/tls.js'
import { failedSession, PAGE_SIZE, sessions, shownStatus, verifyToken } from './data.js'
import type { BatchSummary } from './scenarios/batch.js'

// A client process and a TLS handshake or two: more than tap's default 30 s on a loaded machine.
t.setTimeout(120000)

const runner = fileURLToPath(new URL('./scripts/run-batch-scenarios.ts', import.meta.url))
const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'

async function runBatchScenarios (url: string, certFile: string): Promise<BatchSummary> {
  const env = { ...process.env }
  delete env['NODE_OPTIONS']
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', runner], { env: { ...env, GRAPH_MOCK_URL: url, NODE_EXTRA_CA_CERTS: certFile }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const killer = setTimeout(() => { child.kill('SIGKILL') }, 90000)
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('close', (code) => {
      clearTimeout(killer)
      if (code !== 0) {
        reject(new Error(`batch scenarios exited with ${String(code)}: ${stderr}`))
        return
      }
      try {
        resolve(JSON.parse(stdout) as BatchSummary)
      } catch {
        reject(new Error(`batch scenarios printed no JSON: ${stdout} ${stderr}`))
      }
    })
  })
}

t.test('graph-client v3 and Kiota batches: statuses, bodies, dependsOn, 424, gzip-encoded batch bodies', async (t) => {
  const material = await generateSelfSigned()
  const certFile = join(t.testdir({ 'cert.pem': material.cert }), 'cert.pem')
  const mock = await startGraphMock({ port: 0, tls: material, sessions, verifyToken, pageSize: PAGE_SIZE })
  t.teardown(mock.close)
  const summary = await runBatchScenarios(mock.url, certFile)
  const sorted = [...sessions].sort((a, b) => String(a.id).localeCompare(String(b.id)))

  const g = summary.graphClient
  t.strictSame(g['list'], {
    status: 200,
    contentType: JSON_TYPE,
    body: {
      '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions(id)',
      '@odata.nextLink': (g['list']?.body as Record<string, unknown> | undefined)?.['@odata.nextLink'],
      value: sorted.slice(0, 2).map((s) => ({ '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: s.id }))
    }
  }, 'graph-client: the list, as a fetch Response')
  t.match((g['list']?.body as Record<string, string> | undefined)?.['@odata.nextLink'], new RegExp(`^${mock.url.replaceAll('.', '\\.')}/beta/`), 'its nextLink is https, on the mock')
  t.strictSame(g['entity'], {
    status: 200,
    contentType: JSON_TYPE,
    body: { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions(id,status)/$entity', '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: failedSession.id, status: 'failed' }
  }, 'an item\'s Prefer header reached it')
  t.strictSame(g['count'], { status: 200, contentType: 'text/plain;charset=utf-8', body: String(sessions.length) })
  t.match(g['missing'], { status: 404, contentType: JSON_TYPE, body: { error: { code: 'RestoreSessionNotFound', message: 'Restore Session Not Found.' } } })
  for (const id of ['afterMissing', 'alsoAfterMissing']) {
    t.match(g[id], { status: 424, contentType: JSON_TYPE, body: { error: { code: 'FailedDependency', message: "The request 'missing' this request depends on failed." } } }, `${id}: 424`)
  }
  t.strictSame(Object.keys(g).sort(), ['afterMissing', 'alsoAfterMissing', 'count', 'entity', 'list', 'missing', 'readOnly'])
  t.match(g['readOnly'], { status: 405, body: { error: { code: 'BadRequest', message: 'Specified HTTP method is not allowed for the request target.' } } }, 'an item with a JSON body')

  const k = summary.kiota
  t.strictSame(k.statuses, { list: 200, entity: 200, missing: 404, missingFirst: 404, afterMissing: 424 }, 'Kiota: every item\'s status')
  t.strictSame(k.bodies, { list: false, entity: false, missing: false, missingFirst: false, afterMissing: false }, 'Kiota hands back no JSON bodies (it reads batch bodies as base64), as against Graph')
  t.strictSame(k.collection, { batches: 2, statuses: Array.from({ length: 25 }, () => 200) }, 'BatchRequestContentCollection: 25 requests in two batches, all answered')
  t.strictSame(k.sent, [
    { method: 'POST', path: '/beta/$batch', contentEncoding: 'gzip', status: 200 },
    { method: 'POST', path: '/beta/$batch', contentEncoding: 'gzip', status: 200 },
    { method: 'POST', path: '/beta/$batch', contentEncoding: 'gzip', status: 200 },
    { method: 'POST', path: '/beta/$batch', contentEncoding: 'gzip', status: 200 }
  ], 'the compression handler gzipped each batch body and the mock read it: no 415, no retry')
  t.equal(shownStatus(failedSession.status), 'unknownFutureValue', 'without the Prefer header the status would have been hidden')
})
