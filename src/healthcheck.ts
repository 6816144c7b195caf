// The container's HEALTHCHECK: GET /healthz on this process's own PORT (HTTPS when TLS is on; the
// certificate is not verified, it is usually self-signed). Exit 0 on 200, 1 otherwise, with the
// reason on stderr. node:http(s) rather than fetch: fetch cannot skip certificate verification.
// Imports nothing of the app, so it starts in milliseconds.

import { get as httpGet, type IncomingMessage } from 'node:http'
import { get as httpsGet } from 'node:https'
import { pathToFileURL } from 'node:url'

export interface HealthTarget {
  https: boolean
  host: string
  port: number
}

const TRUE = /^(1|true|yes|on)$/i

/** Where the server of this environment listens. */
export function healthTarget (env: NodeJS.ProcessEnv): HealthTarget {
  const host = env.HOST === undefined || ['', '0.0.0.0', '::'].includes(env.HOST.trim()) ? '127.0.0.1' : env.HOST.trim()
  const port = Number(env.PORT ?? '8080')
  return { https: TRUE.test(env.TLS ?? '') || (env.TLS_CERT ?? '') !== '', host, port: Number.isInteger(port) ? port : 8080 }
}

/** Resolves with the status of GET /healthz, or rejects with why there was none. */
export function checkHealth (target: HealthTarget, timeoutMs = 2000): Promise<number> {
  return new Promise((resolve, reject) => {
    const options = { host: target.host, port: target.port, path: '/healthz', timeout: timeoutMs, rejectUnauthorized: false }
    const onResponse = (response: IncomingMessage): void => {
      response.resume()
      resolve(response.statusCode ?? 0)
    }
    const request = target.https ? httpsGet(options, onResponse) : httpGet(options, onResponse)
    request.on('timeout', () => { request.destroy(new Error(`no answer within ${timeoutMs} ms`)) })
    request.on('error', reject)
  })
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  checkHealth(healthTarget(process.env)).then((status) => {
    if (status !== 200) process.stderr.write(`healthcheck: /healthz answered ${status}\n`)
    process.exit(status === 200 ? 0 : 1)
  }, (error: unknown) => {
    process.stderr.write(`healthcheck: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  })
}
