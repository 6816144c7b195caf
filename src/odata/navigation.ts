// Navigation properties are not in the entity JSON Schemas (which describe stored rows). The model
// takes them from its options, or else from this table, so that $expand can name them in its 400.

/** microsoft.graph.exchangeRestoreSession's navigation properties (none is served). */
export const exchangeRestoreSessionNavigationProperties = [
  'granularMailboxRestoreArtifacts',
  'mailboxRestoreArtifacts',
  'mailboxRestoreArtifactsBulkAdditionRequests'
] as const

export const knownNavigationProperties: ReadonlyMap<string, readonly string[]> = new Map([
  ['microsoft.graph.exchangeRestoreSession', exchangeRestoreSessionNavigationProperties]
])
