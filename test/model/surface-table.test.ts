// The README's "What it serves" table is the one the models generate (src/model/surface-table.ts):
// it fails when the README's copy is stale (fix: `npm run readme:surface`), and it checks the
// generator's own rules on the real models.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { betaModel } from '../../src/model/generated/beta.js'
import { v1Model } from '../../src/model/generated/v1.0.js'
import { readmeSurfaceTable, surfaceTable, SURFACE_END, SURFACE_START, withSurfaceTable } from '../../src/model/surface-table.js'
import { projectRoot } from '../../src/paths.js'
import { servedMethodsOf } from '../../src/model/surface-served.js'

const table = surfaceTable([betaModel, v1Model], servedMethodsOf)
const rows = table.split('\n').slice(2)

function rowFor (name: string, text = table): string | undefined {
  return text.split('\n').find((line) => line.startsWith(`| \`${name}\``))
}

t.test('the README\'s table is the generated one (npm run readme:surface rewrites it)', async (t) => {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
  const inReadme = readmeSurfaceTable(readme)
  t.not(inReadme, undefined, `README.md has the ${SURFACE_START} … ${SURFACE_END} section`)
  t.equal(inReadme, table, 'README.md\'s surface table is up to date; run npm run readme:surface')
})

t.test('one row per root-level set or singleton of either version, the root first', async (t) => {
  const names = (model: typeof betaModel): string[] => model.types[model.root.type]?.navigationProperties.map((nav) => nav.name) ?? []
  const expected = [...new Set([...names(betaModel), ...names(v1Model)])]
  t.equal(rows.length, expected.length + 1)
  t.match(rows[0]?.replace(/\*\*/g, ''), /^\| \(the root itself\) \| `backupRestoreRoot` \| GET PATCH DELETE \|/)
  for (const name of expected) t.ok(rowFor(name), `a row for ${name}`)
  for (const model of [betaModel, v1Model]) {
    for (const path of model.paths) {
      const first = path.segments[1]
      if (first?.kind === 'navigation') t.ok(rowFor(first.name), `${model.version} ${path.path} has its row`)
    }
  }
})

t.test('what a row says, on the real models (served marks aside: the last test checks those against the app)', async (t) => {
  const plain = (name: string): string | undefined => rowFor(name)?.replace(/\*\*/g, '')
  t.equal(plain('exchangeRestoreSessions'),
    '| `exchangeRestoreSessions` | `Collection(exchangeRestoreSession)` | set: GET POST · `{id}`: GET PATCH DELETE | ' +
    '`{id}/granularMailboxRestoreArtifacts` GET POST PATCH DELETE<br>`{id}/granularMailboxRestoreArtifacts/{id}/restorePoint` GET<br>' +
    '`{id}/mailboxRestoreArtifacts` GET POST PATCH DELETE<br>`{id}/mailboxRestoreArtifacts/{id}/restorePoint` GET<br>' +
    '`{id}/mailboxRestoreArtifactsBulkAdditionRequests` GET POST PATCH DELETE | — |')
  t.match(plain('browseSessions'), /^\| `browseSessions` \(beta only\) \|/, 'a beta-only set says so')
  t.match(plain('browseSessions'), /function `\{id\}\/microsoft\.graph\.browse\(nextFetchToken\)` \(GET(, not served)?\) \|$/, 'the browse function is listed')
  t.match(plain('oneDriveForBusinessRestoreSessions'), /`\{id\}\/granularDriveRestoreArtifacts` GET POST PATCH DELETE \(beta only\)/, 'a beta-only nested set says so')
  t.match(plain('protectionUnits'), /cast `microsoft\.graph\.mailboxProtectionUnit` \(on the set, `\{id\}`\)/, 'a cast on the set and on its items')
  t.match(plain('protectionUnits'), /action `\{id\}\/microsoft\.graph\.offboard` \(POST(, not served)?; beta only\)/, 'a beta-only action')
  t.match(plain('restorePoints'), /action `microsoft\.graph\.search` \(POST(, not served)?\)/, 'an action bound to a set')
  t.notMatch(plain('restoreSessions'), /only/, 'a set of both versions has no version note')
})

t.test('the served marks follow the rule it is given, and a single version has no version notes', async (t) => {
  const nothingServed = surfaceTable([betaModel, v1Model], () => [])
  t.notMatch(nothingServed.split('\n').slice(2).join('\n'), /\*\*/, 'nothing served: nothing bold')
  t.match(rowFor('exchangeRestoreSessions', nothingServed), /set: GET POST · `\{id\}`: GET PATCH DELETE/)
  const v1Only = surfaceTable([v1Model], servedMethodsOf)
  t.notMatch(v1Only, /only\)/, 'one version: no "only" notes')
  t.equal(rowFor('browseSessions', v1Only), undefined, 'no row for a set v1.0 lacks')
})

t.test('withSurfaceTable replaces the section between the markers and nothing else', async (t) => {
  const readme = `# x\n\nbefore\n${SURFACE_START}\nold\n${SURFACE_END}\nafter\n`
  t.equal(withSurfaceTable(readme, '| new |'), `# x\n\nbefore\n${SURFACE_START}\n| new |\n${SURFACE_END}\nafter\n`)
  t.equal(readmeSurfaceTable(withSurfaceTable(readme, '| new |')), '| new |')
  t.throws(() => withSurfaceTable('# no markers\n', '| new |'), /README\.md has no/)
  t.equal(readmeSurfaceTable('# no markers\n'), undefined)
})

t.test('what the table calls served is routed, and every other method of the contract is refused as not served', async (t) => {
  // Placeholder keys: a served method answers anything but 405 and ResourceNotServed (an unknown id
  // is a 404 of its own); one not served answers 405 (a path served for other methods) or 404
  // ResourceNotServed (an operation not implemented yet).
  const app = await buildApp()
  t.teardown(async () => { await app.close() })
  const key = '00000000-0000-4000-8000-000000000000'
  for (const model of [betaModel, v1Model]) {
    for (const path of model.paths) {
      const served = servedMethodsOf(model, path)
      const url = `/${model.version}${path.path.replace(/\{nextFetchToken\}/g, 'token').replace(/\{[^}]+\}/g, key)}`
      for (const { method } of path.operations) {
        const body = method === 'GET' || method === 'DELETE' ? {} : { payload: '{}', headers: { authorization: 'Bearer x', 'content-type': 'application/json' } }
        const response = await app.inject({ method, url, headers: { authorization: 'Bearer x' }, ...body })
        const notServed = response.statusCode === 405 || (response.statusCode === 404 && response.body.includes('"ResourceNotServed"'))
        t.equal(notServed, !served.includes(method), `${method} ${url} → ${response.statusCode} (the table says ${served.includes(method) ? 'served' : 'not served'})`)
      }
    }
  }
})
