// Each version serves its own surface. A GET path of the beta document that the v1.0 document lacks
// (browse sessions, allMailboxesBackup, emailNotificationsSetting, the granular drive and site
// artifacts, …), asked under /v1.0, is Graph's 400 for a segment it does not know, naming the first
// segment that v1.0 lacks: "Resource not found for the segment '<segment>'." The paths come from the
// two documents themselves; the keys before that segment are real v1.0 ids from the bundled tenant.

import t from 'tap'
import { buildApp } from '../../src/app.js'
import { answerProblems } from '../hardening/graph-error-shape.js'
import { getPaths, wholeContract } from './documents.js'
import { graphError, parseTemplate, PathWalker, type TemplateSegment } from './path-walk.js'

const AUTH = { authorization: 'Bearer x' }
/** Stands in for the keys after the unknown segment: Graph rejects the segment before reading any key. */
const ANY_KEY = '5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31'

function templateOf (segments: readonly TemplateSegment[]): string {
  return segments.map((segment) => {
    switch (segment.kind) {
      case 'name': return segment.text
      case 'key': return `{${segment.parameter}}`
      case 'cast': return segment.type
      case 'count': return '$count'
      case 'function': return segment.text
    }
    return ''
  }).join('/')
}

function concrete (segment: TemplateSegment): string {
  switch (segment.kind) {
    case 'name': return segment.text
    case 'key': return ANY_KEY
    case 'cast': return segment.type
    case 'count': return '$count'
    case 'function': return segment.text.replace(/\{[^}]+\}/g, 'token')
  }
  return ''
}

t.test('a beta-only path under /v1.0 is Graph\'s 400 for the first segment v1.0 does not know', async (t) => {
  const beta = wholeContract('beta')
  const v1 = wholeContract('v1.0')
  const v1Prefixes = new Set<string>()
  for (const path of Object.keys(v1.paths)) {
    const segments = parseTemplate(path, v1)
    for (let length = 1; length <= segments.length; length++) v1Prefixes.add(templateOf(segments.slice(0, length)))
  }
  const betaOnly = getPaths(beta).filter((path) => v1.paths[path] === undefined)
  t.ok(betaOnly.length >= 15, `beta has GET paths that v1.0 lacks (${betaOnly.length})`)
  t.ok(betaOnly.includes('/solutions/backupRestore/browseSessions'), 'browseSessions is among them')

  const app = await buildApp()
  t.teardown(async () => { await app.close() })
  const walker = new PathWalker(app, AUTH)
  const unknownSegments = new Set<string>()

  for (const path of betaOnly) {
    const segments = parseTemplate(path, beta)
    const at = segments.findIndex((_, index) => !v1Prefixes.has(templateOf(segments.slice(0, index + 1))))
    const unknown = segments[at]
    if (unknown?.kind !== 'name') {
      t.fail(`${path}: the first segment v1.0 lacks is not a name (${JSON.stringify(unknown)})`)
      continue
    }
    unknownSegments.add(unknown.text)
    // The keys before the unknown segment are real v1.0 ids where the tenant has them.
    const known = await walker.walk('/v1.0', segments.slice(0, at))
    const prefix = known.stoppedAt === undefined ? known.url : `/v1.0/${segments.slice(0, at).map(concrete).join('/')}`
    const url = [prefix, ...segments.slice(at).map(concrete)].join('/')

    const answer = await walker.get(url)
    t.equal(answer.statusCode, 400, `GET ${url}`, { body: answer.body.slice(0, 600) })
    t.strictSame(answerProblems({ method: 'GET', ...answer }), [], `GET ${url}: Graph's error body and headers`)
    if (answer.statusCode === 400) {
      t.strictSame(JSON.parse(answer.body), graphError(answer, 'BadRequest', `Resource not found for the segment '${unknown.text}'.`), `GET ${url}`)
    }
  }
  t.strictSame([...unknownSegments].sort(), [
    'allDrivesBackup', 'allMailboxesBackup', 'allSitesBackup', 'browseSessions', 'emailNotificationsSetting',
    'granularDriveRestoreArtifacts', 'granularSiteRestoreArtifacts', 'oneDriveForBusinessBrowseSessions', 'sharePointBrowseSessions'
  ], 'the segments v1.0 lacks')
})

t.test('the same paths under /beta are not that 400', async (t) => {
  // The control: what /v1.0 refuses, /beta knows (whatever it then answers for these paths).
  const app = await buildApp()
  t.teardown(async () => { await app.close() })
  for (const segment of ['allDrivesBackup', 'allMailboxesBackup', 'allSitesBackup', 'browseSessions', 'emailNotificationsSetting', 'oneDriveForBusinessBrowseSessions', 'sharePointBrowseSessions']) {
    const response = await app.inject({ method: 'GET', url: `/beta/solutions/backupRestore/${segment}`, headers: AUTH })
    t.not(response.statusCode, 400, `GET /beta/solutions/backupRestore/${segment} (${response.body.slice(0, 200)})`)
  }
})
