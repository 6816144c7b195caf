// The order in which a stored row's properties appear (and so are serialized). Types listed here use
// the order of Microsoft's JSON examples for this API; any other object type keeps its schema's
// property order. The fixture generator writes records in this same order (a test checks it), so a
// loaded row serializes exactly as its committed fixture.

export const propertyOrder: Readonly<Record<string, readonly string[]>> = {
  exchangeRestoreSession: [
    'id',
    'status',
    'restoreJobType',
    'restoreSessionArtifactCount',
    'createdDateTime',
    'createdBy',
    'completedDateTime',
    'lastModifiedDateTime',
    'lastModifiedBy',
    'error'
  ],
  identity: ['id', 'displayName'],
  restoreSessionArtifactCount: ['total', 'completed', 'inProgress', 'failed'],
  publicError: ['code', 'message', 'target', 'details', 'innerError'],
  publicInnerError: ['code', 'message', 'target', 'details']
}
