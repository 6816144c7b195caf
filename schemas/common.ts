// Building blocks shared by the entity schemas: Graph's primitive shapes as JSON Schema.

/** The DateTimeOffset pattern Microsoft publishes for every date-time property of this API. */
export const DATE_TIME_PATTERN =
  '^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$'

/** A nullable Edm.DateTimeOffset. */
export function dateTimeOffset<const D extends string> (description: D) {
  return { type: ['string', 'null'], format: 'date-time', pattern: DATE_TIME_PATTERN, description } as const
}

/** A nullable Edm.String. */
export function nullableString<const D extends string> (description: D) {
  return { type: ['string', 'null'], description } as const
}

/** A nullable Edm.Int32. */
export function nullableInt32<const D extends string> (description: D) {
  return { type: ['integer', 'null'], minimum: -2147483648, maximum: 2147483647, description } as const
}

/**
 * The same object schema, also accepting null. Graph's CSDL makes structured properties nullable by
 * default, and it sends `null` for an unset one.
 */
export function nullable<const S extends { readonly type: 'object' }> (schema: S): Nullable<S> {
  // The spread's inferred type is an intersection TypeScript cannot narrow; the value is exactly Nullable<S>.
  return { ...schema, type: ['object', 'null'] } as unknown as Nullable<S>
}

/** The type of `nullable(S)`: S with `type: ['object', 'null']`. */
export type Nullable<S> = { readonly [K in keyof S]: K extends 'type' ? readonly ['object', 'null'] : S[K] }

/**
 * An enum property: a member of `members`, or null when unset. `title` is the enum type's name
 * (qualified as `microsoft.graph.<title>`), which the query engine needs for qualified literals.
 */
export function nullableEnum<const T extends string, const M extends readonly string[], const D extends string> (
  title: T, members: M, description: D
) {
  return { title, type: ['string', 'null'], enum: [...members, null], description } as const
}
