// Browse sessions: the browse action answers the items at a location, page by page, and its
// continuation function follows the signed token it handed out.
import t, { type Test } from 'tap'
import { buildApp } from '../../src/app.js'

const SESSION = '66666666-6666-4666-8666-666666666666'
const BASE = `/beta/solutions/backupRestore/browseSessions/${SESSION}`
const HEADERS = { authorization: 'Bearer x', 'content-type': 'application/json' }
const CONTEXT = 'https://graph.microsoft.com/beta/$metadata#Collection(microsoft.graph.browseQueryResponseItem)'

const top = Array.from({ length: 130 }, (_, i) => ({ itemKey: `site/lib/f${i}`, name: `Folder ${String(i).padStart(3, '0')}`, type: 'folder', itemsCount: 1, sizeInBytes: '10' }))
const inside = [{ itemKey: 'site/lib/f1/b.docx', name: 'b.docx', type: 'file', webUrl: 'https://contoso.sharepoint.com/b.docx' }, { itemKey: 'site/lib/f1/a.docx', name: 'a.docx', type: 'file' }]

async function app (t: Test) {
  const built = await buildApp({ data: { sharePointBrowseSessions: [{ id: SESSION, status: 'created', '@graphMock.browseItems': { '': top, 'site/lib/f1': inside } }] } })
  t.teardown(async () => { await built.close() })
  return built
}

function item (name: string, itemKey: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { itemKey, itemsCount: null, name, sizeInBytes: null, type: 'file', webUrl: null, ...extra }
}

t.test('browse answers a location\'s items, ordered, in Graph\'s shape', async (t) => {
  const mock = await app(t)
  const response = await mock.inject({ method: 'POST', url: `${BASE}/microsoft.graph.browse`, headers: HEADERS, payload: { browseLocationItemKey: 'site/lib/f1', orderBy: 'nameAsc' } })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /^application\/json/)
  t.strictSame(response.json(), {
    '@odata.context': CONTEXT,
    value: [item('a.docx', 'site/lib/f1/a.docx'), item('b.docx', 'site/lib/f1/b.docx', { webUrl: 'https://contoso.sharepoint.com/b.docx' })]
  })
})

t.test('the top level pages through browse(nextFetchToken=…) to the end, no item twice', async (t) => {
  const mock = await app(t)
  let response = await mock.inject({ method: 'POST', url: `${BASE}/microsoft.graph.browse`, headers: HEADERS, payload: { orderBy: 'pathDsc' } })
  const seen: string[] = []
  for (let pages = 0; pages < 10; pages++) {
    t.equal(response.statusCode, 200, response.body.slice(0, 200))
    const body = response.json<{ value: Array<{ itemKey: string }>, '@odata.nextLink'?: string }>()
    seen.push(...body.value.map((v) => v.itemKey))
    const next = body['@odata.nextLink']
    if (next === undefined) break
    t.match(next, new RegExp(`^http://localhost:80${BASE.replaceAll('.', '\\.')}/microsoft\\.graph\\.browse\\(nextFetchToken='[^']+'\\)$`))
    const url = new URL(next)
    response = await mock.inject({ url: url.pathname, headers: HEADERS })
  }
  t.equal(seen.length, 130)
  t.equal(new Set(seen).size, 130)
  t.strictSame(seen.slice(0, 2), ['site/lib/f99', 'site/lib/f98'], 'ordered by path, descending')
})

t.test('bad input: an unknown parameter, a wrong type, an unknown location, a forged token', async (t) => {
  const mock = await app(t)
  const post = async (payload: object) => await mock.inject({ method: 'POST', url: `${BASE}/microsoft.graph.browse`, headers: HEADERS, payload })
  const error = (r: { json: () => { error: { code: string, message: string } } }) => ({ code: r.json().error.code, message: r.json().error.message })
  let r = await post({ nope: 1 })
  t.equal(r.statusCode, 400)
  t.strictSame(error(r), { code: 'BadRequest', message: 'The parameter \'nope\' in the request payload is not a valid parameter for the operation \'browse\'.' })
  r = await post({ orderBy: 'sideways' })
  t.strictSame([r.statusCode, error(r)], [400, { code: 'BadRequest', message: 'The value \'sideways\' is not a member of the enum type \'microsoft.graph.browseQueryOrder\'.' }])
  r = await post({ filter: 7 })
  t.strictSame([r.statusCode, error(r)], [400, { code: 'BadRequest', message: 'Cannot convert the literal \'7\' to the expected type \'Edm.String\'.' }])
  r = await post({ browseLocationItemKey: 'nowhere' })
  t.strictSame([r.statusCode, error(r)], [404, { code: 'itemNotFound', message: 'The browse location \'nowhere\' does not exist in this browse session.' }])
  r = await mock.inject({ url: `${BASE}/microsoft.graph.browse(nextFetchToken='forged.token')`, headers: HEADERS })
  t.strictSame([r.statusCode, error(r)], [400, { code: 'BadRequest', message: 'The nextFetchToken \'forged.token\' is not one this browse session issued.' }])
  r = await mock.inject({ method: 'POST', url: '/beta/solutions/backupRestore/browseSessions/77777777-7777-4777-8777-777777777777/microsoft.graph.browse', headers: HEADERS, payload: {} })
  t.strictSame([r.statusCode, error(r).code], [404, 'itemNotFound'])
})

t.test('a browse annotation is validated when the fixtures load', async (t) => {
  await t.rejects(buildApp({ data: { sharePointBrowseSessions: [{ id: SESSION, '@graphMock.browseItems': { '': [{ name: 5 }] } }] } }), {
    name: 'FixtureError',
    message: 'data.sharePointBrowseSessions: record 0 (id 66666666-6666-4666-8666-666666666666): property /@graphMock.browseItems//0/name must be a string or null (the items of a browse session by location ("" for the top level))'
  })
  await t.rejects(buildApp({ data: { exchangeRestoreSessions: [{ id: SESSION, '@graphMock.browseItems': {} }] } }), {
    message: 'data.exchangeRestoreSessions: record 0 (id 66666666-6666-4666-8666-666666666666): property /@graphMock.browseItems is not an annotation of exchangeRestoreSession'
  })
})
