// requestOrigin: the origin nextLinks point back to. Behind a reverse proxy or an ingress (TRUST_PROXY)
// the proxy's X-Forwarded-Proto and X-Forwarded-Host say where the client is; otherwise those headers
// are ignored, since any client can send them.

import t from 'tap'
import { requestOrigin, type OriginSource } from '../../src/graph/request-url.js'

function request (headers: OriginSource['headers'], protocol = 'http', host = '10.0.0.7:8080'): OriginSource {
  return { protocol, host, headers }
}

t.test('without TRUST_PROXY: the connection\'s scheme and the Host header, whatever the forwarded headers say', async (t) => {
  t.equal(requestOrigin(request({}), false), 'http://10.0.0.7:8080')
  t.equal(requestOrigin(request({}, 'https', 'localhost:8443'), false), 'https://localhost:8443')
  t.equal(requestOrigin(request({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'graph.example.test' }), false), 'http://10.0.0.7:8080', 'ignored')
})

t.test('with TRUST_PROXY: X-Forwarded-Proto and X-Forwarded-Host win', async (t) => {
  const cases: Array<[OriginSource['headers'], string]> = [
    [{ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'graph.example.test' }, 'https://graph.example.test'],
    [{ 'x-forwarded-proto': 'HTTPS' }, 'https://10.0.0.7:8080'],
    [{ 'x-forwarded-host': 'mock.internal:9443' }, 'http://mock.internal:9443'],
    [{ 'x-forwarded-host': '[::1]:8443', 'x-forwarded-proto': 'https' }, 'https://[::1]:8443'],
    [{ 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'outer.example.test, inner.local' }, 'https://outer.example.test'],
    [{ 'x-forwarded-proto': ['https', 'http'] }, 'https://10.0.0.7:8080'],
    [{}, 'http://10.0.0.7:8080']
  ]
  for (const [headers, origin] of cases) t.equal(requestOrigin(request(headers), true), origin, JSON.stringify(headers))
})

t.test('with TRUST_PROXY, values that are not a scheme or a host are ignored', async (t) => {
  const cases: OriginSource['headers'][] = [
    { 'x-forwarded-proto': 'ftp' },
    { 'x-forwarded-proto': 'javascript' },
    { 'x-forwarded-host': 'evil.test/path' },
    { 'x-forwarded-host': 'user@evil.test' },
    { 'x-forwarded-host': 'evil.test:99999999' },
    { 'x-forwarded-host': 'evil.test:' },
    { 'x-forwarded-host': 'a b' },
    { 'x-forwarded-host': '[zz]' },
    { 'x-forwarded-host': '' },
    { 'x-forwarded-host': 'x'.repeat(300) }
  ]
  for (const headers of cases) t.equal(requestOrigin(request(headers), true), 'http://10.0.0.7:8080', JSON.stringify(headers).slice(0, 80))
})
