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
