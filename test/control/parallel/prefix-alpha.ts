// One of the files test/control/parallel.test.ts runs in parallel against one server (named so
// that the main tap run does not pick it up). Its namespace parallel-alpha, named by its base URL
// (/_ns/parallel-alpha/beta): 3 sessions, then 2 after the reset in the middle.

import t from 'tap'
import { runScenario } from './shared.js'

await runScenario(t, 'prefix-alpha')
