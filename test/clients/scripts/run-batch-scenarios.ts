// A client process for the batch client tests: runs both SDKs' batch scenarios against
// GRAPH_MOCK_URL (trusting the mock's certificate through NODE_EXTRA_CA_CERTS, set by the parent)
// and prints the summary as JSON. Usage: node --import tsx test/clients/scripts/run-batch-scenarios.ts
import { batchScenarios } from '../scenarios/batch.js'

const url = process.env['GRAPH_MOCK_URL']
if (url === undefined) throw new Error('GRAPH_MOCK_URL is not set')
process.stdout.write(JSON.stringify(await batchScenarios(url)) + '\n')
