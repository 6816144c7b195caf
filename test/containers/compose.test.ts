// The README's "Docker Compose" recipe, run as written, with Debian's podman-compose standing in for
// `docker compose`: its compose file, taken from README.md at run time byte for byte, in a folder of
// a user's project (test/containers/compose-project: a package.json whose `npm test` checks the mock
// from inside the compose network, and test/graph-fixtures written here). The graph-mock service
// uses the image test/containers/image.sh builds (podman-compose builds only a missing image), the
// tests service node:24-bookworm-slim, which here is image.sh's local stand-in of that name.
//
// podman-compose 1.0.3 (Debian 12) creates and starts the services in dependency order but ignores
// `condition: service_healthy`, and podman runs health checks from systemd timers, which these
// machines lack. So the test does what the condition asks: `up --no-start`, then it starts graph-mock,
// runs its health check until healthy, and only then starts tests. Without podman-compose (or not
// as root) this test fails; it does not skip.

import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { parse } from 'yaml'
import { buildImage, fixtureSet, missingToolchain, podman, readmeBlock, root, run, writeProjectFixtures } from './podman.js'

t.setTimeout(25 * 60_000)

const HOST_PORT = 8080
const SESSIONS = '/beta/solutions/backupRestore/exchangeRestoreSessions'

interface Compose {
  services: Record<string, { image?: string, ports?: string[], depends_on?: Record<string, { condition?: string }> }>
}
interface Journal { method: string, url: string, status: number, headers: Record<string, string> }

/** Whether nothing listens on port (the recipe publishes 8080:8080 on every interface). */
async function portFree (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => { resolve(false) })
    server.listen(port, '0.0.0.0', () => { server.close(() => { resolve(true) }) })
  })
}

const missing = missingToolchain(['podman', 'runc', 'debootstrap', 'podman-compose'])
if (missing !== undefined) {
  t.fail(`cannot run the README's Compose recipe: ${missing}`)
} else {
  t.test('the README Compose recipe, with podman-compose', async (t) => {
    const yamlText = await readmeBlock('### Docker Compose', 'yaml')
    const compose = parse(yamlText) as Compose
    const mock = compose.services['graph-mock']
    const tests = compose.services.tests
    t.ok(mock !== undefined && tests !== undefined, 'the recipe has the services graph-mock and tests')
    if (mock === undefined || tests === undefined) return
    t.strictSame(mock.ports, [`${HOST_PORT}:8080`], 'graph-mock publishes 8080:8080')
    t.equal(tests.depends_on?.['graph-mock']?.condition, 'service_healthy', 'tests waits for graph-mock to be healthy (done here by the test)')

    const image = await buildImage()
    t.equal(image.code, 0, `image.sh built or found the image (${image.ms} ms)`, { stderr: image.stderr.slice(-3000) })
    if (image.code !== 0) return
    t.comment(`image: ${image.ms} ms (${image.stderr.includes('is current') ? 'current, not rebuilt' : 'built'})`)
    const free = await portFree(HOST_PORT)
    t.ok(free, `port ${HOST_PORT} is free for the recipe's graph-mock (something else listens there otherwise)`)
    if (!free) return

    const work = await mkdtemp(join(tmpdir(), 'graph-mock-compose-'))
    t.teardown(async () => { await rm(work, { recursive: true, force: true }) })
    const template = join(root, 'test', 'containers', 'compose-project')
    for (const name of await readdir(template)) await copyFile(join(template, name), join(work, name))
    await writeFile(join(work, 'docker-compose.yml'), yamlText)
    const sessions = await fixtureSet<{ id: string }>(await writeProjectFixtures(work), 'exchangeRestoreSessions')

    const project = `graphmockcompose${process.pid}`
    const mockName = `${project}_graph-mock_1`
    const testsName = `${project}_tests_1`
    const composeCmd = async (args: string[], timeoutMs: number): ReturnType<typeof run> =>
      await run('podman-compose', ['-p', project, ...args], { cwd: work, timeoutMs })
    let downDone = false
    t.teardown(async () => {
      if (!downDone) await composeCmd(['down'], 60_000)
      const left = await podman(['ps', '-aq', '--filter', `label=io.podman.compose.project=${project}`])
      for (const id of left.stdout.split('\n').filter(Boolean)) await podman(['rm', '-f', id])
      if ((await podman(['network', 'exists', `${project}_default`])).code === 0) await podman(['network', 'rm', '-f', `${project}_default`])
    })

    const up = await composeCmd(['up', '--no-start'], 120_000)
    t.equal(up.code, 0, `podman-compose up --no-start: the network and both containers created (${up.ms} ms)`, { output: (up.stdout + up.stderr).slice(-3000) })
    const created = await podman(['ps', '-a', '--filter', `label=io.podman.compose.project=${project}`, '--format', '{{.Names}} {{.Image}}'])
    t.strictSame(created.stdout.trim().split('\n').sort(), [
      `${mockName} localhost/graph-mock:latest`,
      `${testsName} docker.io/library/node:24-bookworm-slim`
    ], 'graph-mock from the local image; tests from node:24-bookworm-slim (the stand-in)')

    const timing = { start: Date.now(), healthy: 0, tested: 0 }
    const started = await podman(['start', mockName])
    t.equal(started.code, 0, 'graph-mock started', { stderr: started.stderr })
    let healthy = false
    while (!healthy && Date.now() - timing.start < 60_000) {
      healthy = (await podman(['healthcheck', 'run', mockName], 15_000)).code === 0
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 500))
    }
    timing.healthy = Date.now()
    const health = await podman(['inspect', mockName, '--format', '{{.State.Health.Status}}'])
    t.equal(health.stdout.trim(), 'healthy', `graph-mock is healthy by the recipe's health check (${timing.healthy - timing.start} ms after start)`)

    // From the host, through the published port.
    const listed = await fetch(`http://127.0.0.1:${HOST_PORT}${SESSIONS}?$count=true&$top=1`, { headers: { authorization: 'Bearer host' } })
    t.equal(listed.status, 200, `GET http://127.0.0.1:${HOST_PORT}${SESSIONS} from the host: 200`)
    t.equal((await listed.json() as { '@odata.count': number })['@odata.count'], sessions.length, 'the project\'s 12 sessions (FIXTURES_DIR=/fixtures, mounted)')
    await fetch(`http://127.0.0.1:${HOST_PORT}/__admin/requests`, { method: 'DELETE' })

    const ran = await podman(['start', '--attach', testsName], 300_000)
    timing.tested = Date.now()
    const exit = await podman(['inspect', testsName, '--format', '{{.State.ExitCode}}'])
    t.equal(exit.stdout.trim(), '0', `the tests service's \`npm ci && npm test\` passed (${timing.tested - timing.healthy} ms)`, { output: (ran.stdout + ran.stderr).slice(-4000) })
    t.match(ran.stdout, /^ℹ pass 4$/m, 'its node --test run (Node.js 24, spec reporter): 4 passed')
    t.match(ran.stdout, /^ℹ fail 0$/m, 'none failed')

    // The mock's journal, read from the host: the tests container's requests, sent to graph-mock:8080.
    const journal = await (await fetch(`http://127.0.0.1:${HOST_PORT}/__admin/requests`)).json() as { requests: Journal[] }
    t.strictSame(journal.requests.map((e) => [e.method, e.url, e.status, e.headers.host]), [
      ['GET', `${SESSIONS}?$select=id,status&$count=true&$top=999`, 200, 'graph-mock:8080'],
      ['GET', SESSIONS, 401, 'graph-mock:8080']
    ], 'the journal: the tests container reached http://graph-mock:8080/beta by the service name')

    const down = await composeCmd(['down'], 60_000)
    downDone = true
    t.equal(down.code, 0, `podman-compose down (${down.ms} ms)`, { output: (down.stdout + down.stderr).slice(-3000) })
    const left = await podman(['ps', '-aq', '--filter', `label=io.podman.compose.project=${project}`])
    t.equal(left.stdout.trim(), '', 'no container of the project is left')
    t.comment(`compose: up ${up.ms} ms, healthy ${timing.healthy - timing.start} ms, tests ${timing.tested - timing.healthy} ms, down ${down.ms} ms`)
  })
}
