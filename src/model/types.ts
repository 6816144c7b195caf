// The shape of the resource model that `npm run contract` generates from Graph's published OpenAPI
// documents (src/model/generated/). Plain data: every generic part of the mock (routing, the store,
// the query engine, the serializer, the API description) reads it, and nothing else names an entity
// set. Pure types, no code.

export type GraphVersion = 'beta' | 'v1.0'

export type EdmPrimitive =
  | 'Edm.String' | 'Edm.Boolean' | 'Edm.Int32' | 'Edm.Int64' | 'Edm.Double' | 'Edm.Decimal'
  | 'Edm.DateTimeOffset' | 'Edm.Date' | 'Edm.TimeOfDay' | 'Edm.Duration' | 'Edm.Guid' | 'Edm.Binary'

export interface StructuralProperty {
  readonly name: string
  /** An Edm primitive, or the qualified name of an enum or complex type. */
  readonly type: string
  readonly collection: boolean
  readonly nullable: boolean
  /** The contract marks it read-only: the server sets it. */
  readonly readOnly: boolean
}

export interface NavigationProperty {
  readonly name: string
  /** The qualified name of the target entity type. */
  readonly type: string
  readonly collection: boolean
  /**
   * Contained: the target rows live under the parent (the contract lets clients create or update
   * them through this navigation). Otherwise the navigation references rows kept elsewhere.
   */
  readonly contained: boolean
}

export interface StructuredType {
  readonly kind: 'entity' | 'complex'
  /** Qualified: `microsoft.graph.exchangeRestoreSession`. */
  readonly name: string
  readonly baseType?: string | undefined
  /** Every type deriving from this one, directly or not, in contract order. */
  readonly derivedTypes: readonly string[]
  /** Structural properties, inherited ones first, in the contract's order. */
  readonly properties: readonly StructuralProperty[]
  /** Navigation properties, inherited ones first. */
  readonly navigationProperties: readonly NavigationProperty[]
}

export interface EnumTypeModel {
  readonly kind: 'enum'
  readonly name: string
  /** Members in the contract's order. */
  readonly members: readonly string[]
  /** Members after `unknownFutureValue`: sent only to callers that opt in. */
  readonly evolvable: readonly string[]
  readonly flags: boolean
}

export type PathSegment =
  | { readonly kind: 'root', readonly name: string, readonly type: string }
  | { readonly kind: 'navigation', readonly name: string, readonly type: string, readonly collection: boolean, readonly contained: boolean }
  | { readonly kind: 'key', readonly parameter: string, readonly type: string }
  | { readonly kind: 'cast', readonly type: string, readonly collection: boolean }
  | { readonly kind: 'count' }
  | { readonly kind: 'action', readonly name: string }
  | { readonly kind: 'function', readonly name: string, readonly parameters: readonly string[] }

export interface OperationParameter {
  readonly name: string
  /** An Edm primitive or a qualified type name. */
  readonly type: string
  readonly collection: boolean
  readonly nullable: boolean
}

export interface OperationModel {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  readonly operationId: string
  /** `operation` (CRUD), `action` or `function`, as the contract says. */
  readonly operationType: string
  readonly summary: string
  readonly docs?: string | undefined
  /** The request body's type (qualified), or the parameters of an action. */
  readonly requestType?: string | undefined
  readonly parameters: readonly OperationParameter[]
  /** The response: a qualified type, `Collection(type)`, `count`, or undefined for none. */
  readonly responseType?: string | undefined
  /**
   * Set when the published OpenAPI documents lack the operation and Graph's docs publish it: the
   * docs page it is served as (the generator's list of documented operations adds it).
   */
  readonly documentedOnly?: string | undefined
}

export interface PathModel {
  /** The contract's path template, e.g. `/solutions/backupRestore/restoreSessions/{restoreSessionBase-id}`. */
  readonly path: string
  readonly segments: readonly PathSegment[]
  readonly operations: readonly OperationModel[]
}

export interface ServiceModel {
  readonly version: GraphVersion
  /** Where the contract came from (file and checksum), for the record. */
  readonly source: string
  readonly types: Readonly<Record<string, StructuredType>>
  readonly enums: Readonly<Record<string, EnumTypeModel>>
  /** The root singleton's path below the version root and its type. */
  readonly root: { readonly path: string, readonly type: string }
  readonly paths: readonly PathModel[]
}
