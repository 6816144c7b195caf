// Scenario 4: process start to first 200. Spawns the server the way the container runs it (the built
// `dist/src/server.js` when it is up to date with src/, else `src/server.ts` under tsx) and polls the
// list until it answers 200. Also reads the process's resident size at that moment (scenario 5).

import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { get } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median } from './load.js'
import { freePort, residentBytes, stopProcess, track } from './processes.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const POLL_MS = 5
const START_TIMEOUT_MS = 60_000

export interface ServerCommand {
  readonly args: readonly string[]
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

/** The built server when dist/ is newer than every source file, else the TypeScript entry under tsx. */
export function serverCommand (): ServerCommand {
  const built = join(ROOT, 'dist/src/server.js')
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'schemas')))) {
    return { args: [built], label: 'node dist/src/server.js (built)' }
  }
  return { args: ['--import', 'tsx', join(ROOT, 'src/server.ts')], label: 'node --import tsx src/server.ts (dist/ missing or older than src/: run npm run build)' }
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
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', FIXTURES_DIR: fixturesDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit']
  })
  track(child)
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before answering`)
      if (await status(`http://127.0.0.1:${port}${path}`, headers) === 200) break
      if (performance.now() - started > START_TIMEOUT_MS) throw new Error('the server did not answer 200 in time')
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
