// HTTPS material: a team's own PEM files, or a self-signed certificate for localhost, 127.0.0.1 and
// ::1, generated at start or kept in a folder (TLS_DIR) and reused while it is valid, so that a
// certificate trusted once (NODE_EXTRA_CA_CERTS, an OS trust store) stays trusted across restarts.

import { X509Certificate, createPrivateKey } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
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

/** The files of a certificate folder (TLS_DIR). */
export const CERT_FILE = 'graph-mock.pem'
export const KEY_FILE = 'graph-mock.key'

/** A kept certificate is replaced this long before it expires, so that no run starts with one about to lapse. */
const RENEW_BEFORE_MS = 7 * 24 * 3600 * 1000

/**
 * Whether `material` is a certificate this mock can keep serving at `now`: it parses, matches its key,
 * covers localhost, 127.0.0.1 and ::1, and stays valid for at least another week.
 */
export function stillValid (material: TlsMaterial, now = new Date()): boolean {
  try {
    const cert = new X509Certificate(material.cert)
    if (!cert.checkPrivateKey(createPrivateKey(material.key))) return false
    if (cert.checkHost('localhost') === undefined || cert.checkIP('127.0.0.1') === undefined || cert.checkIP('::1') === undefined) return false
    return new Date(cert.validFrom).getTime() <= now.getTime() && new Date(cert.validTo).getTime() - RENEW_BEFORE_MS > now.getTime()
  } catch {
    return false
  }
}

async function readIfPresent (path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return undefined
  }
}

/** Writes through a temporary file and a rename, so that a concurrent reader never sees half a file. */
async function writeAtomically (path: string, text: string, mode: number): Promise<void> {
  const partial = `${path}.${process.pid}.${Date.now()}.tmp`
  await writeFile(partial, text, { mode })
  await rename(partial, path)
}

export interface KeptCertificate {
  readonly material: TlsMaterial
  /** The certificate file (the key is beside it, readable by its owner only). */
  readonly certPath: string
  /** True when the folder already held a valid certificate. */
  readonly reused: boolean
}

/**
 * The certificate kept in `dir` (`graph-mock.pem`, `graph-mock.key`), reused while `stillValid`;
 * otherwise a new one is generated and written there (the folder is created if need be).
 */
export async function certificateIn (dir: string, now = new Date()): Promise<KeptCertificate> {
  const certPath = join(dir, CERT_FILE)
  const keyPath = join(dir, KEY_FILE)
  const [cert, key] = await Promise.all([readIfPresent(certPath), readIfPresent(keyPath)])
  if (cert !== undefined && key !== undefined && stillValid({ cert, key }, now)) return { material: { cert, key }, certPath, reused: true }
  const material = await generateSelfSigned(now)
  try {
    await mkdir(dir, { recursive: true })
    // The key first: a reader that finds the new certificate finds its key too.
    await writeAtomically(keyPath, material.key, 0o600)
    await writeAtomically(certPath, material.cert, 0o644)
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unwritable'
    throw new ConfigError(`TLS_DIR: cannot write the certificate to '${dir}' (${code})`)
  }
  return { material, certPath, reused: false }
}
