// The generated schemas and model are committed: regenerating them from ../shared/contract must
// change nothing, so a contract update is a visible diff and a hand edit of generated output fails.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { generate, readContract } from '../../src/model/generate.js'

const root = join(import.meta.dirname, '..', '..')

t.test('regenerating from the contract changes nothing', async (t) => {
  const files = generate(readContract(root))
  t.strictSame(Object.keys(files).sort(), ['schemas/beta.ts', 'schemas/v1.0.ts', 'src/model/generated/beta.ts', 'src/model/generated/v1.0.ts'])
  for (const [path, text] of Object.entries(files)) {
    t.equal(readFileSync(join(root, path), 'utf8'), text, `${path} is what npm run contract writes`)
  }
})

t.test('a contract the generator cannot read is named in the error', async (t) => {
  t.throws(() => readContract(join(root, 'no-such-folder', 'x')), /contract generator: cannot read .*BackupRestore\.beta\.yml/)
  t.throws(() => generate([{ version: 'beta', file: 'bad.yml', text: 'paths:\n  /elsewhere: {}\ncomponents:\n  schemas: {}\n  responses: {}\n' }]), /path outside \/solutions\/backupRestore: \/elsewhere/)
})
