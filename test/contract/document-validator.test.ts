// The whole-document checker (document-validator.ts) catches what the walk relies on it to catch:
// polymorphic values are held to the type their @odata.type names, a type outside the declared
// one's family is refused, and each version is held to its own document.

import t from 'tap'
import { DocumentValidator } from './document-validator.js'
import { declaredGetResponse, wholeContract } from './documents.js'

const beta = new DocumentValidator(wholeContract('beta'), 'document-validator-test-beta')
const v1 = new DocumentValidator(wholeContract('v1.0'), 'document-validator-test-v1')

/** Every error, joined: a pattern then matches one of them. */
function joined (validator: DocumentValidator, schema: Parameters<DocumentValidator['errors']>[0], body: unknown): string {
  return validator.errors(schema, body).join('; ')
}

const ID = '5b8e1f2a-8d6c-4c1e-9f3a-2b7d6e5c4a31'
const UNITS = 'microsoft.graph.protectionUnitBaseCollectionResponse'
const mailboxUnit = { '@odata.type': '#microsoft.graph.mailboxProtectionUnit', id: ID, policyId: 'p1', status: 'protected', email: 'megan@contoso.com', directoryObjectId: ID }
const driveUnit = { '@odata.type': '#microsoft.graph.driveProtectionUnit', id: ID, status: 'protected', email: 'megan@contoso.com', directoryObjectId: ID }

t.test('derived types are known from the allOf chains', async (t) => {
  t.strictSame(beta.derivedTypes('microsoft.graph.protectionUnitBase'), [
    'microsoft.graph.driveProtectionUnit', 'microsoft.graph.mailboxProtectionUnit', 'microsoft.graph.siteProtectionUnit'
  ])
  t.strictSame(beta.derivedTypes('microsoft.graph.mailboxRestoreArtifact'), ['microsoft.graph.granularMailboxRestoreArtifact'])
  t.strictSame(beta.derivedTypes('microsoft.graph.identity'), ['microsoft.graph.emailIdentity'])
  t.strictSame(v1.derivedTypes('microsoft.graph.identity'), [], 'v1.0 has no emailIdentity')
})

t.test('a polymorphic set: each item is held to the type it names', async (t) => {
  const page = { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/protectionUnits', value: [mailboxUnit, driveUnit] }
  t.strictSame(beta.errors(UNITS, page), [], 'derived items with their own properties pass')
  t.strictSame(beta.errors(UNITS, { value: [{ ...mailboxUnit, mailboxType: 'user' }] }), [], 'a beta-only property of the derived type passes in beta')
  t.match(joined(beta, UNITS, { value: [{ ...driveUnit, mailboxType: 'user' }] }), /\/value\/0 must NOT have additional properties 'mailboxType'/, 'another derived type\'s property is refused')
  const { '@odata.type': _type, ...untyped } = mailboxUnit
  t.match(joined(beta, UNITS, { value: [untyped] }), /\/value\/0 must NOT have additional properties 'email'/, 'without @odata.type, only the base type\'s properties')
  t.match(joined(beta, UNITS, { value: [{ ...mailboxUnit, '@odata.type': '#microsoft.graph.restorePoint' }] }), /\/value\/0\/@odata\.type must be equal to constant '#microsoft\.graph\.protectionUnitBase'/, 'a type outside the family is refused')
  t.match(joined(beta, UNITS, { value: [{ ...mailboxUnit, status: 'paused' }] }), /\/value\/0\/status must be equal to one of the allowed values/, 'the derived schema is really applied')
})

t.test('a polymorphic complex value: an emailIdentity where an identity is declared', async (t) => {
  const recipients = { customRecipients: [{ '@odata.type': '#microsoft.graph.emailIdentity', id: ID, displayName: 'Megan', email: 'megan@contoso.com' }] }
  t.strictSame(beta.errors('microsoft.graph.notificationRecipients', recipients), [])
  t.match(joined(beta, 'microsoft.graph.identitySet', { user: { id: ID, email: 'megan@contoso.com' } }), /\/user must NOT have additional properties 'email'/)
  t.strictSame(beta.errors('microsoft.graph.identitySet', { user: { '@odata.type': '#microsoft.graph.emailIdentity', id: ID, email: 'megan@contoso.com' } }), [])
})

t.test('each version is held to its own document', async (t) => {
  t.match(joined(v1, UNITS, { value: [{ ...mailboxUnit, mailboxType: 'user' }] }), /additional properties 'mailboxType'/, 'a beta-only property is refused in v1.0')
  t.strictSame(v1.errors(UNITS, { value: [mailboxUnit] }), [])
})

t.test('formats: durations, flags enums, date-times', async (t) => {
  const setting = 'microsoft.graph.retentionSetting'
  t.strictSame(beta.errors(setting, { period: 'P30D', interval: null }), [])
  t.match(joined(beta, setting, { period: '30 days' }), /\/period must match format "duration"/)
  const point = 'microsoft.graph.restorePoint'
  t.strictSame(beta.errors(point, { id: ID, tags: 'none,fastRestore' }), [], 'a flags enum takes a comma-separated list')
  t.match(joined(beta, point, { id: ID, tags: 'fast' }), /\/tags must match pattern/)
  t.match(joined(beta, point, { id: ID, protectionDateTime: '2025-03-01 10:00' }), /\/protectionDateTime must match/)
})

t.test('an inline response schema (the browse function) is an envelope', async (t) => {
  const declared = declaredGetResponse(wholeContract('beta'), '/solutions/backupRestore/browseSessions/{browseSessionBase-id}/microsoft.graph.browse(nextFetchToken=\'{nextFetchToken}\')')
  if (declared.kind !== 'json') throw new Error('the browse function declares JSON')
  t.strictSame(beta.errors(declared.schema, { '@odata.context': 'x', value: [{ itemKey: 'k', name: 'n', type: 'folder', itemsCount: 2 }] }), [])
  t.match(joined(beta, declared.schema, { '@odata.context': 'x' }), /must have required property 'value'/)
  t.match(joined(beta, declared.schema, { value: [{ type: 'shortcut' }] }), /\/value\/0\/type must be equal to one of the allowed values/)
})
