// runServer(argv, env): the server process's life: configuration from the environment and argv → start
// the mock → close gracefully on SIGTERM/SIGINT. Importing it has no side effects; src/server.ts
// (`npm start`, the container) and src/cli.ts (the `graph-mock` bin) call it with the process's argv
// and env. It owns the process from then on: it writes to stdout/stderr, sets up signal handlers and
// exits with 2 on a bad setting, 1 on a broken fixture or another start failure.

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, helpText, parseConfig, type Config } from './config.js'
import { packageVersion } from './paths.js'
import { startMock, type GraphMock } from './start.js'
import { isFixtureError, type StoredEntity } from './store/index.js'
import { CERT_FILE, certificateIn, generateSelfSigned, loadTlsFiles, writeCertificate, type TlsMaterial } from './tls.js'

/** How long a graceful close may take before the process exits anyway. */
const CLOSE_TIMEOUT_MS = 8000

function fail (message: string, exitCode: number): never {
  process.stderr.write(`graph-mock: ${message}\n`)
  process.exit(exitCode)
}

function closeOnSignals (mock: GraphMock, cleanUp: () => Promise<void>): void {
  let closing = false
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) process.exit(1)
    closing = true
    mock.app.log.info(`${signal} received: closing`)
    setTimeout(() => { process.exit(1) }, CLOSE_TIMEOUT_MS).unref()
    mock.close().then(cleanUp).then(() => { process.exit(0) }, () => { process.exit(1) })
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
}

export async function runServer (argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText() + '\n')
    return
  }
  if (argv.includes('--version')) {
    process.stdout.write(packageVersion + '\n')
    return
  }
  let mock: GraphMock
  let cleanUp = async (): Promise<void> => {}
  try {
    const config = parseConfig(env, argv)
    const { port, host, tls, tlsCert, tlsKey, tlsCertOut, tlsDir, ...appSettings } = config
    // The certificate is on disk before the server says it is listening, so a client that waits
    // for that line can trust it at once.
    const https = await httpsMaterial(config)
    cleanUp = https?.cleanUp ?? cleanUp
    mock = await startMock({ ...appSettings, port, host, tls: https?.material }, 'PORT or --port')
    if (https?.announce !== undefined) mock.app.log.info(https.announce)
    mock.app.log.info(`loaded ${loadedSummary(mock.app.fixtureStore.root)} from ${config.fixturesDir}`)
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2)
    if (isFixtureError(error)) fail(error.message, 1)
    fail(error instanceof Error ? error.message : String(error), 1)
  }
  closeOnSignals(mock, cleanUp)
}

/** Every distinct record below `entity` (a record may be in several collections), and those of exchangeRestoreSessions. */
function collectRecords (entity: StoredEntity, all: Set<object>, sessions: Set<object>): void {
  for (const [name, collection] of entity.collections) {
    for (const child of collection.entities) {
      all.add(child.row)
      if (name === 'exchangeRestoreSessions') sessions.add(child.row)
      collectRecords(child, all, sessions)
    }
  }
  for (const single of entity.singles.values()) collectRecords(single, all, sessions)
}

/** `60 exchangeRestoreSessions`, and how many records in all when there are others. */
function loadedSummary (root: StoredEntity): string {
  const all = new Set<object>()
  const sessions = new Set<object>()
  collectRecords(root, all, sessions)
  return all.size === sessions.size ? `${sessions.size} exchangeRestoreSessions` : `${sessions.size} exchangeRestoreSessions (${all.size} records in all)`
}

interface HttpsSetup {
  readonly material: TlsMaterial
  /** The start-up line that says where the certificate is, for a generated one. */
  readonly announce: string | undefined
  /** Removes what this instance alone wrote (its temporary folder). */
  readonly cleanUp: () => Promise<void>
}

const nothingToRemove = async (): Promise<void> => {}

/**
 * The HTTPS material: the team's own files (TLS_CERT/TLS_KEY); the certificate kept in TLS_DIR,
 * reused while valid; or a new one, written to a temporary folder of this instance's own, so that
 * concurrent instances never overwrite each other's. TLS_CERT_OUT gets a copy in every case.
 */
async function httpsMaterial (config: Config): Promise<HttpsSetup | undefined> {
  const { tls, tlsCert, tlsKey, tlsCertOut, tlsDir } = config
  if (tlsCert !== undefined && tlsKey !== undefined) {
    const material = await loadTlsFiles(tlsCert, tlsKey)
    if (tlsCertOut !== undefined) await writeCertificate(tlsCertOut, material.cert)
    return { material, announce: undefined, cleanUp: nothingToRemove }
  }
  if (!tls) return undefined
  const names = 'self-signed certificate for localhost, 127.0.0.1 and ::1'
  if (tlsDir !== undefined) {
    const kept = await certificateIn(tlsDir)
    if (tlsCertOut !== undefined) await writeCertificate(tlsCertOut, kept.material.cert)
    const path = tlsCertOut ?? kept.certPath
    const how = kept.reused ? `reused from ${kept.certPath}` : `written to ${kept.certPath}`
    return { material: kept.material, announce: `${names} ${how} (trust it with NODE_EXTRA_CA_CERTS=${path})`, cleanUp: nothingToRemove }
  }
  const material = await generateSelfSigned()
  if (tlsCertOut !== undefined) {
    await writeCertificate(tlsCertOut, material.cert)
    return { material, announce: `${names} written to ${tlsCertOut} (trust it with NODE_EXTRA_CA_CERTS=${tlsCertOut})`, cleanUp: nothingToRemove }
  }
  const dir = await mkdtemp(join(tmpdir(), 'graph-mock-'))
  const path = join(dir, CERT_FILE)
  await writeCertificate(path, material.cert)
  return {
    material,
    announce: `${names} written to ${path} (trust it with NODE_EXTRA_CA_CERTS=${path}; removed when the mock stops)`,
    cleanUp: async () => { await rm(dir, { recursive: true, force: true }) }
  }
}
