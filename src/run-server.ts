// runServer(argv, env): the server process's life: configuration from the environment and argv → start
// the mock → close gracefully on SIGTERM/SIGINT. Importing it has no side effects; src/server.ts
// (`npm start`, the container) and src/cli.ts (the `graph-mock` bin) call it with the process's argv
// and env. It owns the process from then on: it writes to stdout/stderr, sets up signal handlers and
// exits with 2 on a bad setting, 1 on a broken fixture or another start failure.

import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, helpText, parseConfig } from './config.js'
import { packageVersion } from './paths.js'
import { startGraphMock, type GraphMock } from './start.js'
import { isFixtureError } from './store/index.js'
import { generateSelfSigned, loadTlsFiles, writeCertificate } from './tls.js'

/** How long a graceful close may take before the process exits anyway. */
const CLOSE_TIMEOUT_MS = 8000

function fail (message: string, exitCode: number): never {
  process.stderr.write(`graph-mock: ${message}\n`)
  process.exit(exitCode)
}

function closeOnSignals (mock: GraphMock): void {
  let closing = false
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) process.exit(1)
    closing = true
    mock.app.log.info(`${signal} received: closing`)
    setTimeout(() => { process.exit(1) }, CLOSE_TIMEOUT_MS).unref()
    mock.close().then(() => { process.exit(0) }, () => { process.exit(1) })
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
  try {
    const config = parseConfig(env, argv)
    const { port, host, tls, tlsCert, tlsKey, tlsCertOut, ...appSettings } = config
    const material = tlsCert !== undefined && tlsKey !== undefined
      ? await loadTlsFiles(tlsCert, tlsKey)
      : tls ? await generateSelfSigned() : undefined
    // The certificate is on disk before the server says it is listening, so a client that waits
    // for that line can trust it at once.
    const certPath = material === undefined ? undefined : tlsCertOut ?? (tlsCert === undefined ? join(tmpdir(), 'graph-mock-cert.pem') : undefined)
    if (material !== undefined && certPath !== undefined) await writeCertificate(certPath, material.cert)
    mock = await startGraphMock({ ...appSettings, port, host, tls: material })
    if (certPath !== undefined && tlsCert === undefined) {
      mock.app.log.info(`self-signed certificate for localhost, 127.0.0.1 and ::1 written to ${certPath} (trust it with NODE_EXTRA_CA_CERTS=${certPath})`)
    }
    const count = mock.app.fixtureStore.exchangeRestoreSessions.length
    mock.app.log.info(`loaded ${count} exchangeRestoreSessions from ${config.fixturesDir}`)
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2)
    if (isFixtureError(error)) fail(error.message, 1)
    fail(error instanceof Error ? error.message : String(error), 1)
  }
  closeOnSignals(mock)
}
