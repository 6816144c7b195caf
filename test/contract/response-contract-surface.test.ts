// checkResponse over the whole surface: each version's own document, the template a URL is an
// instance of (keys in either form, literal casts before keys), casts the contract does not list,
// operations other than GET, and what it leaves alone.

import t from 'tap'
import { checkResponse, SCHEMAS, type CheckedResponse } from './response-contract.js'

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'
const ID = '5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31'
const mailboxUnit = { '@odata.type': '#microsoft.graph.mailboxProtectionUnit', id: ID, status: 'protected', email: 'megan@contoso.com' }
const sharePointSession = { '@odata.type': '#microsoft.graph.sharePointRestoreSession', id: ID, status: 'active' }

function get (url: string, body: unknown, overrides: Partial<CheckedResponse> = {}): CheckedResponse {
  return { method: 'GET', url, statusCode: 200, contentType: JSON_TYPE, body: JSON.stringify(body), ...overrides }
}

t.test('each version is held to its own document', async (t) => {
  const page = { value: [{ ...mailboxUnit, mailboxType: 'user' }] }
  t.strictSame(checkResponse(get('/beta/solutions/backupRestore/protectionUnits', page)), { schema: 'microsoft.graph.protectionUnitBaseCollectionResponse', errors: [] })
  const v1 = checkResponse(get('/v1.0/solutions/backupRestore/protectionUnits', page))
  t.match(v1?.errors.join('; '), /\/value\/0 must NOT have additional properties 'mailboxType'/, 'a beta-only property under /v1.0')
  t.match(checkResponse(get('/v1.0/solutions/backupRestore/browseSessions', { value: [] }))?.errors, [/the contract has no 200 answer to GET/], 'a beta-only set has no v1.0 answer')
})

t.test('the template a URL is an instance of', async (t) => {
  const cases: Array<[string, unknown, string]> = [
    ['/beta/solutions/backupRestore', { id: 'root', serviceStatus: null }, 'microsoft.graph.backupRestoreRoot'],
    [`/beta/solutions/backupRestore/protectionUnits('${ID}')`, mailboxUnit, 'microsoft.graph.protectionUnitBase'],
    ['/beta/solutions/backupRestore/protectionUnits/microsoft.graph.mailboxProtectionUnit', { value: [mailboxUnit] }, 'microsoft.graph.mailboxProtectionUnitCollectionResponse'],
    [`/beta/solutions/backupRestore/protectionUnits/${ID}/microsoft.graph.mailboxProtectionUnit`, mailboxUnit, 'microsoft.graph.mailboxProtectionUnit'],
    [`/beta/solutions/backupRestore/exchangeRestoreSessions/${ID}/mailboxRestoreArtifacts/${ID}/restorePoint`, { id: ID }, 'microsoft.graph.restorePoint'],
    ['/beta/solutions/backupRestore/EXCHANGErestoreSessions', { value: [] }, 'microsoft.graph.exchangeRestoreSessionCollectionResponse']
  ]
  for (const [url, body, schema] of cases) t.strictSame(checkResponse(get(url, body)), { schema, errors: [] }, url)
  t.strictSame(checkResponse(get('/beta/solutions/backupRestore/protectionUnits/%24count', '3', { contentType: 'text/plain', body: '3' })), { schema: SCHEMAS.count, errors: [] })
})

t.test('a cast the contract does not list narrows the declared answer', async (t) => {
  const set = '/beta/solutions/backupRestore/restoreSessions/microsoft.graph.exchangeRestoreSession'
  t.strictSame(checkResponse(get(set, { value: [{ '@odata.type': '#microsoft.graph.exchangeRestoreSession', id: ID }] })), { schema: 'Collection(microsoft.graph.exchangeRestoreSession)', errors: [] })
  t.match(checkResponse(get(set, { value: [sharePointSession] }))?.errors.join('; '), /\/value\/0\/@odata\.type must be equal to constant '#microsoft\.graph\.exchangeRestoreSession'/, 'another derived type through the cast')
  const item = `/beta/solutions/backupRestore/restoreSessions/${ID}/microsoft.graph.sharePointRestoreSession`
  t.strictSame(checkResponse(get(item, sharePointSession)), { schema: 'microsoft.graph.sharePointRestoreSession', errors: [] })
  t.strictSame(checkResponse(get(`${set}/$count`, '', { contentType: 'text/plain', body: '2' })), { schema: SCHEMAS.count, errors: [] })
})

t.test('other methods are held to what the contract declares for them', async (t) => {
  const search = { method: 'POST', url: '/beta/solutions/backupRestore/restorePoints/microsoft.graph.search', statusCode: 200, contentType: JSON_TYPE, body: JSON.stringify({ searchResponseId: 's', noResultProtectionUnitIds: [], searchResults: [] }) }
  t.strictSame(checkResponse(search)?.errors, [], 'an action\'s answer')
  t.match(checkResponse({ ...search, body: JSON.stringify({ hits: 1 }) })?.errors.join('; '), /additional properties 'hits'/)
  t.match(checkResponse({ ...search, url: '/beta/solutions/backupRestore/protectionUnits', statusCode: 201 })?.errors, [/the contract has no 201 answer to POST/], 'protectionUnits has no POST')
  t.equal(checkResponse({ ...search, method: 'OPTIONS', statusCode: 204, body: '' }), undefined, 'OPTIONS is left alone')
})
