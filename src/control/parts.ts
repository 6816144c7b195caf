// What the control plane keeps per namespace beside its data and clock: the request journal, the
// fault rules and the throttling budget. Pure.

import { FaultRules } from './faults.js'
import { Journal } from './journal.js'
import { Throttle, type ThrottleOptions } from './throttle.js'
import type { NamespaceParts } from './namespaces.js'

export interface ControlParts extends NamespaceParts {
  readonly journal: Journal
  readonly faults: FaultRules
  /** Undefined when throttling is off (THROTTLE_LIMIT=0). */
  readonly throttle: Throttle | undefined
}

export interface ControlSettings {
  /** Entries kept per namespace; 0: no journal. */
  readonly journalLimit: number
  readonly throttle: ThrottleOptions | undefined
}

/** `name`: the namespace's; undefined for the default one (whose rules may aim at others). */
export function controlParts (settings: ControlSettings, name?: string): ControlParts {
  const journal = new Journal({ limit: settings.journalLimit })
  const faults = new FaultRules(name)
  const throttle = settings.throttle === undefined ? undefined : new Throttle(settings.throttle)
  return {
    journal,
    faults,
    throttle,
    reset: () => {
      journal.clear()
      faults.clear()
      throttle?.reset()
    }
  }
}
