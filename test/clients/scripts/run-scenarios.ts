// A client process for the HTTPS client tests: runs one client's scenarios against GRAPH_MOCK_URL
// (trusting the mock's certificate through NODE_EXTRA_CA_CERTS, set by the parent) and prints the
// summary as JSON. Usage: node --import tsx test/clients/scripts/run-scenarios.ts graph-client|kiota
import { graphClientScenarios } from '../scenarios/graph-client.js'
import { kiotaScenarios } from '../scenarios/kiota.js'

const client = process.argv[2]
const url = process.env['GRAPH_MOCK_URL']
if (url === undefined) throw new Error('GRAPH_MOCK_URL is not set')
if (client !== 'graph-client' && client !== 'kiota') throw new Error(`unknown client '${String(client)}'`)
const summary = client === 'kiota' ? await kiotaScenarios(url) : await graphClientScenarios(url)
process.stdout.write(JSON.stringify(summary) + '\n')
