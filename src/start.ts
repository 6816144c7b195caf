// startGraphMock(options): build the app and listen; returns the URL and a close function. The
// server process (src/run-server.ts) and test suites that start the mock themselves both use it.

import type { FastifyInstance } from 'fastify'
import { appOptionNames, buildApp, rejectUnknownOptions, type AppOptions } from './app.js'
import { ConfigError, settings, type Config } from './config.js'
import { generateSelfSigned, type TlsMaterial } from './tls.js'
import { controlOf, type MockControl } from './control/api.js'

export interface StartOptions extends Omit<AppOptions, 'https'> {
  /** TCP port; 0 (the default here) picks a free one. */
  port?: number
  /** Address to listen on; default 127.0.0.1. */
  host?: string
  /** HTTPS: `true` generates a self-signed certificate for localhost; or give PEM `{ cert, key }`. */
  tls?: boolean | TlsMaterial | undefined
}

/**
 * What Node's fetch takes as its `dispatcher` (the type @types/node gives RequestInit). The object is
 * an undici Agent; its own type differs from Node's copy in details no caller uses (FormData bodies).
 */
export type FetchDispatcher = NonNullable<RequestInit['dispatcher']>

export interface GraphMock extends MockControl {
  /** The origin, e.g. `http://127.0.0.1:8080`; the Graph root is `${url}/beta`. */
  readonly url: string
  readonly app: FastifyInstance
  /** The PEM certificate served over HTTPS (trust it with NODE_EXTRA_CA_CERTS), if any. */
  readonly certificate: string | undefined
  /**
   * Over HTTPS: an undici dispatcher that trusts `certificate`, for clients in this same process,
   * where NODE_EXTRA_CA_CERTS comes too late. Pass it to Node's fetch as `{ dispatcher }` (the Graph
   * JavaScript client: `fetchOptions: { dispatcher }`). `close()` closes it.
   */
  readonly dispatcher: FetchDispatcher | undefined
  /** Stops listening; requests in flight complete first. */
  close: () => Promise<void>
}

/** How a caller names the port: the option in code, the variable or flag on the command line. */
export type PortName = 'option port' | 'PORT or --port'

function listenError (error: unknown, host: string, port: number, portName: PortName): Error {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined
  if (code === 'EADDRINUSE') return new ConfigError(`port ${port} on ${host} is already in use (set ${portName} to another)`)
  if (code === 'EACCES') return new ConfigError(`not allowed to listen on port ${port} on ${host} (ports below 1024 need privileges)`)
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new ConfigError(`cannot listen on host '${host}': no such local address`)
  return error instanceof Error ? error : new Error(String(error))
}

/** The URL a client uses for an address the server is bound to. */
export function originFor (protocol: 'http' | 'https', host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host
  return `${protocol}://${shown}:${port}`
}

const startOptionNames: readonly string[] = ['port', 'host', 'tls', ...appOptionNames.filter((name) => name !== 'https')]

/** `port` or `host`, checked by the same rule as PORT or HOST. */
function listenSetting<K extends 'port' | 'host'> (key: K, value: unknown): Config[K] {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new ConfigError(`option ${key} must be a ${key === 'port' ? 'number' : 'string'}, got ${value === null ? 'null' : typeof value}`)
  }
  const setting = settings.find((candidate) => candidate.key === key)
  if (setting === undefined) throw new Error(`no setting ${key}`)
  // The setting found is the one for `key`, so its parser returns Config[K].
  return setting.parse(String(value), `option ${key}`) as Config[K]
}

function isPem (value: unknown): boolean {
  return typeof value === 'string' || Buffer.isBuffer(value)
}

/** `tls`: nothing, a boolean, or PEM `{ cert, key }`. */
function tlsOption (tls: unknown): TlsMaterial | boolean {
  if (tls === undefined) return false
  if (typeof tls === 'boolean') return tls
  if (typeof tls === 'object' && tls !== null && 'cert' in tls && 'key' in tls && isPem(tls.cert) && isPem(tls.key)) {
    return { cert: String(tls.cert), key: String(tls.key) }
  }
  throw new ConfigError('option tls must be true, false or { cert, key } with PEM strings')
}

/**
 * Builds the app and listens. Options are checked like the environment variables (a bad or unknown
 * one rejects with a ConfigError; a broken fixture with a FixtureError) before anything listens.
 */
export async function startGraphMock (options: StartOptions = {}): Promise<GraphMock> {
  return await startMock(options, 'option port')
}

/** startGraphMock, with the port named as the caller knows it (src/run-server.ts: PORT or --port). */
export async function startMock (options: StartOptions, portName: PortName): Promise<GraphMock> {
  rejectUnknownOptions(options, startOptionNames)
  const { port: portIn = 0, host: hostIn = '127.0.0.1', tls: tlsIn, ...appOptions } = options
  const port = listenSetting('port', portIn)
  const host = listenSetting('host', hostIn)
  const tls = tlsOption(tlsIn)
  const material = tls === true ? await generateSelfSigned() : tls === false ? undefined : tls
  const app = await buildApp(material === undefined ? appOptions : { ...appOptions, https: material })
  try {
    // Fastify logs this line once per address it listens on (at info): the ready signal for log-based waits.
    await app.listen({ port, host, listenTextResolver: (address) => `graph-mock listening on ${address} (Graph root ${address}/beta)` })
  } catch (error) {
    await app.close()
    throw listenError(error, host, port, portName)
  }
  const address = app.server.address()
  const boundPort = typeof address === 'object' && address !== null ? address.port : port
  const url = originFor(material === undefined ? 'http' : 'https', host, boundPort)
  // Loaded only for HTTPS, so that a plain mock does not load an HTTP client.
  const agent = material === undefined ? undefined : new (await import('undici')).Agent({ connect: { ca: material.cert } })
  return {
    ...controlOf(app),
    url,
    app,
    certificate: material?.cert,
    dispatcher: agent as unknown as FetchDispatcher | undefined,
    close: async () => {
      await agent?.close()
      await app.close()
    }
  }
}
