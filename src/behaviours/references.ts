// References that the contract keeps in structural properties rather than navigations: a protection
// unit's `policyId` names the policy it belongs to. The store checks each at load time (a unit whose
// policy does not exist stops start-up), as it checks navigation references. Pure data.

export interface PropertyReference {
  /** The type (or base type) carrying the property. */
  readonly type: string
  readonly property: string
  /** The root-level set the value must name an entity of. */
  readonly target: string
}

export const propertyReferences: readonly PropertyReference[] = [
  { type: 'microsoft.graph.protectionUnitBase', property: 'policyId', target: 'protectionPolicies' }
]
