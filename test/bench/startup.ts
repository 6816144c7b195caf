// Scenario 4: process start to first 200. Spawns the server the way the container runs it (the built
// `dist/src/server.js` when it is up to date with src/, else `src/server.ts` under tsx) and polls the
// list until it answers 200. Also reads the process's resident size at that moment (scenario 5).

import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { get } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { median } from './load.js'
import { freePort, residentBytes, stopProcess, track } from './processes.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const POLL_MS = 5
const START_TIMEOUT_MS = 60_000

export interface ServerCommand {
  readonly args: readonly string[]
  readonly env?: Readonly<Record<string, string>>
  /** How the report names it. */
  readonly label: string
}

function newestMtime (dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

function isBuilt (file: string): boolean {
  return existsSync(file) && statSync(file).mtimeMs >= Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'schemas')))
}

/** The built server when dist/ is newer than every source file, else the TypeScript entry under tsx. */
export function serverCommand (): ServerCommand {
  const built = join(ROOT, 'dist/src/server.js')
  if (isBuilt(built)) return { args: [built], label: 'node dist/src/server.js (built)' }
  return { args: ['--import', 'tsx', join(ROOT, 'src/server.ts')], label: 'node --import tsx src/server.ts (dist/ missing or older than src/: run npm run build)' }
}

/**
 * startGraphMock alone, from the same build (or src/ under tsx), with the settings the server reads
 * from PORT, HOST and FIXTURES_DIR: what start-up costs without the server entry's own steps. The
 * benchmark uses it when the server entry cannot start.
 */
export function startFunctionCommand (): ServerCommand {
  const built = join(ROOT, 'dist/src/start.js')
  const code = [
    'const { startGraphMock } = await import(process.env.BENCH_START_MODULE)',
    "await startGraphMock({ port: Number(process.env.PORT), host: process.env.HOST, fixturesDir: process.env.FIXTURES_DIR, logLevel: 'warn' })"
  ].join('\n')
  if (isBuilt(built)) {
    return { args: ['--input-type=module', '-e', code], env: { BENCH_START_MODULE: pathToFileURL(built).href }, label: 'startGraphMock from dist/src/start.js (built)' }
  }
  return {
    args: ['--import', 'tsx', '--input-type=module', '-e', code],
    env: { BENCH_START_MODULE: pathToFileURL(join(ROOT, 'src/start.ts')).href },
    label: 'startGraphMock from src/start.ts under tsx (dist/ missing or older than src/)'
  }
}

async function status (url: string, headers: Record<string, string>): Promise<number> {
  return await new Promise<number>((resolve) => {
    const req = get(url, { headers, agent: false }, (response) => {
      response.resume()
      response.on('end', () => { resolve(response.statusCode ?? 0) })
    })
    req.on('error', () => { resolve(0) })
  })
}

/** The server did not start: it exited, or never answered 200 in time. */
export class StartupError extends Error {}

export interface StartupRun {
  readonly ms: number
  readonly rssBytes: number | undefined
}

/** Spawn → first 200 on `path`, once. */
export async function startOnce (command: ServerCommand, fixturesDir: string, path: string, headers: Record<string, string>): Promise<StartupRun> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, command.args, {
    cwd: ROOT,
    env: { ...process.env, ...command.env, PORT: String(port), HOST: '127.0.0.1', FIXTURES_DIR: fixturesDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  track(child)
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => { if (stderr.length < 4096) stderr += chunk })
  try {
    for (;;) {
      if (child.exitCode !== null) throw new StartupError(`${command.label} exited with ${child.exitCode} before answering: ${stderr.trim()}`)
      if (await status(`http://127.0.0.1:${port}${path}`, headers) === 200) break
      if (performance.now() - started > START_TIMEOUT_MS) throw new StartupError(`${command.label} did not answer 200 in time: ${stderr.trim()}`)
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
    const ms = performance.now() - started
    return { ms, rssBytes: await residentBytes(child.pid ?? 0) }
  } finally {
    await stopProcess(child)
  }
}

export interface StartupFigures {
  readonly medianMs: number
  readonly runsMs: readonly number[]
  /** Resident size right after the first 200 (median of the runs). */
  readonly rssBytes: number | undefined
}

export async function measureStartup (command: ServerCommand, fixturesDir: string, path: string, headers: Record<string, string>, runs: number): Promise<StartupFigures> {
  const results: StartupRun[] = []
  for (let i = 0; i < runs; i++) results.push(await startOnce(command, fixturesDir, path, headers))
  const rss = results.map((r) => r.rssBytes).filter((value): value is number => value !== undefined)
  return { medianMs: median(results.map((r) => r.ms)), runsMs: results.map((r) => r.ms), rssBytes: rss.length === 0 ? undefined : median(rss) }
}
