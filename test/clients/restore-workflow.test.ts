// Both JavaScript clients run the restore workflow end to end against a mock over HTTPS, each from a
// client process that trusts the mock's certificate (NODE_EXTRA_CA_CERTS), as a user's test would:
// create a session with artifacts, add one by PATCH, activate, poll to a terminal status. The mock
// runs on the real clock with short steps, so the polls see the session move on by itself.

import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { startGraphMock } from '../../src/start.js'
import { generateSelfSigned } from '../../src/tls.js'
import { data, POINTS } from '../behaviours/restore-tenant.js'
import { verifyToken } from './data.js'
import type { RestorePlan, RestoreSummary } from './scenarios/restore-workflow.js'

const runner = fileURLToPath(new URL('./scripts/run-restore.ts', import.meta.url))
/** Two mailboxes that restore, one restore point annotated to fail, the third added by PATCH. */
const plan: RestorePlan = { created: [POINTS.M1new ?? '', POINTS.MFAIL ?? ''], patched: POINTS.M2new ?? '' }
const ORDER = ['activating', 'active', 'completedWithError']

async function runRestore (client: 'graph-client' | 'kiota', url: string, certFile: string): Promise<RestoreSummary> {
  const env = { ...process.env }
  // Without tap's NODE_OPTIONS (coverage hooks): the child is a plain client process.
  delete env['NODE_OPTIONS']
  return await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', runner, client], {
      env: { ...env, GRAPH_MOCK_URL: url, NODE_EXTRA_CA_CERTS: certFile, RESTORE_PLAN: JSON.stringify(plan) },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    const killer = setTimeout(() => { child.kill('SIGKILL') }, 60000)
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('close', (code) => {
      clearTimeout(killer)
      if (code !== 0) {
        reject(new Error(`${client} restore workflow exited with ${String(code)}: ${stderr}`))
        return
      }
      try {
        resolve(JSON.parse(stdout) as RestoreSummary)
      } catch {
        reject(new Error(`${client} restore workflow printed no JSON: ${stdout} ${stderr}`))
      }
    })
  })
}

for (const client of ['graph-client', 'kiota'] as const) {
  t.test(`${client}: create, add by PATCH, activate, poll to completedWithError`, async (t) => {
    const material = await generateSelfSigned()
    const certFile = join(t.testdir({ 'cert.pem': material.cert }), 'cert.pem')
    const mock = await startGraphMock({ port: 0, tls: material, data, verifyToken, restoreStep: 'PT0.05S' })
    t.teardown(mock.close)
    const summary = await runRestore(client, mock.url, certFile)
    const { seen, ...rest } = summary
    t.strictSame(rest, {
      createdStatus: 'draft',
      createdTotal: 2,
      patchedAdded: 1,
      activatedStatus: 'activating',
      final: { status: 'completedWithError', total: 3, completed: 2, failed: 1, inProgress: 0, completedDateTimeSet: true },
      artifacts: [['succeeded', null], ['failed', 'ArtifactCannotBeRestored'], ['succeeded', null]]
    })
    t.equal(seen[0], 'activating', 'the activate answer')
    t.equal(seen.at(-1), 'completedWithError', 'the last poll')
    const positions = seen.map((status) => ORDER.indexOf(String(status)))
    t.ok(positions.every((position, i) => position >= 0 && (i === 0 || position > (positions[i - 1] ?? -1))), `statuses in the documented order, none twice: ${seen.join(' → ')}`)
  })
}
