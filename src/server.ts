// The process entry (`npm start`, the container): the only module, with src/cli.ts, that reads
// process.argv and process.env. Everything else lives in src/run-server.ts, which importers can load
// without starting a server.
import { runServer } from './run-server.js'

await runServer(process.argv.slice(2), process.env)
