// One of the files test/control/parallel.test.ts runs in parallel against one server (named so
// that the main tap run does not pick it up). Its namespace parallel-gamma, named by the
// X-Graph-Mock-Namespace header on /beta: 4 sessions, then 3 after the reset in the middle.

import t from 'tap'
import { runScenario } from './shared.js'

await runScenario(t, 'header-gamma')
