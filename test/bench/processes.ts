// Starting and stopping the benchmark's server children, and asking them for their memory. Every
// child started here is tracked, so that `stopAll` leaves nothing running whatever happened.

import { fork, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { ChildMessage, MemoryFigures, ParentMessage } from './protocol.js'

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url))
// Loading 100,000 sessions takes half a minute on a quiet machine and several on a busy one; a child
// that crashes is reported at once (its exit), so only a hung one waits this long.
const READY_TIMEOUT_MS = 600_000
const running = new Set<ChildProcess>()

export interface ServerChild {
  readonly origin: string
  readonly pid: number
  memory: () => Promise<MemoryFigures>
  /** A mock child: moves its clock by `ms` (running every task due by then) and resolves once it has. */
  advance: (ms: number) => Promise<void>
  stop: () => Promise<void>
}

function isMessage (value: unknown): value is ChildMessage {
  return typeof value === 'object' && value !== null && 'type' in value
}

/** Forks `child.ts <mode> …args` under tsx (with Node options of its own, e.g. --cpu-prof) and resolves once it listens. */
export async function startChild (mode: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, nodeOptions: readonly string[] = []): Promise<ServerChild> {
  const child = fork(CHILD, [mode, ...args], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...nodeOptions],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  running.add(child)
  child.once('exit', () => { running.delete(child) })
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`${mode} child did not start in time`)) }, READY_TIMEOUT_MS)
    child.on('message', (message: unknown) => {
      if (isMessage(message) && message.type === 'ready') {
        clearTimeout(timer)
        resolve(message.port)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${mode} child exited with ${String(code)} before it was ready`))
    })
  })
  let asked = 0
  const advances = new Map<number, { resolve: () => void, reject: (error: Error) => void }>()
  child.on('message', (message: unknown) => {
    if (!isMessage(message) || message.type !== 'advanced') return
    const waiting = advances.get(message.id)
    advances.delete(message.id)
    if (message.error === undefined) waiting?.resolve()
    else waiting?.reject(new Error(`${mode} child: ${message.error}`))
  })
  child.once('exit', (code) => {
    for (const waiting of advances.values()) waiting.reject(new Error(`${mode} child exited with ${String(code)} during a clock advance`))
    advances.clear()
  })
  return {
    origin: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    memory: async () => await new Promise<MemoryFigures>((resolve) => {
      const onMessage = (message: unknown): void => {
        if (isMessage(message) && message.type === 'memory') {
          child.off('message', onMessage)
          resolve(message.memory)
        }
      }
      child.on('message', onMessage)
      const ask: ParentMessage = { type: 'memory' }
      child.send(ask)
    }),
    advance: async (ms: number) => await new Promise<void>((resolve, reject) => {
      const id = ++asked
      advances.set(id, { resolve, reject })
      const ask: ParentMessage = { type: 'advance', id, ms }
      child.send(ask)
    }),
    stop: async () => { await stopProcess(child) }
  }
}

/** Ends a process this benchmark started: disconnect or SIGTERM, then SIGKILL after a grace period. */
export async function stopProcess (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => { child.once('exit', () => { resolve() }) })
  if (child.connected) child.disconnect()
  else child.kill('SIGTERM')
  const timer = setTimeout(() => { child.kill('SIGKILL') }, 5000)
  await exited
  clearTimeout(timer)
}

/** Registers a process started elsewhere in the benchmark so that stopAll covers it. */
export function track (child: ChildProcess): void {
  running.add(child)
  child.once('exit', () => { running.delete(child) })
}

export async function stopAll (): Promise<void> {
  await Promise.all([...running].map(stopProcess))
}

/** A port free right now on 127.0.0.1. */
export async function freePort (): Promise<number> {
  return await new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => { resolve(port) })
    })
  })
}

/** Resident set size of any process of ours, from /proc (Linux), in bytes. */
export async function residentBytes (pid: number): Promise<number | undefined> {
  const { readFile } = await import('node:fs/promises')
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status)
    return match?.[1] === undefined ? undefined : Number(match[1]) * 1024
  } catch {
    return undefined
  }
}
