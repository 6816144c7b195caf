// HTTPS material: a team's own PEM files, or a self-signed certificate for localhost, 127.0.0.1 and
// ::1 generated at start (clients trust it through NODE_EXTRA_CA_CERTS).

import { readFile, writeFile } from 'node:fs/promises'
import { generate } from 'selfsigned'
import { ConfigError } from './config.js'

export interface TlsMaterial {
  readonly cert: string
  readonly key: string
}

async function readPem (path: string, name: string, marker: RegExp): Promise<string> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable'
    throw new ConfigError(`${name}: cannot read '${path}' (${code})`)
  }
  if (!marker.test(text)) throw new ConfigError(`${name}: '${path}' is not a PEM file of the expected kind`)
  return text
}

/** Reads TLS_CERT and TLS_KEY. */
export async function loadTlsFiles (certPath: string, keyPath: string): Promise<TlsMaterial> {
  return {
    cert: await readPem(certPath, 'TLS_CERT', /-----BEGIN CERTIFICATE-----/),
    key: await readPem(keyPath, 'TLS_KEY', /-----BEGIN [A-Z ]*PRIVATE KEY-----/)
  }
}

/** A fresh self-signed certificate (EC P-256, one year) for the loopback names. */
export async function generateSelfSigned (now = new Date()): Promise<TlsMaterial> {
  const notAfterDate = new Date(now.getTime() + 365 * 24 * 3600 * 1000)
  const pems = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'graph-mock' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60 * 1000),
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] }
    ]
  })
  return { cert: pems.cert, key: pems.private }
}

/** Writes the certificate (not the key) where a client can pick it up. */
export async function writeCertificate (path: string, cert: string): Promise<void> {
  try {
    await writeFile(path, cert, { mode: 0o644 })
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unwritable'
    throw new ConfigError(`TLS_CERT_OUT: cannot write '${path}' (${code})`)
  }
}
