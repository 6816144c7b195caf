// Microsoft's @microsoft/microsoft-graph-client (v3) as a contract test. It sends the bearer token only
// to https URLs of hosts it knows, so it runs against the mock over HTTPS, in a client process that
// trusts the mock's certificate through NODE_EXTRA_CA_CERTS (as a user's test process would).

import { join } from 'node:path'
import { GraphError } from '@microsoft/microsoft-graph-client'
import t from 'tap'
import { startGraphMock } from '../../src/start.js'
import { generateSelfSigned } from '../../src/tls.js'
import { expectedGraphClientSummary, PAGE_SIZE, runInChild, SESSIONS_PATH, sessions, verifyToken } from './data.js'
import { graphClient } from './scenarios/graph-client.js'

t.test('over HTTPS: OData helpers, PageIterator across nextLinks, one entity, $count, GraphError', async (t) => {
  const material = await generateSelfSigned()
  const certFile = join(t.testdir({ 'cert.pem': material.cert }), 'cert.pem')
  const mock = await startGraphMock({ port: 0, tls: material, sessions, verifyToken, pageSize: PAGE_SIZE })
  t.teardown(mock.close)
  t.match(mock.url, /^https:\/\/127\.0\.0\.1:\d+$/)
  const summary = await runInChild('graph-client', mock.url, certFile)
  t.strictSame(summary, expectedGraphClientSummary(mock.url), 'every filtered item, in order, through the nextLinks; errors as GraphError with Graph\'s status and code')
})

t.test('over plain HTTP the client attaches no token, so the mock answers 401: why HTTPS is needed', async (t) => {
  const mock = await startGraphMock({ port: 0, sessions, verifyToken })
  t.teardown(mock.close)
  const error: unknown = await graphClient(mock.url).api(SESSIONS_PATH).get().then(() => undefined, (caught: unknown) => caught)
  t.ok(error instanceof GraphError, 'a GraphError')
  t.match(error, { statusCode: 401, code: 'InvalidAuthenticationToken', message: 'Access token is empty.' })
})
