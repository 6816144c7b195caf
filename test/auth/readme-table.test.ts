// The README's table of permissions per operation is the one src/auth/permissions-table.ts prints
// from src/auth/permissions.json: regenerate it (node --import tsx src/auth/permissions-table.ts) when
// the data changes.

import { readFile } from 'node:fs/promises'
import t from 'tap'
import { allOperations } from '../../src/auth/permissions.js'
import { permissionsTableMarkdown, TABLE_END, TABLE_START } from '../../src/auth/permissions-table.js'

t.test('the README carries the generated table, unchanged', async (t) => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
  const start = readme.indexOf(TABLE_START)
  const end = readme.indexOf(TABLE_END)
  t.ok(start !== -1 && end > start, 'the README has the table markers')
  t.equal(readme.indexOf(TABLE_START, start + 1), -1, 'once')
  t.equal(readme.slice(start, end + TABLE_END.length), permissionsTableMarkdown())
})

t.test('the table has a row for every operation', async (t) => {
  const table = permissionsTableMarkdown()
  const rows = table.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| operation'))
  const versionsOf = new Map<string, number>()
  for (const row of rows) {
    const [operation, versions] = row.slice(2).split(' | ')
    versionsOf.set(String(operation), (versionsOf.get(String(operation)) ?? 0) + String(versions).split(', ').length)
  }
  const total = [...versionsOf.values()].reduce((sum, count) => sum + count, 0)
  t.equal(total, allOperations().length, 'each operation of each version appears in exactly one row')
  t.match(table, /\| POST `…\/serviceApps\/\{serviceApp-id\}\/microsoft\.graph\.activate` \| v1\.0 \| `BackupRestore-Control\.ReadWrite\.All` \| not supported \|/, 'application not supported is shown')
})
