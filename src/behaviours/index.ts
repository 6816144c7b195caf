// The behaviours of the type families that do more than storage, in one registry the write routes
// read. A family's behaviour applies to its base type and every type derived from it.

import type { Model } from '../model/index.js'
import type { EntityBehaviour } from '../write/entity-behaviour.js'
import type { Behaviours } from '../write/writes.js'
import { restoreBehaviours } from './restore-sessions.js'
import { protectionBehaviours } from './protection.js'

const families: readonly EntityBehaviour[] = [...restoreBehaviours, ...protectionBehaviours]

export function behavioursFor (model: Model, extra: readonly EntityBehaviour[] = []): Behaviours {
  const all = [...extra, ...families]
  const cache = new Map<string, EntityBehaviour | undefined>()
  return {
    families: all,
    of (type) {
      if (!cache.has(type)) cache.set(type, all.find((family) => model.hasType(family.base) && model.hasType(type) && model.derivesFrom(type, family.base)))
      return cache.get(type)
    }
  }
}
