#!/usr/bin/env node
// The `graph-mock` bin (`npx graph-mock`): `graph-mock [options]` runs the server, `graph-mock fixtures
// …` writes generated fixtures. With src/server.ts, the only module that reads process.argv and
// process.env. Exit codes: 0 done (or closed on SIGTERM/SIGINT), 1 a broken fixture or a failed
// write, 2 bad usage (an unknown flag or a bad value), with one line on stderr.

import { helpText } from './config.js'
import { runTokenCommand } from './auth/token-command.js'
import { runFixturesCli } from './fixtures/command.js'
import { runServer } from './run-server.js'

const COMMANDS = [
  '',
  'Commands:',
  '  graph-mock [options]               Serve the mock until SIGTERM or SIGINT (Ctrl-C).',
  '  graph-mock fixtures --out DIR [options]',
  '                                     Write a generated tenant to DIR, one file per entity set',
  '                                     and singleton (graph-mock fixtures --help).',
  '  graph-mock token [--scopes S…] [--roles R…]',
  '                                     Print a bearer token for tests (graph-mock token --help).',
  '  graph-mock --help, -h              This help.',
  '  graph-mock --version               The version.'
].join('\n')

const argv = process.argv.slice(2)

if (argv[0] === 'fixtures') {
  process.exitCode = await runFixturesCli(argv.slice(1))
} else if (argv[0] === 'token') {
  process.exitCode = await runTokenCommand(argv.slice(1), process.env)
} else if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`${helpText()}\n${COMMANDS}\n`)
} else {
  await runServer(argv, process.env)
}
