// What /openapi.json says of the writes, the actions and the functions, of the statuses and headers
// every Graph answer has, and of the links between operations (schemathesis's stateful run walks
// them: test/clients/schemathesis.test.ts).

import t, { type Test } from 'tap'
import { build, LIST } from '../helper.js'

interface Header { required?: boolean, schema?: unknown }
interface Response { headers?: Record<string, Header>, links?: Record<string, { operationId: string, parameters: Record<string, string> }>, content?: Record<string, { schema: { properties?: Record<string, unknown>, required?: string[] } }> }
interface Operation { operationId?: string, parameters?: Array<{ name: string, in: string }>, requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>, additionalProperties?: boolean } }> }, responses: Record<string, Response> }
type Document = { paths: Record<string, Record<string, Operation>> }

const ERRORS = ['400', '401', '403', '404', '406', '409', '413', '415', '422']
const ENTITY = `${LIST}/{exchangeRestoreSessionId}`

async function describe (t: Test): Promise<Document> {
  const app = await build(t, { sessions: [] })
  const response = await app.inject({ method: 'GET', url: '/openapi.json' })
  t.equal(response.statusCode, 200)
  return response.json<Document>()
}

t.test('every operationId is unique (beta and v1.0 share the contract\'s)', async (t) => {
  const document = await describe(t)
  const ids = Object.entries(document.paths)
    .filter(([path]) => /^\/(beta|v1\.0)\//.test(path))
    .flatMap(([, item]) => Object.values(item).map((operation) => operation.operationId))
  t.notOk(ids.includes(undefined), 'every Graph operation has one')
  t.equal(new Set(ids).size, ids.length, `${ids.length} Graph operations, as many ids`)
  t.equal(document.paths[LIST]?.get?.operationId, 'beta.solution.backupRestore_ListExchangeRestoreSession')
  t.equal(document.paths[LIST.replace('/beta/', '/v1.0/')]?.get?.operationId, 'v1.0.solution.backupRestore_ListExchangeRestoreSession')
})

t.test('writes: a body of what a client may set, and every status they answer', async (t) => {
  const document = await describe(t)
  const create = document.paths[LIST]?.post
  const update = document.paths[ENTITY]?.patch
  const remove = document.paths[ENTITY]?.delete
  t.strictSame(Object.keys(create?.responses ?? {}), ['201', '204', ...ERRORS])
  t.strictSame(Object.keys(update?.responses ?? {}), ['200', '204', ...ERRORS])
  t.strictSame(Object.keys(remove?.responses ?? {}), ['204', ...ERRORS])
  // A policy's displayName is the client's; its id, status, times and identities are the server's.
  const policy = document.paths['/v1.0/solutions/backupRestore/exchangeProtectionPolicies']?.post
  const body = Object.keys(policy?.requestBody?.content['application/json']?.schema.properties ?? {})
  t.ok(body.includes('displayName'), 'displayName is writable')
  for (const serverSet of ['id', 'createdDateTime', 'createdBy', 'lastModifiedDateTime', 'lastModifiedBy', 'status']) {
    t.notOk(body.includes(serverSet), `${serverSet} is not in the body`)
  }
  t.ok(create?.responses['201']?.headers?.location, '201 has Location')
})

t.test('actions take their declared parameters, no others; a function is at Graph\'s path', async (t) => {
  const document = await describe(t)
  const search = document.paths['/beta/solutions/backupRestore/restorePoints/microsoft.graph.search']?.post
  const schema = search?.requestBody?.content['application/json']?.schema
  t.strictSame(Object.keys(schema?.properties ?? {}), ['protectionUnitIds', 'protectionTimePeriod', 'restorePointPreference', 'tags', 'artifactQuery'])
  t.equal(schema?.additionalProperties, false)
  t.strictSame(Object.keys(search?.responses ?? {}), ['200', '202', ...ERRORS])
  const functionPath = '/beta/solutions/backupRestore/browseSessions/{browseSessionBaseId}/microsoft.graph.browse(nextFetchToken=\'{nextFetchToken}\')'
  t.strictSame(Object.keys(document.paths[functionPath] ?? {}), ['get'])
  t.strictSame(document.paths[functionPath]?.get?.parameters?.map((p) => [p.name, p.in]), [['browseSessionBaseId', 'path'], ['nextFetchToken', 'path']])
  t.strictSame(Object.keys(document.paths['/beta/solutions/backupRestore/browseSessions/{browseSessionBaseId}/microsoft.graph.browse'] ?? {}), ['post'], 'the action alone at its own path')
})

t.test('every Graph answer: Graph\'s headers required, errors with Graph\'s body', async (t) => {
  const document = await describe(t)
  let responses = 0
  for (const [path, item] of Object.entries(document.paths)) {
    if (!/^\/(beta|v1\.0)\//.test(path)) continue
    for (const [method, operation] of Object.entries(item)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        responses++
        const headers = response.headers ?? {}
        const required = ['request-id', 'client-request-id', 'OData-Version', 'Cache-Control'].filter((name) => headers[name]?.required === true)
        if (required.length !== 4) t.fail(`${method} ${path} ${status}: Graph's headers`, { headers })
        if (Number(status) >= 400) {
          const body = response.content?.['application/json']?.schema
          if (body?.required?.[0] !== 'error') t.fail(`${method} ${path} ${status}: Graph's error body`, { body })
        }
      }
    }
  }
  t.ok(responses > 2000, `${responses} responses checked`)
})

t.test('links: a create and a page lead to the entity; the entity\'s operations to one another', async (t) => {
  const document = await describe(t)
  const get = 'beta.solution.backupRestore_GetExchangeRestoreSession'
  t.strictSame(document.paths[LIST]?.post?.responses['201']?.links?.['get'], { operationId: get, parameters: { exchangeRestoreSessionId: '$response.body#/id' } })
  t.strictSame(document.paths[LIST]?.get?.responses['200']?.links?.['get'], { operationId: get, parameters: { exchangeRestoreSessionId: '$response.body#/value/0/id' } })
  t.strictSame(document.paths[LIST]?.post?.responses['201']?.links?.['post_mailboxRestoreArtifacts'], {
    operationId: 'beta.solution.backupRestore.exchangeRestoreSession_CreateMailboxRestoreArtifact',
    parameters: { exchangeRestoreSessionId: '$response.body#/id' }
  }, 'and to its nested sets')
  t.strictSame(document.paths[ENTITY]?.delete?.responses['204']?.links?.['get'], { operationId: get, parameters: { exchangeRestoreSessionId: '$request.path.exchangeRestoreSessionId' } }, 'a DELETE leads to the GET that must then be 404')
  const artifacts = `${ENTITY}/mailboxRestoreArtifacts`
  t.strictSame(document.paths[artifacts]?.post?.responses['201']?.links?.['get'], {
    operationId: 'beta.solution.backupRestore.exchangeRestoreSession_GetMailboxRestoreArtifact',
    parameters: { exchangeRestoreSessionId: '$request.path.exchangeRestoreSessionId', mailboxRestoreArtifactId: '$response.body#/id' }
  }, 'a nested create keeps its parent\'s key')
})
