// A client process for test/auth/sdk.test.ts: Microsoft's two JavaScript stacks call one operation
// with each token of AUTH_TOKENS (JSON: name → token) against GRAPH_MOCK_URL (a Graph root's parent,
// trusted through NODE_EXTRA_CA_CERTS), and print what each surfaced, as JSON.
// Usage: node --import tsx test/auth/scripts/sdk-403.ts
import { AllowedHostsValidator, BaseBearerTokenAuthenticationProvider, HttpMethod, RequestInformation, type ErrorMappings } from '@microsoft/kiota-abstractions'
import { Client, GraphError } from '@microsoft/microsoft-graph-client'
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk'
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js'

const origin = process.env['GRAPH_MOCK_URL']
const tokens: unknown = JSON.parse(process.env['AUTH_TOKENS'] ?? '{}')
const path = process.env['GRAPH_PATH'] ?? ''
if (origin === undefined || typeof tokens !== 'object' || tokens === null) throw new Error('GRAPH_MOCK_URL and AUTH_TOKENS are needed')

const errorMappings: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue }

async function withGraphClient (token: string): Promise<unknown> {
  const client = Client.init({ authProvider: (done) => { done(null, token) }, baseUrl: `${origin}/`, defaultVersion: 'beta', customHosts: new Set([new URL(origin ?? '').hostname]) })
  try {
    await client.api(path).post({})
    return 'no error'
  } catch (error) {
    if (!(error instanceof GraphError)) return `not a GraphError: ${String(error)}`
    return { type: error.constructor.name, statusCode: error.statusCode, code: error.code, message: error.message }
  }
}

async function withKiota (token: string): Promise<unknown> {
  const auth = new BaseBearerTokenAuthenticationProvider({
    getAuthorizationToken: async () => token,
    getAllowedHostsValidator: () => new AllowedHostsValidator(new Set([new URL(origin ?? '').hostname]))
  })
  const adapter = new GraphBetaRequestAdapter(auth)
  adapter.baseUrl = `${origin ?? ''}/beta`
  const info = new RequestInformation(HttpMethod.POST, `{+baseurl}${path}`)
  info.headers.tryAdd('Accept', 'application/json')
  try {
    await adapter.sendNoResponseContent(info, errorMappings)
    return 'no error'
  } catch (error) {
    const record = error as { responseStatusCode?: unknown, errorEscaped?: { code?: unknown, message?: unknown } }
    const isODataError = typeof error === 'object' && error !== null && 'responseStatusCode' in error && 'errorEscaped' in error
    return { isODataError, responseStatusCode: record.responseStatusCode, code: record.errorEscaped?.code, message: record.errorEscaped?.message }
  }
}

const summary: Record<string, unknown> = {}
for (const [name, token] of Object.entries(tokens as Record<string, string>)) {
  summary[name] = { graphClient: await withGraphClient(token), kiota: await withKiota(token) }
}
process.stdout.write(JSON.stringify(summary) + '\n')
