// What the container tests share: commands run through test/containers/podman.sh (the tests' own
// podman store and settings), each killed when its time is up; the image from image.sh; the
// Docker-compatible API socket of `podman system service`; the README's recipes as written there;
// and the folder of a user's project that the recipes assume (`test/graph-fixtures` in it).

import { spawn, spawnSync } from 'node:child_process'
import { chmod, mkdir, readdir, readFile } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { COMMITTED_FIXTURE, writeFixtures } from '../../src/fixtures/index.js'

export const root = fileURLToPath(new URL('../../', import.meta.url))
const wrapper = join(root, 'test', 'containers', 'podman.sh')

export interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
  readonly timedOut: boolean
}

export interface RunOptions {
  readonly timeoutMs: number
  readonly cwd?: string
  readonly env?: Record<string, string>
}

/**
 * Runs `command args` through podman.sh in a process group of its own, killed (the whole group) when
 * timeoutMs passes: a hung podman must not hold the suite.
 */
export async function run (command: string, args: readonly string[], options: RunOptions): Promise<Ran> {
  const started = Date.now()
  const child = spawn('bash', [wrapper, command, ...args], {
    cwd: options.cwd ?? root,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
  }, options.timeoutMs)
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', (error) => { stderr += String(error); resolve(null) })
    child.on('close', (exit) => { resolve(exit) })
  })
  clearTimeout(timer)
  return { code, stdout, stderr, ms: Date.now() - started, timedOut }
}

/** `podman args`, in the tests' store. */
export async function podman (args: readonly string[], timeoutMs = 60_000): Promise<Ran> {
  return await run('podman', args, { timeoutMs })
}

/**
 * Why these tests cannot run on this machine, or undefined. The caller fails on it: a missing tool
 * must not look like a pass. .ci/run installs the Debian packages when podman-compose is missing.
 */
export function missingToolchain (tools: readonly string[]): string | undefined {
  if (process.getuid?.() !== 0) return 'the container tests need root (podman with its own store); .ci/run runs as root'
  const missing = tools.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0)
  if (missing.length === 0) return undefined
  return `${missing.join(', ')} not installed: the container tests need podman, runc, netavark, aardvark-dns, debootstrap and podman-compose ` +
    '(.ci/run installs them: apt-get install --no-install-recommends podman runc netavark aardvark-dns iptables debootstrap podman-compose)'
}

/** The image `graph-mock`, built by image.sh unless it is current (the first build takes minutes). */
export async function buildImage (): Promise<Ran> {
  return await run('bash', [join(root, 'test', 'containers', 'image.sh')], { timeoutMs: 20 * 60_000 })
}

export interface Service {
  /** The socket, as DOCKER_HOST names it. */
  readonly dockerHost: string
  readonly ms: number
  readonly close: () => Promise<void>
}

/** GET path on the Docker API socket: the status, or undefined when nothing answers yet. */
async function socketGet (socketPath: string, path: string): Promise<number | undefined> {
  return await new Promise((resolve) => {
    const req = request({ socketPath, path, timeout: 2000 }, (res) => { res.resume(); resolve(res.statusCode) })
    req.on('error', () => { resolve(undefined) })
    req.on('timeout', () => { req.destroy(); resolve(undefined) })
    req.end()
  })
}

/**
 * `podman system service --time=0` on a socket in dir: the Docker-compatible API Testcontainers
 * talks to. Answers GET /_ping within 30 s, or this throws with what the service printed.
 */
export async function startService (dir: string): Promise<Service> {
  const started = Date.now()
  const socketPath = join(dir, 'podman.sock')
  // bash execs podman (podman.sh ends in exec), so the child's pid is the service's own.
  const child = spawn('bash', [wrapper, 'podman', 'system', 'service', '--time=0', `unix://${socketPath}`], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const exited = new Promise<void>((resolve) => { child.on('exit', () => { resolve() }) })
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => { resolve(false) }, 10_000))])
    if (!done) { child.kill('SIGKILL'); await exited }
  }
  while (Date.now() - started < 30_000) {
    if (await socketGet(socketPath, '/_ping') === 200) return { dockerHost: `unix://${socketPath}`, ms: Date.now() - started, close }
    if (child.exitCode !== null) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  await close()
  throw new Error(`podman system service did not answer on ${socketPath} within 30 s: ${stderr.slice(-2000)}`)
}

/** The fenced block of `lang` that comes first under the README heading `heading`, before any other heading. */
export async function readmeBlock (heading: string, lang: string): Promise<string> {
  const readme = await readFile(join(root, 'README.md'), 'utf8')
  const start = readme.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`README.md has no heading '${heading}'`)
  const rest = readme.slice(start + heading.length + 2)
  const fence = rest.indexOf('```' + lang + '\n')
  if (fence < 0 || /\n#{1,6} /.test(rest.slice(0, fence))) throw new Error(`README.md's '${heading}' has no \`\`\`${lang} block of its own`)
  const body = rest.slice(fence + lang.length + 4)
  return body.slice(0, body.indexOf('```'))
}

/** The fixtures of the user's project the recipes assume: seed 42, 12 restore sessions per workload. */
export const PROJECT_FIXTURES = { ...COMMITTED_FIXTURE, seed: 42, sessions: 12 }

/**
 * Writes `test/graph-fixtures` into dir (a user's project, as the recipes assume one), readable by
 * uid 1000 (the image's `node` user), and returns its folder.
 */
export async function writeProjectFixtures (dir: string): Promise<string> {
  const folder = join(dir, 'test', 'graph-fixtures')
  await mkdir(folder, { recursive: true })
  await writeFixtures({ ...PROJECT_FIXTURES, out: folder })
  await chmod(folder, 0o755)
  for (const name of await readdir(folder)) await chmod(join(folder, name), 0o644)
  return folder
}

/** An entity set of the fixtures written in folder. */
export async function fixtureSet<T> (folder: string, name: string): Promise<T[]> {
  return JSON.parse(await readFile(join(folder, `${name}.json`), 'utf8')) as T[]
}
