// A client process for the restore workflow test: runs one client's restore workflow against
// GRAPH_MOCK_URL (trusting the mock's certificate through NODE_EXTRA_CA_CERTS, set by the parent)
// with the restore points in RESTORE_PLAN (JSON), and prints the summary as JSON.
// Usage: node --import tsx test/clients/scripts/run-restore.ts graph-client|kiota
import { graphClientRestore, kiotaRestore, type RestorePlan } from '../scenarios/restore-workflow.js'

const client = process.argv[2]
const url = process.env['GRAPH_MOCK_URL']
const plan = process.env['RESTORE_PLAN']
if (url === undefined || plan === undefined) throw new Error('GRAPH_MOCK_URL and RESTORE_PLAN must be set')
if (client !== 'graph-client' && client !== 'kiota') throw new Error(`unknown client '${String(client)}'`)
const parsed = JSON.parse(plan) as RestorePlan
const summary = client === 'kiota' ? await kiotaRestore(url, parsed) : await graphClientRestore(url, parsed)
process.stdout.write(JSON.stringify(summary) + '\n')
