// Raw HTTP/1.1 over a socket, for what `inject` cannot express: bytes Node's parser rejects, repeated
// header lines, header-name case, and bodies that are still being sent when the answer comes.

import { connect, type Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'

export interface RawAnswer {
  /** 0 when no status line arrived. */
  statusCode: number
  /** Lower-cased names; a repeated header keeps its last value. */
  headers: Record<string, string>
  body: string
  /** Everything received. */
  text: string
  /** Bytes of the request written before the answer arrived or the socket closed. */
  bytesWritten: number
  /** A socket error, if any (e.g. ECONNRESET after the answer). */
  socketError: string | undefined
  milliseconds: number
}

/** The port of a listening app. */
export function portOf (app: FastifyInstance): number {
  const address = app.server.address()
  if (typeof address !== 'object' || address === null) throw new Error('the app is not listening on a TCP port')
  return address.port
}

function parse (text: string): Pick<RawAnswer, 'statusCode' | 'headers' | 'body'> {
  const end = text.indexOf('\r\n\r\n')
  const head = end === -1 ? text : text.slice(0, end)
  const [statusLine = '', ...lines] = head.split('\r\n')
  const statusCode = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0)
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim()
  }
  return { statusCode, headers, body: end === -1 ? '' : text.slice(end + 4) }
}

export interface SendOptions {
  /** Sent after `head`, chunk by chunk with backpressure, until the answer arrives. */
  body?: { chunk: Buffer, count: number }
  /** Give up (destroy the socket) after this long. */
  timeoutMs?: number
}

/**
 * Writes `head` (latin1: each char one byte, so any byte can be sent), then the body chunks, and
 * collects the answer until the server closes the connection (send `Connection: close` for answers
 * that keep it alive).
 */
export async function sendRaw (port: number, head: string | Buffer, options: SendOptions = {}): Promise<RawAnswer> {
  const started = performance.now()
  const socket: Socket = connect(port, '127.0.0.1')
  let received = Buffer.alloc(0)
  let bytesWritten = 0
  let socketError: string | undefined
  const state = { answered: false }
  const done = new Promise<void>((resolve) => {
    socket.on('data', (data: Buffer) => { received = Buffer.concat([received, data]); state.answered = true })
    socket.on('error', (error: NodeJS.ErrnoException) => { socketError = error.code ?? error.message })
    socket.on('close', () => { resolve() })
  })
  const timer = setTimeout(() => { socket.destroy() }, options.timeoutMs ?? 5000)
  await new Promise<void>((resolve) => { socket.once('connect', resolve); socket.once('error', () => { resolve() }) })
  const headBytes = typeof head === 'string' ? Buffer.from(head, 'latin1') : head
  socket.write(headBytes)
  bytesWritten += headBytes.length
  if (options.body !== undefined) {
    for (let i = 0; i < options.body.count && !state.answered && !socket.destroyed; i++) {
      bytesWritten += options.body.chunk.length
      if (!socket.write(options.body.chunk)) {
        await new Promise<void>((resolve) => { socket.once('drain', resolve); socket.once('close', resolve) })
      }
    }
  }
  await done
  clearTimeout(timer)
  const text = received.toString('latin1')
  return { ...parse(text), text, bytesWritten, socketError, milliseconds: performance.now() - started }
}

/** A request head: `GET <target> HTTP/1.1`, Host, the given header lines, `Connection: close`. */
export function requestHead (target: string, headerLines: readonly string[] = [], method = 'GET'): string {
  return [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...headerLines, 'Connection: close', '', ''].join('\r\n')
}
