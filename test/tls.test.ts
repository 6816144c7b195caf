import { X509Certificate, createPrivateKey } from 'node:crypto'
import { join } from 'node:path'
import t from 'tap'
import { ConfigError } from '../src/config.js'
import { generateSelfSigned, loadTlsFiles, writeCertificate } from '../src/tls.js'

t.test('the generated certificate covers the loopback names and matches its key', async (t) => {
  const material = await generateSelfSigned(new Date('2026-01-01T00:00:00Z'))
  const cert = new X509Certificate(material.cert)
  t.equal(cert.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')
  t.ok(cert.checkPrivateKey(createPrivateKey(material.key)), 'the key belongs to the certificate')
  t.equal(cert.validTo, 'Jan  1 00:00:00 2027 GMT')
  t.ok(cert.checkHost('localhost'), 'valid for localhost')
  t.ok(cert.checkIP('127.0.0.1'), 'valid for 127.0.0.1')
})

t.test('PEM files are read, and a missing or wrong file is a clear ConfigError', async (t) => {
  const material = await generateSelfSigned()
  const dir = t.testdir({ 'cert.pem': material.cert, 'key.pem': material.key, 'junk.pem': 'hello' })
  t.strictSame(await loadTlsFiles(join(dir, 'cert.pem'), join(dir, 'key.pem')), material)
  await t.rejects(loadTlsFiles(join(dir, 'nope.pem'), join(dir, 'key.pem')), new ConfigError(`TLS_CERT: cannot read '${join(dir, 'nope.pem')}' (ENOENT)`))
  await t.rejects(loadTlsFiles(join(dir, 'cert.pem'), join(dir, 'junk.pem')), new ConfigError(`TLS_KEY: '${join(dir, 'junk.pem')}' is not a PEM file of the expected kind`))
  await t.rejects(loadTlsFiles(join(dir, 'key.pem'), join(dir, 'key.pem')), new ConfigError(`TLS_CERT: '${join(dir, 'key.pem')}' is not a PEM file of the expected kind`))
  await t.rejects(writeCertificate(join(dir, 'no', 'such', 'dir.pem'), material.cert), new ConfigError(`TLS_CERT_OUT: cannot write '${join(dir, 'no', 'such', 'dir.pem')}' (ENOENT)`))
})
