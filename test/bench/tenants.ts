// The tenants the benchmark generates with the project's own generator (src/fixtures, as `npm run
// fixtures` runs it), and what the scenarios read back from their files.

import { spawn } from 'node:child_process'
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { track } from './processes.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export type Row = Readonly<Record<string, unknown>>

/** Every file of a fixtures folder, in bytes. */
export function folderBytes (dir: string): number {
  return readdirSync(dir).filter((name) => name.endsWith('.json')).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0)
}

/** `npm run fixtures` with these flags; resolves once the folder is written. */
export async function generate (out: string, args: readonly string[]): Promise<{ ms: number, bytes: number }> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/fixtures/cli.ts'), ...args, '--out', out], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] })
  track(child)
  const code = await new Promise<number | null>((resolve) => { child.once('exit', resolve) })
  if (code !== 0) throw new Error(`the fixture generator (${args.join(' ')}) exited with ${String(code)}`)
  return { ms: performance.now() - started, bytes: folderBytes(out) }
}

export function readRows (dir: string, set: string): Row[] {
  const parsed = JSON.parse(readFileSync(join(dir, `${set}.json`), 'utf8')) as unknown
  const rows = Array.isArray(parsed) ? parsed : (parsed as { value?: unknown }).value
  if (!Array.isArray(rows)) throw new Error(`${set}.json holds no array of records`)
  return rows as Row[]
}

/** Enough restore points for 10 artifacts from 10 different mailboxes (an artifact per mailbox and session). */
export const WRITE_TENANT_ARGS = ['--restore-points', '2000', '--units', '40', '--seed', '7'] as const

export interface WriteTenant {
  readonly dir: string
  /** Exchange restore sessions in the tenant (the other workloads have none). */
  readonly sessions: number
  readonly bytes: number
  readonly generatedMs: number
  readonly args: readonly string[]
}

/**
 * A tenant of `sessions` exchange restore sessions (with their artifacts) for the write scenarios:
 * the generator's tenant with that many sessions per workload, the SharePoint and OneDrive sessions
 * left out, so that the set written to is the only one of that size (and 100,000 sessions load in
 * a third of the time and memory).
 */
export async function writeTenant (dir: string, sessions: number): Promise<WriteTenant> {
  const args = ['--count', String(sessions), ...WRITE_TENANT_ARGS]
  const { ms } = await generate(dir, args)
  for (const set of ['sharePointRestoreSessions', 'oneDriveForBusinessRestoreSessions']) rmSync(join(dir, `${set}.json`))
  return { dir, sessions, bytes: folderBytes(dir), generatedMs: ms, args }
}

function idOf (value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string' ? value.id : undefined
}

/** One restore point of each of `count` different mailboxes (the newest of each), from the folder's files. */
export function mailboxRestorePoints (dir: string, count: number): string[] {
  const mailboxes = new Set(readRows(dir, 'mailboxProtectionUnits').map((unit) => String(unit['id'])))
  const byUnit = new Map<string, string>()
  for (const point of readRows(dir, 'restorePoints')) {
    const unit = idOf(point['protectionUnit'])
    const id = idOf(point)
    if (unit !== undefined && id !== undefined && mailboxes.has(unit) && !byUnit.has(unit)) byUnit.set(unit, id)
  }
  const points = [...byUnit.values()].slice(0, count)
  if (points.length < count) throw new Error(`${dir}: only ${points.length} mailboxes have restore points; ${count} are needed`)
  return points
}

/** The ids of the first `count` exchange restore sessions of the folder. */
export function sessionIds (dir: string, count: number): string[] {
  return readRows(dir, 'exchangeRestoreSessions').slice(0, count).map((row) => String(row['id']))
}
