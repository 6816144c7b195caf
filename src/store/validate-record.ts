// Schema validation of fixture records with Ajv (+ ajv-formats), and the wording of its errors. The
// store is strict on shape only (types, formats, enums, closed objects), not on business rules.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { DATE_TIME_PATTERN } from '../../schemas/index.js'

// ajv-formats is CommonJS; under NodeNext its plugin is the `default` property of the default import.
const addFormats = addFormatsModule.default

// verbose: errors carry their parent schema, whose title names the type of a closed object.
const ajv = new Ajv({ allowUnionTypes: true, verbose: true })
addFormats(ajv)

/** Compiles a record schema once; the result is a type guard for T. */
export function compileValidator<T> (schema: object): ValidateFunction<T> {
  return ajv.compile<T>(schema)
}

/** The first validation error as `property /pointer <problem>` (or the problem alone at the top). */
export function describeValidationError (error: ErrorObject): { pointer: string, text: string } {
  switch (error.keyword) {
    case 'required': {
      const pointer = `${error.instancePath}/${escapePointer(String(error.params['missingProperty']))}`
      return { pointer, text: `property ${pointer} is required` }
    }
    case 'additionalProperties': {
      const pointer = `${error.instancePath}/${escapePointer(String(error.params['additionalProperty']))}`
      const title = titleOf(error.parentSchema)
      const owner = title === undefined ? 'the schema' : title
      return { pointer, text: `property ${pointer} is not a property of ${owner}` }
    }
    default:
      return { pointer: error.instancePath, text: withPointer(error.instancePath, problemOf(error)) }
  }
}

function problemOf (error: ErrorObject): string {
  switch (error.keyword) {
    case 'type':
      return `must be ${listTypes(error.params['type'])}`
    case 'enum':
      return `must be one of ${listValues(error.params['allowedValues'])}`
    case 'pattern':
      // Date-times carry both the published pattern and the format; the pattern fails first.
      return error.params['pattern'] === DATE_TIME_PATTERN ? 'must match format "date-time"' : error.message ?? 'must match its pattern'
    default:
      return error.message ?? `fails the "${error.keyword}" rule`
  }
}

function withPointer (pointer: string, problem: string): string {
  return pointer === '' ? `record ${problem}` : `property ${pointer} ${problem}`
}

const typeArticles: Readonly<Record<string, string>> = {
  array: 'an array',
  boolean: 'a boolean',
  integer: 'an integer',
  number: 'a number',
  object: 'an object',
  string: 'a string'
}

function listTypes (type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)]
  return types.map((name) => typeArticles[name] ?? name).join(' or ')
}

function listValues (values: unknown): string {
  return Array.isArray(values) ? values.map((value) => JSON.stringify(value)).join(', ') : String(values)
}

function titleOf (schema: unknown): string | undefined {
  if (typeof schema !== 'object' || schema === null || !('title' in schema)) return undefined
  return typeof schema.title === 'string' ? schema.title : undefined
}

function escapePointer (segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1')
}
