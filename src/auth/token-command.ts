// `graph-mock token`: prints a bearer token for a mock in AUTH_MODE=permissions, signed with the key
// the mock is configured with (the same AUTH_* variables and flags). No side effects on import; the
// bin (src/cli.ts) calls runTokenCommand with its argv and env. Exit codes: 0 printed, 2 bad usage.

import { ConfigError, parseConfig } from '../config.js'
import { loadAuthKeys } from './keys.js'
import { DEFAULT_APP, DEFAULT_EXPIRES_IN, DEFAULT_USER, issueToken, type TokenOptions } from './token.js'

export interface TokenCommandOutput {
  readonly out: (line: string) => void
  readonly err: (line: string) => void
}

export const TOKEN_USAGE = [
  'Usage: graph-mock token [--scopes P ...] [--roles P ...] [options] [AUTH_* flags]',
  '',
  'Prints an access token for graph-mock in AUTH_MODE=permissions: delegated with --scopes (claim scp),',
  'application with --roles (claim roles). Signed with the configured key: AUTH_SECRET (HS256) or',
  'AUTH_SIGNING_KEY (for AUTH_PUBLIC_KEY / AUTH_JWKS); unsigned (alg none) when none is set. The AUTH_*',
  'settings come from the environment or their flags (--auth-secret, --auth-signing-key, ...).',
  '',
  '  --scopes P ...       delegated permissions, e.g. BackupRestore-Restore.Read.All',
  '  --roles P ...        application permissions',
  `  --expires-in N       seconds until exp (default ${DEFAULT_EXPIRES_IN}; negative: already expired)`,
  '  --not-before N       seconds until nbf (default 0; positive: not yet valid)',
  `  --name NAME          the user's display name (default '${DEFAULT_USER.name}')`,
  `  --oid ID             the user's object id (default ${DEFAULT_USER.oid})`,
  `  --appid ID           the client application's id (default ${DEFAULT_APP.appid})`,
  `  --app-name NAME      the client application's display name (default '${DEFAULT_APP.displayName}')`,
  '  --audience AUD       aud (default https://graph.microsoft.com)',
  '  --kid KID            which key of a private JWKS signs',
  '  --help               this help'
].join('\n')

type ListFlag = '--scopes' | '--roles'
const LIST_FLAGS: Readonly<Record<ListFlag, 'scopes' | 'roles'>> = { '--scopes': 'scopes', '--roles': 'roles' }
const TEXT_FLAGS = { '--name': 'name', '--oid': 'oid', '--appid': 'appid', '--app-name': 'appDisplayName', '--audience': 'audience', '--kid': 'kid' } as const
const NUMBER_FLAGS = { '--expires-in': 'expiresIn', '--not-before': 'notBefore' } as const

function isKeyOf<T extends object> (record: T, key: string): key is Extract<keyof T, string> {
  return Object.hasOwn(record, key)
}

/** Splits argv into the token's options and the remaining (settings) flags. */
export function parseTokenArgs (argv: readonly string[]): { options: TokenOptions, rest: string[], help: boolean } {
  const options: Record<string, unknown> = {}
  const rest: string[] = []
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--help' || arg === '-h') {
      help = true
    } else if (isKeyOf(LIST_FLAGS, arg)) {
      const values: string[] = []
      while (i + 1 < argv.length && !(argv[i + 1] ?? '').startsWith('--')) values.push(...(argv[++i] ?? '').split(/[\s,]+/).filter((value) => value !== ''))
      if (values.length === 0) throw new ConfigError(`option ${arg} needs at least one permission`)
      options[LIST_FLAGS[arg]] = [...(options[LIST_FLAGS[arg]] as string[] | undefined ?? []), ...values]
    } else if (isKeyOf(TEXT_FLAGS, arg) || isKeyOf(NUMBER_FLAGS, arg)) {
      const value = argv[i + 1]
      if (value === undefined || (value.startsWith('--') && !/^--?\d/.test(value))) throw new ConfigError(`option ${arg} needs a value`)
      i++
      if (isKeyOf(TEXT_FLAGS, arg)) {
        options[TEXT_FLAGS[arg]] = value
      } else {
        if (!/^-?\d{1,10}$/.test(value)) throw new ConfigError(`option ${arg} must be a whole number of seconds, got '${value}'`)
        options[NUMBER_FLAGS[arg]] = Number(value)
      }
    } else {
      rest.push(arg)
    }
  }
  return { options, rest, help }
}

const processOutput: TokenCommandOutput = {
  out: (line) => { process.stdout.write(`${line}\n`) },
  err: (line) => { process.stderr.write(`${line}\n`) }
}

/** Runs the command; resolves to the exit code. `now` is the clock the token counts from. */
export async function runTokenCommand (argv: readonly string[], env: Readonly<Record<string, string | undefined>>, output: TokenCommandOutput = processOutput, now: () => number = Date.now): Promise<number> {
  try {
    const { options, rest, help } = parseTokenArgs(argv)
    if (help) {
      output.out(TOKEN_USAGE)
      return 0
    }
    const config = parseConfig(env, rest)
    const keys = await loadAuthKeys(config)
    output.out((await issueToken(options, keys.signing, now())).token)
    return 0
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    output.err(`graph-mock token: ${error.message.replace(/ \(see --help\)$/, '')} (see graph-mock token --help)`)
    return 2
  }
}
