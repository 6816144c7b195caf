import { join } from 'node:path'
import t from 'tap'
import { serializeRecords } from '../../src/fixtures/serialize.js'
import { FixtureError, loadFixtures, storeFromRecords, type FixtureStore, type Row } from '../../src/store/index.js'

const ID_A = '6f1c2a9e-0b4d-4a57-9e0f-3c2d1b0a9f81'
const ID_B = '0d3e5c7a-9b1f-4e2d-8c6a-5f4e3d2c1b0a'
const ID_C = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d'

/** A complete, valid session: every property present, in the stored order (complex values in the contract's). */
function fullSession (id: string): Record<string, unknown> {
  return {
    id,
    status: 'completedWithError',
    restoreJobType: 'standard',
    restoreSessionArtifactCount: { completed: 12, failed: 2, inProgress: 0, total: 14 },
    createdDateTime: '2025-03-04T12:18:55.2117521Z',
    createdBy: { application: null, device: null, user: { displayName: 'Megan Bowen', id: ID_C } },
    completedDateTime: '2025-03-04T14:02:11.0000000Z',
    lastModifiedDateTime: '2025-03-04T14:02:11.0000000Z',
    lastModifiedBy: { application: { displayName: 'Contoso Backup Service', id: ID_C }, device: null, user: null },
    error: {
      code: 'PartialRestoreFailure',
      details: [{ code: 'MailboxNotFound', message: 'The mailbox no longer exists.', target: ID_B }],
      innerError: null,
      message: '2 of 14 mailbox artifacts failed to restore.',
      target: null
    }
  }
}

const json = (value: unknown) => JSON.stringify(value, null, 2)
const FILE = 'exchangeRestoreSessions.json'

type StoredSet = NonNullable<ReturnType<FixtureStore['root']['collections']['get']>>

function sessionsOf (store: FixtureStore): StoredSet {
  const sessions = store.root.collections.get('exchangeRestoreSessions')
  if (sessions === undefined) throw new Error('the store has no exchangeRestoreSessions')
  return sessions
}

/** The stored row of a session, by id. */
function byId (store: FixtureStore, id: string): Row | undefined {
  return sessionsOf(store).byId(id)?.row
}

const ids = (store: FixtureStore, set = 'exchangeRestoreSessions') => store.root.collections.get(set)?.rows.map((row) => row.id)

t.test('a valid folder loads every file of the entity set, in sorted name order', async (t) => {
  const dir = t.testdir({
    [FILE]: json([fullSession(ID_A)]),
    'exchangeRestoreSessions.b-archive.json': json([{ id: ID_C }]),
    'exchangeRestoreSessions.a-recent.json': json([{ id: ID_B }]),
    'README.md': 'not a fixture',
    'notes.txt': '{ not json'
  })
  const store = await loadFixtures(dir)
  t.strictSame(store.files, [
    join(dir, 'exchangeRestoreSessions.a-recent.json'),
    join(dir, 'exchangeRestoreSessions.b-archive.json'),
    join(dir, FILE)
  ], 'files: the .json files only, sorted by name')
  t.strictSame(ids(store), [ID_B, ID_C, ID_A], 'rows in file order, then record order')
  t.strictSame(byId(store, ID_A), fullSession(ID_A), 'byId returns the full row')
  t.equal(byId(store, 'no-such-id'), undefined, 'byId of an unknown id is undefined')
  t.equal(byId(store, ID_B.toUpperCase()), sessionsOf(store).rows[0], 'ids match case-insensitively')
  t.strictSame(ids(store, 'restoreSessions'), [ID_B, ID_C, ID_A], 'the polymorphic restoreSessions view holds the same sessions')
  t.equal(store.root.collections.get('restoreSessions')?.byId(ID_A)?.row, byId(store, ID_A), 'the very same rows')
  t.strictSame(ids(store, 'sharePointRestoreSessions'), [], 'the other sets are empty')
})

t.test('an empty folder gives an empty store', async (t) => {
  const store = await loadFixtures(t.testdir({}))
  t.strictSame(sessionsOf(store).rows, [], 'no rows')
  for (const [name, collection] of store.root.collections) t.equal(collection.size, 0, `${name}: no rows`)
  t.strictSame(store.files, [], 'no files')
})

t.test('missing properties are filled: null, or [] for a non-nullable collection', async (t) => {
  const dir = t.testdir({
    [FILE]: json([
      { id: ID_A },
      { id: ID_B, createdBy: { user: { id: ID_C } }, restoreSessionArtifactCount: { total: 3 }, error: { code: 'RestoreArtifactsFailed', innerError: { code: 'X' } } }
    ])
  })
  const store = await loadFixtures(dir)
  t.strictSame(byId(store, ID_A), {
    id: ID_A,
    status: null,
    restoreJobType: null,
    restoreSessionArtifactCount: null,
    createdDateTime: null,
    createdBy: null,
    completedDateTime: null,
    lastModifiedDateTime: null,
    lastModifiedBy: null,
    error: null
  }, 'every top-level property present, null where missing')
  t.strictSame(byId(store, ID_B), {
    id: ID_B,
    status: null,
    restoreJobType: null,
    restoreSessionArtifactCount: { total: 3, completed: null, inProgress: null, failed: null },
    createdDateTime: null,
    createdBy: { application: null, device: null, user: { id: ID_C, displayName: null } },
    completedDateTime: null,
    lastModifiedDateTime: null,
    lastModifiedBy: null,
    error: {
      code: 'RestoreArtifactsFailed',
      message: null,
      target: null,
      details: [],
      innerError: { code: 'X', message: null, target: null, details: [] }
    }
  }, 'nested complex values get every property too')
  t.equal(JSON.stringify(Object.keys(byId(store, ID_B) ?? {})), JSON.stringify(Object.keys(fullSession(ID_B))), 'properties in the stored order')
})

t.test('rows, nested values and the row list are frozen', async (t) => {
  const store = await loadFixtures(t.testdir({ [FILE]: json([fullSession(ID_A)]) }))
  const row = byId(store, ID_A)
  if (row === undefined) throw new Error('row missing')
  const { createdBy, error } = row as ReturnType<typeof fullSession> & { createdBy: { user: object }, error: { details: object[] } }
  t.ok(Object.isFrozen(sessionsOf(store).rows), 'the row list')
  t.ok(Object.isFrozen(row), 'the row')
  t.ok(Object.isFrozen(createdBy), 'a nested object')
  t.ok(Object.isFrozen(createdBy.user), 'a deeper object')
  t.ok(Object.isFrozen(error.details), 'a nested array')
  t.ok(Object.isFrozen(error.details[0]), 'an array item')
  t.throws(() => { Object.assign(row, { status: 'draft' }) }, TypeError, 'writing a property throws')
  t.equal(row.status, 'completedWithError', 'the row is unchanged')
})

interface FailureCase {
  readonly name: string
  readonly files: Record<string, string>
  /** The message, with DIR standing for the folder. */
  readonly message: string
}

const failures: FailureCase[] = [
  {
    name: 'invalid JSON: the position of the syntax error',
    files: { [FILE]: '[\n  {"id": "a",}\n]\n' },
    message: `DIR/${FILE}: not valid JSON: unexpected "}", expected a double-quoted property name at line 2, column 14 (offset 15)`
  },
  {
    name: 'invalid JSON after valid records',
    files: { [FILE]: `[${json({ id: ID_A })}, {"id": "b"` },
    message: `DIR/${FILE}: not valid JSON: unexpected end of input, expected "," or "}" at line 3, column 14 (offset 63)`
  },
  {
    name: 'an empty file',
    files: { [FILE]: '' },
    message: `DIR/${FILE}: not valid JSON: unexpected end of input at line 1, column 1 (offset 0)`
  },
  {
    name: 'a top level that is not an array',
    files: { [FILE]: json({ id: ID_A }) },
    message: `DIR/${FILE}: the top level must be an array of exchangeRestoreSessions records (or a Graph response with a "value" array), found an object`
  },
  {
    name: 'a top level that is a string',
    files: { [FILE]: json('sessions') },
    message: `DIR/${FILE}: the top level must be an array of exchangeRestoreSessions records (or a Graph response with a "value" array), found a string`
  },
  {
    name: 'a record with a wrong type',
    files: { [FILE]: json([fullSession(ID_B), { ...fullSession(ID_A), restoreSessionArtifactCount: { total: '14' } }]) },
    message: `DIR/${FILE}: record 1 (id ${ID_A}): property /restoreSessionArtifactCount/total must be an integer or null`
  },
  {
    name: 'a date-time without a time zone',
    files: { [FILE]: json([{ id: ID_A, createdDateTime: '2025-03-04T12:18:55' }]) },
    message: `DIR/${FILE}: record 0 (id ${ID_A}): property /createdDateTime must match format "date-time"`
  },
  {
    name: 'an impossible date',
    files: { [FILE]: json([{ id: ID_A, completedDateTime: '2025-02-30T12:18:55Z' }]) },
    message: `DIR/${FILE}: record 0 (id ${ID_A}): property /completedDateTime must match format "date-time"`
  },
  {
    name: 'an unknown enum member',
    files: { [FILE]: json([{ id: ID_A, status: 'running' }]) },
    message: `DIR/${FILE}: record 0 (id ${ID_A}): property /status must be one of "draft", "activating", "active", "completedWithError", "completed", "unknownFutureValue", "failed", null`
  },
  {
    name: 'an unknown property',
    files: { [FILE]: json([{ id: ID_A, displayName: 'x' }]) },
    message: `DIR/${FILE}: record 0 (id ${ID_A}): property /displayName is not a property of exchangeRestoreSession`
  },
  {
    name: 'an unknown nested property',
    files: { [FILE]: json([{ id: ID_A, createdBy: { user: { id: ID_C, email: 'megan@contoso.com' } } }]) },
    message: `DIR/${FILE}: record 0 (id ${ID_A}): property /createdBy/user/email is not a property of identity`
  },
  {
    name: 'a wrong type inside a collection',
    files: { [FILE]: json([{ id: ID_A, error: { details: [{ code: 'A' }, { code: 7 }] } }]) },
    message: `DIR/${FILE}: record 0 (id ${ID_A}): property /error/details/1/code must be a string or null`
  },
  {
    name: 'a record without an id',
    files: { [FILE]: json([{ id: ID_A }, { status: 'draft' }]) },
    message: `DIR/${FILE}: record 1: property /id is required`
  },
  {
    name: 'a record with a non-string id',
    files: { [FILE]: json([{ id: 42 }]) },
    message: `DIR/${FILE}: record 0: property /id must be a string`
  },
  {
    name: 'a record that is not an object',
    files: { [FILE]: json([{ id: ID_A }, 'oops']) },
    message: `DIR/${FILE}: record 1: record must be an object, found a string`
  },
  {
    name: 'a duplicate id within a file',
    files: { [FILE]: json([{ id: ID_A }, { id: ID_B }, { id: ID_A }]) },
    message: `DIR/${FILE}: record 2 (id ${ID_A}): property /id must be unique, but the same id was already loaded as record 0 of DIR/${FILE}`
  },
  {
    name: 'a duplicate id across two files',
    files: { 'exchangeRestoreSessions.1.json': json([{ id: ID_B }, { id: ID_A }]), [FILE]: json([{ id: ID_C }, { id: ID_A }]) },
    message: `DIR/${FILE}: record 1 (id ${ID_A}): property /id must be unique, but the same id was already loaded as record 1 of DIR/exchangeRestoreSessions.1.json`
  },
  {
    name: 'an unknown file name',
    files: { [FILE]: json([{ id: ID_A }]), 'sessions.json': '[]' },
    message: 'DIR/sessions.json: not a fixture file name: name files <set>.json, <set>.<part>.json or <set>.<contained collection>.json, where <set> is one of ' +
      'backupRestore, allDrivesBackup, allMailboxesBackup, allSitesBackup, browseSessions, driveInclusionRules, driveProtectionUnits, driveProtectionUnitsBulkAdditionJobs, ' +
      'emailNotificationsSetting, exchangeProtectionPolicies, exchangeRestoreSessions, mailboxInclusionRules, mailboxProtectionUnits, mailboxProtectionUnitsBulkAdditionJobs, ' +
      'oneDriveForBusinessBrowseSessions, oneDriveForBusinessProtectionPolicies, oneDriveForBusinessRestoreSessions, protectionPolicies, protectionUnits, restorePoints, ' +
      'restoreSessions, serviceApps, sharePointBrowseSessions, sharePointProtectionPolicies, sharePointRestoreSessions, siteInclusionRules, siteProtectionUnits, siteProtectionUnitsBulkAdditionJobs'
  }
]

for (const failure of failures) {
  t.test(`rejected: ${failure.name}`, async (t) => {
    const dir = t.testdir(failure.files)
    const error = await loadFixtures(dir).then(() => undefined, (reason: unknown) => reason)
    t.type(error, FixtureError, 'a FixtureError')
    t.equal(error instanceof Error ? error.message : undefined, failure.message.replaceAll('DIR', dir), 'the whole message')
  })
}

t.test('rejected: a missing folder', async (t) => {
  const dir = join(t.testdir({}), 'nope')
  const error = await loadFixtures(dir).then(() => undefined, (reason: unknown) => reason)
  t.type(error, FixtureError, 'a FixtureError')
  t.equal(error instanceof Error ? error.message : undefined, `${dir}: cannot read the fixtures folder (ENOENT: no such file or directory, scandir '${dir}')`, 'the whole message')
})

t.test('rejected: a file instead of a folder', async (t) => {
  const dir = join(t.testdir({ [FILE]: '[]' }), FILE)
  await t.rejects(loadFixtures(dir), { name: 'FixtureError', message: `${dir}: cannot read the fixtures folder (ENOTDIR: not a directory, scandir '${dir}')` }, 'names the path')
})

t.test('the error carries its location as data', async (t) => {
  const dir = t.testdir({ [FILE]: json([{ id: ID_A, status: 3 }]) })
  const error = await loadFixtures(dir).then(() => undefined, (reason: unknown) => reason)
  t.match(error, { source: join(dir, FILE), index: 0, id: ID_A, pointer: '/status' }, 'source, index, id and pointer')
})

t.test('a byte-order mark and CRLF line ends are accepted', async (t) => {
  const dir = t.testdir({ [FILE]: `\ufeff${json([{ id: ID_A }, { id: ID_B }]).replaceAll('\n', '\r\n')}\r\n` })
  const store = await loadFixtures(dir)
  t.strictSame(ids(store), [ID_A, ID_B], 'both records')
})

t.test('storeFromRecords validates and shapes like a folder', async (t) => {
  const input = [{ id: ID_A, status: 'draft' }, fullSession(ID_B)]
  const store = storeFromRecords(input)
  t.strictSame(store.files, [], 'no files')
  t.equal(byId(store, ID_A)?.restoreJobType, null, 'missing properties are null')
  t.strictSame(byId(store, ID_B), fullSession(ID_B), 'a full record is kept as is')
  t.not(byId(store, ID_B), input[1], 'the row is a copy')
  t.notOk(Object.isFrozen(input[1]), 'the caller\'s records are not frozen')

  t.throws(() => storeFromRecords([{ id: ID_A }, { id: ID_A }]), {
    name: 'FixtureError',
    message: `sessions: record 1 (id ${ID_A}): property /id must be unique, but the same id was already loaded as record 0 of sessions`
  }, 'duplicates are named with the default source name')
  t.throws(() => storeFromRecords([{ id: ID_A, foo: 1 }], 'buildApp({ sessions })'), {
    message: `buildApp({ sessions }): record 0 (id ${ID_A}): property /foo is not a property of exchangeRestoreSession`
  }, 'a given source name')
  t.throws(() => storeFromRecords({ id: ID_A } as unknown as unknown[]), {
    message: 'sessions: the records must be an array of exchangeRestoreSessions records, found an object'
  }, 'not an array')
})

t.test('a JSON key "__proto__" is an unknown property, not a prototype', async (t) => {
  const dir = t.testdir({ [FILE]: `[{"id": "${ID_A}", "__proto__": {"polluted": true}}]` })
  await t.rejects(loadFixtures(dir), { message: `${join(dir, FILE)}: record 0 (id ${ID_A}): property /__proto__ is not a property of exchangeRestoreSession` }, 'rejected by name')
  t.equal(({} as Record<string, unknown>)['polluted'], undefined, 'no prototype was touched')
})

t.test('a file larger than one read chunk streams in whole', async (t) => {
  // Full sessions (every property, in the stored order), each with its own id.
  const sessions = Array.from({ length: 3000 }, (_, i) => fullSession(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`))
  const text = serializeRecords(sessions)
  t.ok(text.length > 2 * 1024 * 1024, 'the file spans several 1 MiB chunks')
  const dir = t.testdir({ [FILE]: text })
  const store = await loadFixtures(dir)
  t.equal(sessionsOf(store).size, 3000, 'every record')
  t.equal(serializeRecords(sessionsOf(store).rows), text, 'every row as written')
})
