// test/containers/image.sh skips the build when the image's label holds the hash of the build
// context, which it lists by hand: the list must be the .dockerignore's allowlist (plus the
// Dockerfile and the .dockerignore), or a change to a file the image holds would not rebuild it.
// Needs no podman: it runs everywhere.

import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { root } from './podman.js'

t.test('image.sh hashes what the .dockerignore lets into the build context', async (t) => {
  const ignore = await readFile(join(root, '.dockerignore'), 'utf8')
  const allowed = ignore.split('\n').filter((line) => line.startsWith('!')).map((line) => line.slice(1).replace(/\/$/, ''))
  t.ok(ignore.split('\n').includes('*'), 'the .dockerignore is an allowlist (it starts from `*`)')
  const script = await readFile(join(root, 'test', 'containers', 'image.sh'), 'utf8')
  const listed = /^context=\(([^)]*)\)$/m.exec(script)?.[1]?.split(/\s+/).filter(Boolean)
  t.strictSame(listed?.slice().sort(), ['Dockerfile', '.dockerignore', ...allowed].sort())
})
