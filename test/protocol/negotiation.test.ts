// Accept (the JSON variants served, Graph's 406 otherwise, $format winning), request bodies in
// Content-Encoding gzip/deflate (inflated within the body limit: a gzip bomb is a quick 413), other
// encodings 415, and gzip answers to Accept-Encoding where the body is large enough.

import { deflateSync, gunzipSync, gzipSync } from 'node:zlib'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { startGraphMock } from '../../src/start.js'
import { AUTH, expectedError, LIST, session } from '../helper.js'
import { build } from './build.js'

// Building the gzip bombs takes a few seconds of its own.
t.setTimeout(120000)

const sessions = Array.from({ length: 30 }, (_, i) => session(`00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`))
const NOT_ACCEPTABLE = 'The requested response format is not supported. This endpoint answers with application/json.'
const batchBody = { requests: [{ id: '1', method: 'GET', url: '/solutions/backupRestore/exchangeRestoreSessions/$count' }] }

t.test('Accept: the JSON variants Graph accepts are served; anything else is 406', async (t) => {
  const app = await build(t, { sessions })
  const served = ['application/json', 'application/json;odata.metadata=minimal', 'application/json;odata.metadata=full;odata.streaming=true', 'application/json; charset=utf-8',
    '*/*', 'application/*', 'text/html, application/json;q=0.5', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'garbage', '']
  for (const accept of served) {
    const response = await app.inject({ method: 'GET', url: `${LIST}?$top=1`, headers: { ...AUTH, accept } })
    t.equal(response.statusCode, 200, `Accept: ${accept}`)
  }
  for (const accept of ['text/html', 'application/xml', 'application/json;q=0', 'application/json;q=0, text/*', 'image/*, text/plain']) {
    const response = await app.inject({ method: 'GET', url: `${LIST}?$top=1`, headers: { ...AUTH, accept } })
    t.equal(response.statusCode, 406, `Accept: ${accept} → 406`)
    t.strictSame(response.json(), expectedError(response, 'NotAcceptable', NOT_ACCEPTABLE))
  }
  const countText = await app.inject({ method: 'GET', url: `${LIST}/$count`, headers: { ...AUTH, accept: 'text/plain;q=0.9' } })
  t.equal(countText.statusCode, 200, 'a count answers text/plain (Kiota asks for it)')
  t.equal(countText.body, '30')
  const countJson = await app.inject({ method: 'GET', url: `${LIST}/$count`, headers: { ...AUTH, accept: 'application/json' } })
  t.equal(countJson.statusCode, 200, 'and clients that ask JSON for everything get it too')
  const countImage = await app.inject({ method: 'GET', url: `${LIST}/$count`, headers: { ...AUTH, accept: 'image/png' } })
  t.equal(countImage.statusCode, 406)
  const batch = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { ...AUTH, accept: 'text/html', 'content-type': 'application/json' }, payload: batchBody })
  t.equal(batch.statusCode, 406, 'a batch answers JSON only')
  const unauthenticated = await app.inject({ method: 'GET', url: LIST, headers: { accept: 'text/html' } })
  t.equal(unauthenticated.statusCode, 401, 'the bearer check comes first')
})

t.test('$format=json is accepted and wins over Accept; another format is the engine\'s 400', async (t) => {
  const app = await build(t, { sessions })
  const json = await app.inject({ method: 'GET', url: `${LIST}?$top=1&$format=json`, headers: { ...AUTH, accept: 'text/html' } })
  t.equal(json.statusCode, 200)
  const media = await app.inject({ method: 'GET', url: `${LIST}?$top=1&$format=application/json;odata.metadata=minimal`, headers: AUTH })
  t.equal(media.statusCode, 200)
  const xml = await app.inject({ method: 'GET', url: `${LIST}?$format=xml`, headers: AUTH })
  t.equal(xml.statusCode, 400)
  t.strictSame(xml.json(), expectedError(xml, 'BadRequest', "The requested format 'xml' is not supported. This endpoint answers with 'json' (application/json) only."))
})

t.test('request bodies in gzip or deflate are inflated; other encodings are 415; bad bytes 400', async (t) => {
  const app = await build(t, { sessions })
  const send = async (encoding: string, payload: Buffer) => await app.inject({ method: 'POST', url: '/beta/$batch', headers: { ...AUTH, 'content-type': 'application/json', 'content-encoding': encoding }, payload })
  for (const [encoding, payload] of [['gzip', gzipSync(JSON.stringify(batchBody))], ['deflate', deflateSync(JSON.stringify(batchBody))], ['identity', Buffer.from(JSON.stringify(batchBody))]] as const) {
    const response = await send(encoding, payload)
    t.equal(response.statusCode, 200, `${encoding}: the batch was read`)
    t.strictSame(response.json<{ responses: Array<{ status: number, body: unknown }> }>().responses.map((r) => [r.status, r.body]), [[200, '30']])
  }
  for (const encoding of ['br', 'compress', 'gzip, gzip']) {
    const response = await send(encoding, gzipSync('{}'))
    t.equal(response.statusCode, 415, `${encoding}: 415`)
    t.strictSame(response.json(), expectedError(response, 'UnsupportedMediaType', `The content encoding '${encoding}' is not supported; send the body as it is, or gzip- or deflate-encoded.`))
  }
  const garbage = await send('gzip', Buffer.from('this is not gzip'))
  t.equal(garbage.statusCode, 400)
  t.strictSame(garbage.json(), expectedError(garbage, 'BadRequest', 'The request body could not be decoded as gzip, its Content-Encoding.'))
  const truncated = await send('gzip', gzipSync(JSON.stringify(batchBody)).subarray(0, 20))
  t.equal(truncated.statusCode, 400, 'a truncated gzip stream is a 400')
})

t.test('the body limit applies after inflation: a gzip bomb is a quick 413, without the memory', async (t) => {
  const app = await build(t, { sessions, bodyLimit: 65536 })
  const inflated = Buffer.alloc(128 * 1024 * 1024, 0x20) // 128 MiB of spaces
  const bomb = gzipSync(inflated, { level: 9 })
  t.ok(bomb.length < 1024 * 1024, `${bomb.length} bytes on the wire`)
  const heapBefore = process.memoryUsage().rss
  const started = performance.now()
  const response = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { ...AUTH, 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: bomb })
  const elapsed = performance.now() - started
  t.equal(response.statusCode, 413)
  t.strictSame(response.json(), expectedError(response, 'RequestEntityTooLarge', 'The request body exceeds the limit of 65536 bytes.'))
  t.ok(elapsed < 2000, `answered in ${Math.round(elapsed)} ms`)
  t.ok(process.memoryUsage().rss - heapBefore < 64 * 1024 * 1024, 'inflating stopped at the limit')
  const within = { ...batchBody, padding: 'x'.repeat(60000) }
  const fits = await app.inject({ method: 'POST', url: '/beta/$batch', headers: { ...AUTH, 'content-type': 'application/json', 'content-encoding': 'gzip' }, payload: gzipSync(JSON.stringify(within)) })
  t.equal(fits.statusCode, 200, 'a body within the limit once inflated is read')
})

t.test('over a socket: a gzip bomb is answered 413 and the server goes on', async (t) => {
  const mock = await startGraphMock({ port: 0, sessions, bodyLimit: 65536 })
  t.teardown(mock.close)
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20))
  const response = await fetch(`${mock.url}/beta/$batch`, { method: 'POST', headers: { authorization: 'Bearer x', 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb, signal: AbortSignal.timeout(5000) })
  t.equal(response.status, 413)
  t.match(await response.json(), { error: { code: 'RequestEntityTooLarge' } })
  const after = await fetch(`${mock.url}/beta/solutions/backupRestore/exchangeRestoreSessions/$count`, { headers: { authorization: 'Bearer x' } })
  t.equal(await after.text(), '30')
})

t.test('Accept-Encoding: gzip answers gzip when the body is large enough to gain', async (t) => {
  // The contract check reads bodies as sent; compressed ones are compared with plain ones here instead.
  const app = await buildApp({ sessions })
  t.teardown(async () => { await app.close() })
  const plain = await app.inject({ method: 'GET', url: LIST, headers: AUTH })
  const zipped = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, 'accept-encoding': 'gzip, deflate, br' } })
  t.equal(zipped.statusCode, 200)
  t.equal(zipped.headers['content-encoding'], 'gzip')
  t.equal(zipped.headers.vary, 'accept-encoding')
  t.equal(zipped.headers['content-type'], plain.headers['content-type'])
  t.equal(zipped.headers['access-control-allow-origin'], '*', 'the other headers are kept')
  t.ok(zipped.rawPayload.length < plain.rawPayload.length / 4, `${plain.rawPayload.length} bytes as ${zipped.rawPayload.length}`)
  t.equal(gunzipSync(zipped.rawPayload).toString(), plain.body, 'the same body')
  const again = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, 'accept-encoding': 'gzip' } })
  t.equal(gunzipSync(again.rawPayload).toString(), plain.body, 'a page kept as bytes is compressed the same')
  const small = await app.inject({ method: 'GET', url: `${LIST}/$count`, headers: { ...AUTH, 'accept-encoding': 'gzip' } })
  t.equal(small.headers['content-encoding'], undefined, 'a small body goes as it is')
  t.equal(small.body, '30')
  const error = await app.inject({ method: 'GET', url: `${LIST}/00000000-0000-4000-8000-00000000ffff`, headers: { ...AUTH, 'accept-encoding': 'gzip' } })
  t.equal(error.headers['content-encoding'], undefined, 'an error body is small')
  const identity = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, 'accept-encoding': 'identity' } })
  t.equal(identity.headers['content-encoding'], undefined)
  t.equal(identity.body, plain.body)
  const unknown = await app.inject({ method: 'GET', url: LIST, headers: { ...AUTH, 'accept-encoding': 'zstd-unheard-of' } })
  t.equal(unknown.statusCode, 200, 'an encoding the mock does not know: the body as it is')
  t.equal(unknown.body, plain.body)
  const metadata = await app.inject({ method: 'GET', url: '/beta/$metadata', headers: { 'accept-encoding': 'gzip' } })
  t.equal(metadata.headers['content-encoding'], 'gzip', '$metadata too')
})

t.test('over a socket: fetch reads the gzip answer; a slow reader still gets all of it when the server closes', async (t) => {
  const mock = await startGraphMock({ port: 0, sessions })
  const response = await fetch(`${mock.url}/beta/solutions/backupRestore/exchangeRestoreSessions`, { headers: { authorization: 'Bearer x', 'accept-encoding': 'gzip' } })
  t.equal(response.headers.get('content-encoding'), 'gzip')
  const closing = mock.close()
  const body = await response.json() as { value: unknown[] }
  t.equal(body.value.length, 30, 'the whole page arrived')
  await closing
})
