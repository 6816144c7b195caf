// Tokens for tests, three ways: `graph-mock token`, createToken() from the package entry, and the
// claims they carry. (POST /__admin/token is in hook.test.ts, beside the app it is registered in.)

import { execFile } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { compactVerify, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import t from 'tap'
import { runTokenCommand, TOKEN_USAGE } from '../../src/auth/token-command.js'
import { DEFAULT_APP, DEFAULT_USER, MOCK_TENANT_ID } from '../../src/auth/token.js'
import { createToken } from '../../src/index.js'

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0)
const IAT = NOW / 1000
const SECRET = 'token test secret'

async function run (argv: string[], env: Record<string, string> = {}): Promise<{ code: number, out: string[], err: string[] }> {
  const out: string[] = []
  const err: string[] = []
  const code = await runTokenCommand(argv, env, { out: (line) => out.push(line), err: (line) => err.push(line) }, () => NOW)
  return { code, out, err }
}

t.test('graph-mock token --scopes: a delegated token, unsigned without a key', async (t) => {
  const result = await run(['--scopes', 'BackupRestore-Restore.Read.All', 'BackupRestore-Search.Read.All', '--name', 'Megan Bowen', '--oid', 'user-7'])
  t.equal(result.code, 0)
  t.strictSame(result.err, [])
  t.equal(result.out.length, 1, 'the token alone, on one line')
  const token = result.out[0] ?? ''
  t.strictSame(decodeProtectedHeader(token), { alg: 'none' })
  t.strictSame(decodeJwt(token), {
    aud: 'https://graph.microsoft.com',
    iss: `https://sts.windows.net/${MOCK_TENANT_ID}/`,
    iat: IAT,
    nbf: IAT,
    exp: IAT + 3600,
    tid: MOCK_TENANT_ID,
    appid: DEFAULT_APP.appid,
    app_displayname: DEFAULT_APP.displayName,
    idtyp: 'user',
    oid: 'user-7',
    ver: '1.0',
    name: 'Megan Bowen',
    scp: 'BackupRestore-Restore.Read.All BackupRestore-Search.Read.All'
  })
})

t.test('graph-mock token --roles with AUTH_SECRET: an application token signed HS256', async (t) => {
  const result = await run(['--roles', 'BackupRestore-Restore.ReadWrite.All', '--expires-in', '-60', '--appid', 'app-3', '--app-name', 'Nightly restore'], { AUTH_SECRET: SECRET })
  t.equal(result.code, 0)
  const token = result.out[0] ?? ''
  t.strictSame(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT' })
  await t.resolves(compactVerify(token, new TextEncoder().encode(SECRET)), 'signed with the secret')
  const payload = decodeJwt(token)
  t.match(payload, { roles: ['BackupRestore-Restore.ReadWrite.All'], idtyp: 'app', appid: 'app-3', oid: 'app-3', app_displayname: 'Nightly restore', exp: IAT - 60 })
  t.notOk('scp' in payload, 'no scp on an application token')
  t.notOk('name' in payload, 'no user name on an application token')
  const flag = await run(['--roles', 'A', '--auth-secret', SECRET])
  await t.resolves(jwtVerify(flag.out[0] ?? '', new TextEncoder().encode(SECRET), { currentDate: new Date(NOW) }), 'the secret as a flag')
})

t.test('graph-mock token with a PEM signing key', async (t) => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const dir = t.testdir({
    'public.pem': pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    'private.pem': pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  })
  const result = await run(['--scopes', 'A,B'], { AUTH_PUBLIC_KEY: join(dir, 'public.pem'), AUTH_SIGNING_KEY: join(dir, 'private.pem') })
  t.equal(result.code, 0)
  const { payload, protectedHeader } = await jwtVerify(result.out[0] ?? '', pair.publicKey, { currentDate: new Date(NOW) })
  t.equal(protectedHeader.alg, 'ES256')
  t.equal(payload['scp'], 'A B', 'comma-separated scopes are split too')
})

t.test('graph-mock token: usage errors exit 2 with one line', async (t) => {
  const cases: Array<[string[], string]> = [
    [['--scopes', 'A', '--roles', 'B'], 'graph-mock token: a token carries scopes (delegated) or roles (application), not both (see graph-mock token --help)'],
    [['--scopes'], 'graph-mock token: option --scopes needs at least one permission (see graph-mock token --help)'],
    [['--expires-in', 'soon'], "graph-mock token: option --expires-in must be a whole number of seconds, got 'soon' (see graph-mock token --help)"],
    [['--name'], 'graph-mock token: option --name needs a value (see graph-mock token --help)'],
    [['--bogus'], "graph-mock token: unknown option '--bogus' (see graph-mock token --help)"],
    [['--kid', 'k1'], "graph-mock token: no signing key has kid 'k1' (no signing key is configured) (see graph-mock token --help)"]
  ]
  for (const [argv, message] of cases) {
    t.strictSame(await run(argv), { code: 2, out: [], err: [message] }, argv.join(' '))
  }
  t.strictSame(await run(['--help']), { code: 0, out: [TOKEN_USAGE], err: [] })
})

t.test('the bin dispatches `graph-mock token`', async (t) => {
  const cli = fileURLToPath(new URL('../../src/cli.ts', import.meta.url))
  const env: Record<string, string | undefined> = { ...process.env, AUTH_SECRET: SECRET }
  delete env['NODE_OPTIONS']
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'token', '--scopes', 'BackupRestore-Restore.Read.All'], { env })
  t.equal(stderr, '')
  const { payload } = await jwtVerify(stdout.trim(), new TextEncoder().encode(SECRET))
  t.equal(payload['scp'], 'BackupRestore-Restore.Read.All')
})

t.test('createToken from the package entry', async (t) => {
  const unsigned = await createToken({ scopes: ['BackupRestore-Restore.Read.All'], now: () => NOW })
  t.strictSame(decodeProtectedHeader(unsigned), { alg: 'none' })
  t.match(decodeJwt(unsigned), { scp: 'BackupRestore-Restore.Read.All', oid: DEFAULT_USER.oid, name: DEFAULT_USER.name, iat: IAT, exp: IAT + 3600 })
  const signed = await createToken({ roles: ['BackupRestore-Control.Read.All'], authSecret: SECRET, expiresIn: 60 })
  const { payload } = await jwtVerify(signed, new TextEncoder().encode(SECRET))
  t.strictSame(payload['roles'], ['BackupRestore-Control.Read.All'])
  t.equal(Number(payload.exp) - Number(payload.iat), 60)
  await t.rejects(createToken({ scopes: ['two words'] }), /scopes must be a list of permission names, each one word/)
  await t.rejects(createToken({ expiresIn: 1.5 }), /expiresIn must be a whole number of seconds, got 1.5/)
})
