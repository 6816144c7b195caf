// Ids for new entities: GUIDs (version 4 form, lower case) drawn from a seeded sequence, so the
// same seed and the same writes give the same ids on every run. Pure.

import { createHash } from 'node:crypto'

export function idGenerator (seed: number | string): () => string {
  let counter = 0
  return () => {
    const hex = createHash('sha256').update(`graph-mock ids\n${String(seed)}\n${counter++}`).digest('hex')
    const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16)
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  }
}

/** A seeded pseudo-random sequence in [0, 1) (mulberry32): deterministic outcomes for a seed. */
export function seededRandom (seed: number | string): () => number {
  let state = typeof seed === 'number' ? seed >>> 0 : [...String(seed)].reduce((hash, c) => Math.imul(hash ^ c.charCodeAt(0), 16777619) >>> 0, 2166136261)
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
