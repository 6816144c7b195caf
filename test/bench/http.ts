// One request at a time over a keep-alive connection, for the scenarios that chain requests (a write
// and the read of what it wrote, a whole restore workflow) and time them from this process.

import { Agent, request } from 'node:http'

export const AUTH = { authorization: 'Bearer bench-token' }
export const JSON_AUTH = { ...AUTH, 'content-type': 'application/json' }

export interface Answer {
  readonly status: number
  readonly body: Buffer
}

/** A keep-alive agent with `sockets` connections at most. */
export function keepAlive (sockets = 1): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets })
}

/** Sends one request; `body` is sent as JSON text (a string as it is). */
export async function send (agent: Agent, method: string, url: string, body?: unknown, headers: Record<string, string> = AUTH): Promise<Answer> {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  const all = text === undefined ? { ...headers, 'content-length': '0' } : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) }
  return await new Promise<Answer>((resolve, reject) => {
    const req = request(url, { agent, method, headers: all }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => { chunks.push(chunk) })
      response.on('error', reject)
      response.on('end', () => { resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }) })
    })
    req.on('error', reject)
    req.end(text)
  })
}

/** The answer's JSON body when its status is the one expected; else an error naming the request. */
export function expectJson<T> (answer: Answer, status: number, what: string): T {
  if (answer.status !== status) throw new Error(`${what}: HTTP ${answer.status} (expected ${status}): ${answer.body.toString('utf8').slice(0, 300)}`)
  return JSON.parse(answer.body.toString('utf8')) as T
}

/** Whether `url` answers 200 to a GET (a feature probe: the control plane may not be there). */
export async function answers200 (url: string, headers: Record<string, string> = AUTH): Promise<boolean> {
  const agent = keepAlive()
  try {
    return (await send(agent, 'GET', url, undefined, headers)).status === 200
  } catch {
    return false
  } finally {
    agent.destroy()
  }
}
