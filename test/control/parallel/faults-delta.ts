// One of the files test/control/parallel.test.ts runs in parallel against one server (named so
// that the main tap run does not pick it up). Its namespace parallel-delta, named by its base URL,
// with a fault rule of its own for a while and its clock set to manual and a day ahead at the end:
// 2 sessions, then 4 after the reset in the middle.

import t from 'tap'
import { runScenario } from './shared.js'

await runScenario(t, 'faults-delta')
