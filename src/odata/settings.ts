// The engine's knobs. Defaults follow what Graph's directory APIs document (page size 100, at most 999).

export interface QuerySettings {
  /** Page size when the request has no $top. */
  readonly defaultPageSize: number
  /** Largest page size; a larger $top is clamped or rejected (topAboveMax). */
  readonly maxPageSize: number
  readonly topAboveMax: 'clamp' | 'error'
  /** An unknown `$`-prefixed option: 400, or ignored like a custom query option. */
  readonly unknownQueryOptions: 'error' | 'ignore'
  /** Accept system query options without the `$` prefix (`filter=`), as Graph's beta endpoint does. */
  readonly dollarOptional: boolean
  /** Longest $filter or $orderby text, in characters. */
  readonly maxFilterLength: number
  /** Deepest nesting of parentheses, calls, lambdas and unary operators in an expression. */
  readonly maxExpressionDepth: number
  readonly maxSelectItems: number
  /**
   * Secret that signs skip tokens. Unset: a random one per engine, so a token only works against the
   * engine that issued it.
   */
  readonly skipTokenSecret?: string
  /** The time `now()` reads, epoch ms: the mock's clock (default: the real time). */
  readonly now?: () => number
}

export const defaultQuerySettings: QuerySettings = Object.freeze({
  defaultPageSize: 100,
  maxPageSize: 999,
  topAboveMax: 'clamp',
  unknownQueryOptions: 'error',
  dollarOptional: true,
  maxFilterLength: 4096,
  maxExpressionDepth: 100,
  maxSelectItems: 100
})
