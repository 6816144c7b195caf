// The binder's output: the syntax tree checked against the model, each node typed, names resolved to
// the model's spelling, literals converted to runtime values (see temporal.ts). The compiler turns it
// into closures.
import type { ArithmeticOperator, ComparisonOperator } from './ast.js'
import type { FunctionSignature } from './functions.js'
import type { EnumType, PrimitiveTypeName, ValueType } from './model.js'

export type BoundType = ValueType | { readonly kind: 'null' }

/** How two operands compare: by value (===, <), as instants, by enum member position, or only against null. */
export type ComparisonKind = 'value' | 'instant' | 'enum' | 'nullOnly'

/** `it`: the row; a number: the slot of a lambda variable. */
export type PathSource = 'it' | number

export type Bound =
  | { readonly kind: 'constant', readonly type: BoundType, readonly value: unknown }
  | { readonly kind: 'property', readonly type: ValueType, readonly source: PathSource, readonly names: readonly string[] }
  | { readonly kind: 'count', readonly type: ValueType, readonly collection: Bound }
  | {
    readonly kind: 'compare'
    readonly op: ComparisonOperator
    readonly comparison: ComparisonKind
    readonly enumType?: EnumType
    readonly left: Bound
    readonly right: Bound
  }
  | { readonly kind: 'logical', readonly op: 'and' | 'or', readonly left: Bound, readonly right: Bound }
  | { readonly kind: 'not', readonly operand: Bound }
  | { readonly kind: 'negate', readonly type: BoundType, readonly operand: Bound }
  | {
    readonly kind: 'arithmetic'
    readonly op: ArithmeticOperator
    readonly type: BoundType
    readonly integer: boolean
    readonly left: Bound
    readonly right: Bound
  }
  | { readonly kind: 'has', readonly enumType: EnumType, readonly left: Bound, readonly flag: number }
  | { readonly kind: 'in', readonly comparison: ComparisonKind, readonly left: Bound, readonly values: readonly unknown[] }
  | { readonly kind: 'call', readonly type: BoundType, readonly signature: FunctionSignature, readonly args: readonly Bound[] }
  | { readonly kind: 'dateToInstant', readonly operand: Bound }
  /** `isof('qualified.type')`: whether the row (the entity itself) is of that type or derives from it. */
  | { readonly kind: 'isOf', readonly typeName: string, readonly test: (row: object) => boolean }
  | {
    readonly kind: 'lambda'
    readonly op: 'any' | 'all'
    readonly collection: Bound
    readonly slot: number
    readonly predicate: Bound | null
  }

export function primitive (name: PrimitiveTypeName): ValueType {
  return { kind: 'primitive', name }
}

export const booleanType = primitive('Edm.Boolean')
export const int32Type = primitive('Edm.Int32')
export const nullType: BoundType = { kind: 'null' }

export function boundType (node: Bound): BoundType {
  switch (node.kind) {
    case 'constant': case 'property': case 'count': case 'negate': case 'arithmetic': case 'call':
      return node.type
    case 'compare': case 'logical': case 'not': case 'has': case 'in': case 'lambda': case 'isOf':
      return booleanType
    case 'dateToInstant':
      return primitive('Edm.DateTimeOffset')
  }
}

/**
 * Whether a value depends on the row alone, so that it is the same at every request: no call without
 * arguments (`now()`) anywhere in it.
 */
export function readsRowOnly (node: Bound): boolean {
  switch (node.kind) {
    case 'constant': case 'property': case 'isOf': return true
    case 'call': return node.args.length > 0 && node.args.every(readsRowOnly)
    case 'count': return readsRowOnly(node.collection)
    case 'compare': case 'logical': case 'arithmetic': return readsRowOnly(node.left) && readsRowOnly(node.right)
    case 'not': case 'negate': case 'dateToInstant': return readsRowOnly(node.operand)
    case 'has': case 'in': return readsRowOnly(node.left)
    case 'lambda': return readsRowOnly(node.collection) && (node.predicate === null || readsRowOnly(node.predicate))
  }
}
