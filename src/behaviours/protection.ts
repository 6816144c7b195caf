// The protection side's behaviours in one list for the registry (src/behaviours/index.ts); importing
// it registers the protection side's actions (policy and service-app activate/deactivate, offboard,
// cancelOffboard, restorePoints/search, the root's enable, inclusion rules' run and deleteAndUnprotect).

import type { EntityBehaviour } from '../write/entity-behaviour.js'
import { jobBehaviour, ruleBehaviour } from './protection-jobs.js'
import { policyBehaviour } from './protection-policies.js'
import { unitBehaviour } from './protection-units.js'
import { serviceAppBehaviour } from './service-apps.js'
import './restore-point-search.js'

export const protectionBehaviours: readonly EntityBehaviour[] = [policyBehaviour, unitBehaviour, jobBehaviour, ruleBehaviour, serviceAppBehaviour]
