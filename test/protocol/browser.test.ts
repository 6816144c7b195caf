// CORS from a real browser: headless Chromium (Debian's `chromium`, driven over the DevTools protocol
// by playwright-core) loads a page served on another localhost port; the page calls the mock with
// fetch and a bearer token (preflighted: Authorization is not a simple header), lists, follows the
// nextLink, reads the exposed headers, tries to create a session, and reads a 401; the test reads
// what the page saw. With CORS_ORIGINS naming another origin, the browser refuses the answers.

import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import t from 'tap'
import { startGraphMock } from '../../src/start.js'
import { session } from '../helper.js'

// Starting a browser can take longer than tap's default 30 s on a loaded machine.
t.setTimeout(120000)

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
const IDS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333']
const sessions = IDS.map((id, i) => session(id, { createdDateTime: `2025-03-0${i + 1}T10:00:00.0000000Z` }))

/** The page's script: everything it reads goes into `window.result`. */
function pageScript (mock: string): string {
  return `
const base = ${JSON.stringify(`${mock}/beta/solutions/backupRestore`)}
const auth = { Authorization: 'Bearer browser-token' }
async function read (response) {
  const type = response.headers.get('content-type') || ''
  return {
    status: response.status,
    requestId: response.headers.get('request-id'),
    clientRequestId: response.headers.get('client-request-id'),
    allow: response.headers.get('allow'),
    body: type.includes('json') ? await response.json() : await response.text()
  }
}
async function run () {
  const first = await read(await fetch(base + '/exchangeRestoreSessions?$top=2&$select=id&$orderby=createdDateTime', { headers: { ...auth, 'client-request-id': 'from-the-page' } }))
  const second = await read(await fetch(first.body['@odata.nextLink'], { headers: auth }))
  const create = await read(await fetch(base + '/exchangeRestoreSessions', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ displayName: 'from a browser' }) }))
  const readOnly = await read(await fetch(base + '/protectionUnits', { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' }))
  const anonymous = await read(await fetch(base + '/exchangeRestoreSessions'))
  return { origin: location.origin, first, second, create, readOnly, anonymous }
}
run().then((value) => { window.result = { value } }, (error) => { window.result = { error: String(error) } })
`
}

async function servePage (mock: string): Promise<{ server: Server, url: string }> {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>graph-mock CORS</title></head><body><script>${pageScript(mock)}</script></body></html>`
  const server = createServer((request, response) => {
    response.writeHead(request.url === '/' ? 200 : 404, { 'content-type': 'text/html;charset=utf-8' })
    response.end(request.url === '/' ? html : '')
  })
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve) })
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }
}

async function launch (): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium), or set CHROMIUM_PATH`)
  // Root in a container has no user namespace for Chromium's sandbox.
  return await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'], headless: true })
}

async function resultOf (browser: Browser, pageUrl: string): Promise<{ value?: Record<string, unknown>, error?: string }> {
  const page = await browser.newPage()
  try {
    await page.goto(pageUrl)
    await page.waitForFunction(() => (globalThis as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 20000 })
    return await page.evaluate(() => (globalThis as unknown as { result: { value?: Record<string, unknown>, error?: string } }).result)
  } finally {
    await page.close()
  }
}

t.test('a page on another origin lists, pages, reads headers, creates and reads errors', async (t) => {
  const mock = await startGraphMock({ port: 0, sessions, pageSize: 2 })
  t.teardown(mock.close)
  // What the same create gets outside a browser, from a mock of its own (it may write).
  const twin = await startGraphMock({ port: 0, sessions })
  const direct = await fetch(`${twin.url}/beta/solutions/backupRestore/exchangeRestoreSessions`, { method: 'POST', headers: { authorization: 'Bearer x', 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'from a browser' }) })
  const directBody = await direct.json() as { error?: { code?: string, message?: string } }
  await twin.close()
  const { server, url } = await servePage(mock.url)
  t.teardown(() => new Promise<void>((resolve) => { server.close(() => { resolve() }) }))
  const browser = await launch()
  t.teardown(async () => { await browser.close() })
  const result = await resultOf(browser, url)
  t.equal(result.error, undefined, 'the page\'s fetches all completed')
  const value = result.value ?? {}
  t.not(value['origin'], new URL(mock.url).origin, 'the page is on another origin')
  const first = value['first'] as { status: number, requestId: string, clientRequestId: string, body: Record<string, unknown> }
  t.equal(first.status, 200)
  t.match(first.requestId, /^[0-9a-f-]{36}$/, 'request-id is readable (exposed)')
  t.equal(first.clientRequestId, 'from-the-page', 'client-request-id went through the preflight and came back')
  t.strictSame((first.body['value'] as Array<{ id: string }>).map((item) => item.id), IDS.slice(0, 2))
  t.match(first.body['@odata.nextLink'], new RegExp(`^${mock.url.replaceAll('.', '\\.')}/beta/`), 'the nextLink points back at the mock')
  const second = value['second'] as { status: number, body: Record<string, unknown> }
  t.equal(second.status, 200)
  t.strictSame((second.body['value'] as Array<{ id: string }>).map((item) => item.id), IDS.slice(2), 'the second page')
  t.equal(second.body['@odata.nextLink'], undefined, 'the last page')
  const create = value['create'] as { status: number, body: { error?: { code?: string, message?: string } } }
  t.equal(create.status, direct.status, `the create read as ${direct.status}, as outside a browser`)
  if (direct.status >= 400) t.strictSame({ code: create.body.error?.code, message: create.body.error?.message }, { code: directBody.error?.code, message: directBody.error?.message })
  const readOnly = value['readOnly'] as { status: number, allow: string | null, body: { error: { code: string, message: string } } }
  t.strictSame({ status: readOnly.status, code: readOnly.body.error.code, message: readOnly.body.error.message }, { status: 405, code: 'BadRequest', message: 'Specified HTTP method is not allowed for the request target.' }, 'a 405, read with its body')
  t.equal(readOnly.allow, null, 'Allow is not exposed to scripts')
  const anonymous = value['anonymous'] as { status: number, body: { error: { code: string, message: string } } }
  t.strictSame({ status: anonymous.status, code: anonymous.body.error.code, message: anonymous.body.error.message }, { status: 401, code: 'InvalidAuthenticationToken', message: 'Access token is empty.' }, 'a 401 is readable too')
})

t.test('CORS_ORIGINS naming another origin: the browser refuses the answers', async (t) => {
  const mock = await startGraphMock({ port: 0, sessions, corsOrigins: 'https://app.example' })
  t.teardown(mock.close)
  const { server, url } = await servePage(mock.url)
  t.teardown(() => new Promise<void>((resolve) => { server.close(() => { resolve() }) }))
  const browser = await launch()
  t.teardown(async () => { await browser.close() })
  const result = await resultOf(browser, url)
  t.strictSame(result, { error: 'TypeError: Failed to fetch' }, 'fetch fails as for a server without CORS')
})
