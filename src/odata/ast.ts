// The parser's output: a binding-independent syntax tree, a discriminated union so that tests compare
// whole trees. Names are kept as written; the binder resolves them against the model.

export type Literal =
  | { readonly type: 'null' }
  | { readonly type: 'boolean', readonly value: boolean }
  | { readonly type: 'string', readonly value: string }
  | { readonly type: 'number', readonly numberKind: 'int' | 'decimal' | 'double', readonly text: string }
  | { readonly type: 'guid', readonly text: string }
  | { readonly type: 'dateTimeOffset', readonly text: string }
  | { readonly type: 'date', readonly text: string }
  | { readonly type: 'timeOfDay', readonly text: string }
  /** `prefix'value'`: a qualified enum literal, `duration'…'`, `binary'…'`, `geography'…'`… */
  | { readonly type: 'typed', readonly prefix: string, readonly value: string }

export type ComparisonOperator = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'
export type ArithmeticOperator = 'add' | 'sub' | 'mul' | 'div' | 'mod'
export type LogicalOperator = 'and' | 'or'
export type BinaryOperator = ComparisonOperator | ArithmeticOperator | LogicalOperator | 'has'

export interface PathExpr {
  readonly kind: 'path'
  /** Segments as written: property names, `$it`, a lambda variable, `$count`, a qualified type cast… */
  readonly segments: readonly string[]
}

export type Expr =
  | { readonly kind: 'literal', readonly literal: Literal }
  | PathExpr
  | { readonly kind: 'binary', readonly op: BinaryOperator, readonly left: Expr, readonly right: Expr }
  | { readonly kind: 'unary', readonly op: 'not' | 'negate', readonly operand: Expr }
  | { readonly kind: 'in', readonly left: Expr, readonly list: readonly Literal[] }
  | { readonly kind: 'inExpr', readonly left: Expr, readonly right: Expr }
  | { readonly kind: 'call', readonly name: string, readonly args: readonly Expr[] }
  | {
    readonly kind: 'lambda'
    readonly op: 'any' | 'all'
    readonly collection: PathExpr
    /** null for `any()` */
    readonly variable: string | null
    readonly predicate: Expr | null
  }

export interface OrderByItem {
  readonly expr: Expr
  readonly direction: 'asc' | 'desc'
}
