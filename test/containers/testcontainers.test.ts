// The README's "Testcontainers for Node" recipe, run as written, against the image built from this
// Dockerfile (test/containers/image.sh), with podman standing in for Docker: `podman system service`
// offers the Docker API on a socket, DOCKER_HOST names it, and Ryuk is off (its image cannot be
// pulled here), so the recipe's own `container.stop()` removes the container, and this test removes
// it if the recipe did not get that far.
//
// The snippet is taken from README.md at run time: the one line that says where the code under test
// goes is replaced by a call into this test, which then checks what a user's tests would rely on:
// /healthz, Graph with a bearer token (the mounted fixtures, PAGE_SIZE), and the admin client the
// snippet defines (reset, a manual clock advanced, the requests journal). It runs in a folder of a
// user's project with `test/graph-fixtures`, since the snippet resolves that path from the working
// directory. Without podman (or not as root) this test fails; it does not skip.

import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import t from 'tap'
import { tsImport } from 'tsx/esm/api'
import { buildImage, fixtureSet, missingToolchain, podman, readmeBlock, root, startService, writeProjectFixtures } from './podman.js'

// A first build of the image takes minutes (image.sh: about 2 on these machines, more when loaded);
// with the image current, the whole test takes seconds.
t.setTimeout(25 * 60_000)

const PLACEHOLDER = '// … run the code under test against graphRoot'
const HOOK = 'graphMockReadmeUnderTest'
const SESSIONS = '/solutions/backupRestore/exchangeRestoreSessions'
const AUTH = { authorization: 'Bearer testcontainers' }
const JSON_BODY = { 'content-type': 'application/json' }

interface Admin {
  reset: () => Promise<Response>
  advance: (by: string) => Promise<Response>
  requests: (query?: string) => Promise<unknown[]>
}
interface ReadmeContext {
  container: { getId: () => string }
  origin: string
  graphRoot: string
  admin: Admin
}
interface Journal { method: string, url: string, status: number }
interface Clock { mode: string, speed: number, now: string, pending: number }
interface Session { id: string, status: string, completedDateTime: string | null }

/** The README snippet with the placeholder line replaced by a call of globalThis[HOOK]. */
async function snippetUnderTest (): Promise<string> {
  const snippet = await readmeBlock('### Testcontainers for Node', 'ts')
  const lines = snippet.split('\n')
  const at = lines.filter((line) => line.startsWith(PLACEHOLDER))
  if (at.length !== 1) throw new Error(`the README's Testcontainers snippet must have one line starting '${PLACEHOLDER}'; it has ${at.length}`)
  return lines.map((line) => line.startsWith(PLACEHOLDER)
    ? `await (globalThis as unknown as Record<string, (context: object) => Promise<void>>)[${JSON.stringify(HOOK)}]!({ container, origin, graphRoot, admin })`
    : line).join('\n')
}

async function json<T> (response: Response): Promise<T> {
  return await response.json() as T
}

const missing = missingToolchain(['podman', 'runc', 'debootstrap'])
if (missing !== undefined) {
  t.fail(`cannot run the README's Testcontainers recipe: ${missing}`)
} else {
  t.test('the README Testcontainers recipe against the image, through podman\'s Docker API', async (t) => {
    const image = await buildImage()
    t.equal(image.code, 0, `image.sh built or found the image (${image.ms} ms)`, { stderr: image.stderr.slice(-3000) })
    if (image.code !== 0) return
    t.comment(`image: ${image.ms} ms (${image.stderr.includes('is current') ? 'current, not rebuilt' : 'built'})`)

    const work = await mkdtemp(join(tmpdir(), 'graph-mock-testcontainers-'))
    t.teardown(async () => { await rm(work, { recursive: true, force: true }) })
    const fixtures = await writeProjectFixtures(work)
    const sessions = await fixtureSet<Session>(fixtures, 'exchangeRestoreSessions')
    const units = await fixtureSet<{ id: string }>(fixtures, 'mailboxProtectionUnits')
    const points = await fixtureSet<{ id: string, protectionUnit: { id: string } }>(fixtures, 'restorePoints')
    const mailboxPoint = points.find((point) => units.some((unit) => unit.id === point.protectionUnit.id))
    t.ok(sessions.length === 12 && mailboxPoint !== undefined, 'the project\'s fixtures: 12 Exchange sessions and a mailbox restore point')

    const service = await startService(work)
    t.teardown(service.close)
    t.comment(`podman system service: answering in ${service.ms} ms`)

    // The generated module sits in node_modules/.cache, out of the lint and the type-check, where
    // `import 'testcontainers'` resolves from it; .mts makes it an ES module there, and tsx (which,
    // unlike tap's loader, compiles TypeScript under node_modules) imports it.
    const generated = join(root, 'node_modules', '.cache', 'graph-mock-containers', `readme-testcontainers-${process.pid}.mts`)
    await mkdir(join(generated, '..'), { recursive: true })
    await writeFile(generated, await snippetUnderTest())
    t.teardown(async () => { await rm(generated, { force: true }) })

    let containerId = ''
    t.teardown(async () => {
      if (containerId !== '' && (await podman(['container', 'exists', containerId])).code === 0) await podman(['rm', '-f', containerId])
    })
    const timing = { start: Date.now(), started: 0, stopped: 0 }

    const hook = async ({ container, origin, graphRoot, admin }: ReadmeContext): Promise<void> => {
      timing.started = Date.now()
      containerId = container.getId()
      t.match(origin, /^http:\/\/[^/]+:\d+$/, 'origin: the host and mapped port Testcontainers gives')
      t.equal(graphRoot, `${origin}/beta`)

      const health = await fetch(`${origin}/healthz`)
      t.equal(health.status, 200, 'GET /healthz, which the wait strategy waited on: 200')
      t.strictSame(await health.json(), { status: 'ok' })

      // The bind-mounted fixtures (12 sessions, not the bundled 20), served PAGE_SIZE=10 a page.
      const first = await fetch(`${graphRoot}${SESSIONS}`, { headers: AUTH })
      t.equal(first.status, 200, 'GET the Exchange sessions with a bearer token: 200')
      const page1 = await json<{ '@odata.nextLink'?: string, value: Session[] }>(first)
      t.strictSame(page1.value.map((s) => s.id), sessions.slice(0, 10).map((s) => s.id), 'the first 10 sessions of test/graph-fixtures (PAGE_SIZE=10)')
      const next = page1['@odata.nextLink'] ?? ''
      t.ok(next.startsWith(`${graphRoot}${SESSIONS}?`), `the nextLink stays on the mapped origin: ${next}`)
      const page2 = await json<{ '@odata.nextLink'?: string, value: Session[] }>(await fetch(next, { headers: AUTH }))
      t.strictSame(page2.value.map((s) => s.id), sessions.slice(10).map((s) => s.id), 'the last 2 on the next page')
      t.equal(page2['@odata.nextLink'], undefined, 'and no further page')
      const anonymous = await fetch(`${graphRoot}${SESSIONS}`)
      t.equal(anonymous.status, 401, 'without a bearer token: 401')
      t.equal((await json<{ error: { code: string } }>(anonymous)).error.code, 'InvalidAuthenticationToken')

      // CLOCK_MODE=manual: time stands still until the admin client moves it.
      const clock0 = await json<Clock>(await fetch(`${origin}/__admin/clock`))
      t.strictSame(clock0, { mode: 'manual', speed: 1, now: clock0.now, pending: clock0.pending }, 'GET /__admin/clock: manual')
      const created = await fetch(`${graphRoot}${SESSIONS}`, {
        method: 'POST',
        headers: { ...AUTH, ...JSON_BODY },
        body: JSON.stringify({ mailboxRestoreArtifacts: [{ restorePoint: { id: mailboxPoint?.id }, destinationType: 'new' }] })
      })
      t.equal(created.status, 201, 'a restore session created: 201')
      const session = await json<Session>(created)
      t.equal(session.status, 'draft')
      const activated = await fetch(`${graphRoot}/solutions/backupRestore/restoreSessions/${session.id}/activate`, { method: 'POST', headers: AUTH })
      t.equal(activated.status, 200, 'activated: 200')
      t.equal((await json<Session>(activated)).status, 'activating')
      await new Promise((resolve) => setTimeout(resolve, 1600))
      const one = `${graphRoot}${SESSIONS}/${session.id}`
      const still = await json<Session>(await fetch(one, { headers: AUTH }))
      t.equal(still.status, 'activating', 'more than three restore steps of real time later, still activating: the clock is manual')

      const advanced = await admin.advance('PT5M')
      t.equal(advanced.status, 200, 'admin.advance(\'PT5M\'): 200')
      const clock1 = await json<Clock>(advanced)
      t.strictSame(clock1, { mode: 'manual', speed: 1, now: new Date(Date.parse(clock0.now) + 300_000).toISOString(), pending: clock0.pending }, 'the clock is 5 minutes on, none of the session\'s steps left pending')
      const done = await json<Session>(await fetch(one, { headers: { ...AUTH, prefer: 'include-unknown-enum-members' } }))
      t.ok(['completed', 'completedWithError', 'failed'].includes(done.status), `the session ended in the jump: ${done.status}`)
      t.equal(Date.parse(done.completedDateTime ?? ''), Date.parse(clock0.now) + 1500, 'stamped three RESTORE_STEPs (0.5 s) after its activation, not at the end of the jump')

      // The journal: every Graph request since the snippet's admin.reset(), oldest first.
      const entries = (await admin.requests()) as Journal[]
      const path = (url: string): string => { const u = new URL(url); return u.pathname + u.search }
      t.strictSame(entries.map((e) => [e.method, e.url, e.status]), [
        ['GET', `/beta${SESSIONS}`, 200],
        ['GET', path(next), 200],
        ['GET', `/beta${SESSIONS}`, 401],
        ['POST', `/beta${SESSIONS}`, 201],
        ['POST', `/beta/solutions/backupRestore/restoreSessions/${session.id}/activate`, 200],
        ['GET', `/beta${SESSIONS}/${session.id}`, 200],
        ['GET', `/beta${SESSIONS}/${session.id}`, 200]
      ], 'admin.requests(): the journal of this test\'s Graph requests')
      const posts = (await admin.requests('?method=POST')) as Journal[]
      t.strictSame(posts.map((e) => [e.method, e.url, e.status]), [
        ['POST', `/beta${SESSIONS}`, 201],
        ['POST', `/beta/solutions/backupRestore/restoreSessions/${session.id}/activate`, 200]
      ], 'admin.requests(\'?method=POST\'): the two POSTs')

      const reset = await admin.reset()
      t.equal(reset.status, 200, 'admin.reset(): 200')
      t.strictSame(await reset.json(), { reset: ['default'] })
      t.equal((await fetch(one, { headers: AUTH })).status, 404, 'after the reset the created session is gone')
      t.strictSame(((await admin.requests()) as Journal[]).map((e) => [e.method, e.status]), [['GET', 404]], 'and the journal holds only the request after it')
      // CLOCK_START unset: a reset starts the clock again from the real time, so not 5 minutes ahead.
      const clock2 = await json<Clock>(await fetch(`${origin}/__admin/clock`))
      t.ok(clock2.mode === 'manual' && Date.parse(clock2.now) >= Date.parse(clock0.now) && Date.parse(clock2.now) <= Date.now(), `and the clock is back on real time, manual: ${clock2.now}`)
      timing.stopped = Date.now()
    }
    Object.assign(globalThis, { [HOOK]: hook })
    t.teardown(() => { Reflect.deleteProperty(globalThis, HOOK) })

    // The snippet's environment: DOCKER_HOST, Ryuk off; its working directory, the user's project.
    const saved = { cwd: process.cwd(), DOCKER_HOST: process.env.DOCKER_HOST, RYUK: process.env.TESTCONTAINERS_RYUK_DISABLED }
    process.env.DOCKER_HOST = service.dockerHost
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true'
    process.chdir(work)
    try {
      await tsImport(pathToFileURL(generated).href, import.meta.url)
    } finally {
      process.chdir(saved.cwd)
      if (saved.DOCKER_HOST === undefined) delete process.env.DOCKER_HOST
      else process.env.DOCKER_HOST = saved.DOCKER_HOST
      if (saved.RYUK === undefined) delete process.env.TESTCONTAINERS_RYUK_DISABLED
      else process.env.TESTCONTAINERS_RYUK_DISABLED = saved.RYUK
    }
    const end = Date.now()
    t.ok(timing.stopped > 0, 'the code under test ran to its end')
    t.not(containerId, '', 'the snippet started a container')
    t.equal((await podman(['container', 'exists', containerId])).code, 1, 'the snippet\'s container.stop() removed the container')
    t.comment(`container start (snippet to ready): ${timing.started - timing.start} ms; code under test: ${timing.stopped - timing.started} ms; stop: ${end - timing.stopped} ms`)
  })
}
