// HTTPS in the test process itself: `startGraphMock({ tls: true })` and Microsoft's Graph JavaScript
// client in one process. NODE_EXTRA_CA_CERTS cannot help here (Node reads it at start-up, before the
// certificate exists), so the mock hands out `mock.dispatcher`, which trusts its certificate, and the
// client passes it to fetch through `fetchOptions`. This is the README's example, run as written.

import { Client, GraphError, PageIterator } from '@microsoft/microsoft-graph-client'
import t from 'tap'
import { startGraphMock } from '../../src/index.js'
import { session } from '../helper.js'

const PATH = '/solutions/backupRestore/exchangeRestoreSessions'
const ids = ['0b5e5f30-1a2b-4c3d-8e9f-000000000001', '0b5e5f30-1a2b-4c3d-8e9f-000000000002', '0b5e5f30-1a2b-4c3d-8e9f-000000000003']
const sessions = ids.map((id, index) => session(id, { status: index === 1 ? 'draft' : 'active' }))

t.test('startGraphMock({ tls: true }) and the Graph client in one process, through mock.dispatcher', async (t) => {
  const mock = await startGraphMock({ tls: true, sessions, pageSize: 1 })
  t.teardown(mock.close)
  t.match(mock.url, /^https:\/\/127\.0\.0\.1:\d+$/)
  if (mock.dispatcher === undefined) throw new Error('an HTTPS mock has a dispatcher')

  const client = Client.init({
    authProvider: (done) => { done(null, 'any-token') },
    baseUrl: `${mock.url}/`,
    defaultVersion: 'beta',
    customHosts: new Set([new URL(mock.url).hostname]),
    fetchOptions: { dispatcher: mock.dispatcher }
  })
  const page = await client.api(PATH).filter("status eq 'active'").select('id,status').get() as { value: unknown[], '@odata.nextLink'?: string }
  const nextLink = page['@odata.nextLink']
  t.match(nextLink, new RegExp(`^${mock.url}/beta${PATH}\\?.*&\\$skiptoken=[^&]+$`), 'a nextLink back to the mock over HTTPS')
  t.strictSame(page, {
    '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions(id,status)',
    '@odata.nextLink': nextLink,
    value: [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: ids[0], status: 'active' }]
  }, 'the first page, verified against the mock\'s certificate')
  const seen: unknown[] = []
  await new PageIterator(client, page, (item) => { seen.push(item); return true }).iterate()
  t.strictSame(seen, [ids[0], ids[2]].map((id) => ({ '@odata.type': '#microsoft.graph.exchangeRestoreSession', id, status: 'active' })), 'every page through the nextLinks')

  const error: unknown = await client.api(`${PATH}/0b5e5f30-1a2b-4c3d-8e9f-0000000000ff`).get().then(() => undefined, (caught: unknown) => caught)
  t.ok(error instanceof GraphError, 'a Graph error arrives as a GraphError')
  t.match(error, { statusCode: 404, code: 'RestoreSessionNotFound' })
})

t.test('without the dispatcher the same client cannot connect: the problem it solves', async (t) => {
  const mock = await startGraphMock({ tls: true, sessions })
  t.teardown(mock.close)
  const client = Client.init({
    authProvider: (done) => { done(null, 'any-token') },
    baseUrl: `${mock.url}/`,
    defaultVersion: 'beta',
    customHosts: new Set(['127.0.0.1'])
  })
  const error: unknown = await client.api(PATH).get().then(() => undefined, (caught: unknown) => caught)
  t.ok(error instanceof GraphError, 'the client reports a GraphError')
  t.match(error, { statusCode: -1, code: 'TypeError', message: 'fetch failed' }, 'no response at all')
  const plain: unknown = await fetch(`${mock.url}/healthz`).then(() => undefined, (caught: unknown) => caught)
  t.match(plain, { cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } }, 'because fetch does not trust the certificate')
})

t.test('the dispatcher works with plain fetch too, and is closed with the mock', async (t) => {
  const mock = await startGraphMock({ tls: true, sessions })
  if (mock.dispatcher === undefined) throw new Error('an HTTPS mock has a dispatcher')
  const response = await fetch(`${mock.url}/beta${PATH}/$count`, { headers: { authorization: 'Bearer x' }, dispatcher: mock.dispatcher })
  t.strictSame({ status: response.status, body: await response.text() }, { status: 200, body: '3' })
  await mock.close()
  const after: unknown = await fetch(`${mock.url}/healthz`, { dispatcher: mock.dispatcher }).then(() => undefined, (caught: unknown) => caught)
  t.match(after, { cause: { code: 'UND_ERR_DESTROYED' } }, 'closed by mock.close()')
  const plain = await startGraphMock({ sessions })
  t.teardown(plain.close)
  t.equal(plain.dispatcher, undefined, 'over plain HTTP there is nothing to trust')
})
