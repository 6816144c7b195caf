// Microsoft's Kiota stack (GraphBetaRequestAdapter with the beta SDK's models, PageIterator from
// msgraph-sdk-core) as a contract test: typed deserialization, paging and ODataError, over plain
// HTTP in this process (Kiota allows http for loopback hosts) and over HTTPS from a client process
// that trusts the mock's certificate through NODE_EXTRA_CA_CERTS.

import { join } from 'node:path'
import t from 'tap'
import { startGraphMock } from '../../src/start.js'
import { generateSelfSigned } from '../../src/tls.js'
import { expectedKiotaSummary, PAGE_SIZE, runInChild, sessions, verifyToken } from './data.js'
import { kiotaScenarios } from './scenarios/kiota.js'

t.test('over HTTP: typed sessions (ids, Dates, enums, identity sets), every page, $count, ODataError', async (t) => {
  const mock = await startGraphMock({ port: 0, sessions, verifyToken, pageSize: PAGE_SIZE })
  t.teardown(mock.close)
  t.strictSame(await kiotaScenarios(mock.url), expectedKiotaSummary(mock.url))
})

t.test('over HTTPS, from a client process that trusts the generated certificate', async (t) => {
  const material = await generateSelfSigned()
  const certFile = join(t.testdir({ 'cert.pem': material.cert }), 'cert.pem')
  const mock = await startGraphMock({ port: 0, tls: material, sessions, verifyToken, pageSize: PAGE_SIZE })
  t.teardown(mock.close)
  t.strictSame(await runInChild('kiota', mock.url, certFile), expectedKiotaSummary(mock.url))
})
