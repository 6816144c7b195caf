// One of the files test/control/parallel.test.ts runs in parallel against one server (named so
// that the main tap run does not pick it up). Its namespace parallel-beta, named by its base URL
// (/_ns/parallel-beta/beta): 5 sessions, then 1 after the reset in the middle.

import t from 'tap'
import { runScenario } from './shared.js'

await runScenario(t, 'prefix-beta')
