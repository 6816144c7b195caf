// Every message the query engine answers a 400 with, in one table. The wording is the OData library's
// (and ASP.NET OData's), which Graph returns word for word; `filterPrefix` is how Graph wraps $filter
// syntax errors. Binding errors (unknown names, type mismatches) go out unprefixed.
import { badRequest, type GraphError } from '../errors.js'

export const filterPrefix = 'Invalid filter clause: '
export const selectExpandPrefix = 'Parsing OData Select and Expand failed: '
const notValidPrefix = 'The query specified in the URI is not valid. '

export const messages = {
  // Lexer and parser (positions are zero-based character offsets into the expression).
  syntaxError: (pos: number, text: string) => `Syntax error at position ${pos} in '${text}'.`,
  invalidCharacter: (char: string, pos: number, text: string) =>
    `Syntax error: character '${char}' is not valid at position ${pos} in '${text}'.`,
  unterminatedString: (pos: number, text: string) =>
    `There is an unterminated string literal at position ${pos} in '${text}'.`,
  expressionExpected: (pos: number, text: string) => `Expression expected at position ${pos} in '${text}'.`,
  closeParenOrOperatorExpected: (pos: number, text: string) =>
    `')' or operator expected at position ${pos} in '${text}'.`,
  closeParenOrCommaExpected: (pos: number, text: string) =>
    `')' or ',' expected at position ${pos} in '${text}'.`,
  unrecognizedLiteral: (type: string, literal: string, pos: number, text: string) =>
    `Unrecognized '${type}' literal '${literal}' at '${pos}' in '${text}'.`,
  recursionDepthExceeded: () => 'Recursion depth exceeded allowed limit.',
  expressionTooLong: (option: string, length: number, max: number) =>
    `The ${option} query option is ${length} characters long, which exceeds the limit of ${max} characters.`,

  // Binder.
  propertyNotFound: (name: string, typeName: string) => `Could not find a property named '${name}' on type '${typeName}'.`,
  incompatibleBinary: (left: string, right: string, operatorKind: string) =>
    `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' for operator kind '${operatorKind}'.`,
  incompatibleUnary: (operand: string, operatorKind: string) =>
    `A unary operator with an incompatible type was detected. Found operand type '${operand}' for operator kind '${operatorKind}'.`,
  invalidEnumConstant: (value: string) => `The string '${value}' is not a valid enumeration type constant.`,
  unknownFunction: (name: string) =>
    `An unknown function with name '${name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
  noFunctionSignature: (name: string, signatures: string) =>
    `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${signatures}.`,
  filterNotBoolean: () => 'The $filter expression must evaluate to a single boolean value.',
  orderByNotPrimitive: () => 'The $orderby expression must evaluate to a single value of primitive type.',
  unsupportedType: (type: string) => `The type '${type}' is not supported in a query expression on this entity set.`,
  typeNotFound: (type: string) => `The type '${type}' is not defined in the model.`,
  unsupportedPathSegment: (segment: string) => `The path segment '${segment}' is not supported in a query expression.`,
  notACollection: (name: string) => `The property '${name}' is not a collection; 'any', 'all' and '$count' apply to collections only.`,
  collectionNotAllowed: (name: string) => `The collection property '${name}' cannot be used as a single value.`,
  lambdaVariableInUse: (name: string) => `The range variable '${name}' has already been declared.`,
  propertyAccessOnCollection: (name: string) =>
    `The parent value for a property access of a property '${name}' is not a single value. Property access can only be applied to a single value.`,
  lambdaNotBoolean: () => 'The Any/All query expression must evaluate to a single boolean value.',
  inRightOperand: () => "The right operand of the 'in' operator must be a parenthesised list of literals.",

  // $select and $expand.
  selectPropertyNotFound: (name: string, typeName: string) =>
    `${selectExpandPrefix}Could not find a property named '${name}' on type '${typeName}'.`,
  selectTermNotValid: (term: string) =>
    `${selectExpandPrefix}Term '${term}' is not valid in a $select or $expand expression.`,
  selectEmptyItem: (pos: number, text: string) => `${selectExpandPrefix}Expression expected at position ${pos} in '${text}'.`,
  selectTooManyItems: (count: number, max: number) =>
    `${selectExpandPrefix}The $select query option has ${count} items, which exceeds the limit of ${max}.`,
  selectThroughPrimitive: (name: string, typeName: string) =>
    `${selectExpandPrefix}Property '${name}' on type '${typeName}' is not a complex property; it has no sub-properties to select.`,
  expandNotAllowed: (name: string) => `Expand is not allowed for property '${name}' according to the entity schema.`,
  expandNotNavigation: (name: string, typeName: string) =>
    `${selectExpandPrefix}Property '${name}' on type '${typeName}' is not a navigation property or complex property. Only navigation properties can be expanded.`,

  // Query options.
  invalidNonNegativeInteger: (option: string, value: string) =>
    `Invalid value '${value}' for $${option} query option found. The $${option} query option requires a non-negative integer value.`,
  topLimitExceeded: (max: number, value: string) =>
    `${notValidPrefix}The limit of '${max}' for Top query has been exceeded. The value from the incoming request is '${value}'.`,
  invalidCount: (value: string) => `Invalid value '${value}' for $count query option found. Valid values are 'true, false'.`,
  duplicateOption: (name: string) => `Query option '$${name}' was specified more than once, but it must be specified at most once.`,
  optionNotAllowed: (name: string) =>
    `${notValidPrefix}Query option '${name}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`,
  unsupportedFormat: (value: string) =>
    `The requested format '${value}' is not supported. This endpoint answers with 'json' (application/json) only.`,
  malformedEncoding: (name: string) => `The query option '${name}' is not valid percent-encoded text.`,
  invalidSkipToken: () =>
    'The $skiptoken value is not valid for this request. Follow the @odata.nextLink exactly as it was returned.',
  notACollectionResource: () =>
    `${notValidPrefix}The requested resource is not a collection. Query options $filter, $orderby, $count, $skip, and $top can be applied only on collections.`
} as const

/** A $filter syntax error, prefixed the way Graph reports it. */
export function filterSyntaxError (message: string): GraphError {
  return badRequest(filterPrefix + message)
}

/** ODL's names for the binary operators, as they appear in type-mismatch messages. */
export const operatorKindNames = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
  and: 'And',
  or: 'Or',
  add: 'Add',
  sub: 'Subtract',
  mul: 'Multiply',
  div: 'Divide',
  mod: 'Modulo',
  has: 'Has'
} as const
