// The test run of the README Compose recipe's `tests` service (`npm ci && npm test`), as a user's
// project would have one: it reaches the mock by its service name through GRAPH_BASE_URL, and checks
// that it serves this project's own fixtures (test/graph-fixtures, mounted at /fixtures).

import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import test from 'node:test'

const base = process.env.GRAPH_BASE_URL ?? ''
const origin = base.replace(/\/beta$/, '')
const auth = { authorization: 'Bearer compose-tests' }
// Without it, Graph (and the mock) show an evolvable enum member such as `failed` as unknownFutureValue.
const prefer = { prefer: 'include-unknown-enum-members' }
const sessions = JSON.parse(await readFile(new URL('./test/graph-fixtures/exchangeRestoreSessions.json', import.meta.url), 'utf8'))

test('GRAPH_BASE_URL names the mock by its service name', () => {
  assert.equal(base, 'http://graph-mock:8080/beta')
})

test('GET /healthz without a token: 200', async () => {
  const response = await fetch(`${origin}/healthz`)
  assert.equal(response.status, 200)
  assert.deepEqual(await response.json(), { status: 'ok' })
})

test('the Exchange sessions are this project\'s fixtures', async () => {
  const response = await fetch(`${base}/solutions/backupRestore/exchangeRestoreSessions?$select=id,status&$count=true&$top=999`, { headers: { ...auth, ...prefer } })
  assert.equal(response.status, 200)
  const body = await response.json()
  assert.equal(body['@odata.count'], sessions.length)
  assert.deepEqual(body.value.map((s) => [s.id, s.status]), sessions.map((s) => [s.id, s.status]))
})

test('without a token: 401 with Graph\'s error code', async () => {
  const response = await fetch(`${base}/solutions/backupRestore/exchangeRestoreSessions`)
  assert.equal(response.status, 401)
  assert.equal((await response.json()).error.code, 'InvalidAuthenticationToken')
})
