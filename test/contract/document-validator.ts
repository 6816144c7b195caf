// A published contract document as a JSON checker, for any document (the exchangeRestoreSessions
// subset, or the whole beta or v1.0 Backup Storage document). Its OpenAPI 3.0 schemas are converted
// once into JSON Schema for Ajv, read as Graph sends them:
// - `nullable: true` admits null; a `$ref`'d property that is not required may be null too (CSDL's
//   default, which the OpenAPI conversion cannot state beside a `$ref`);
// - `allOf` is merged into one object (properties and `required` of every part, refs followed), so
//   the type can be closed;
// - an object with declared properties is closed: its `additionalProperties: {type: object}` is the
//   generator's noise (the CSDL types are not open). Only OData annotations (`@odata.*`,
//   `property@odata.*`) may stand beside the known properties. An object that declares none
//   (`ODataErrors.InnerError`, "service-specific") stays open;
// - polymorphism: a value of a type with derived types (a `restoreSessionBase` in `restoreSessions`,
//   an `emailIdentity` where an `identity` is declared) is checked against the type its
//   `@odata.type` names, when that is the declared type or one derived from it (`allOf` chains say
//   which). An `@odata.type` naming any other type is an error;
// - `number` + `int32` is an integer in the Int32 range; a flags enum is a comma-separated list of
//   its members; `date-time` keeps the contract's pattern and is also checked as a date-time, and
//   `duration` as an ISO 8601 duration;
// - a collection envelope (`…CollectionResponse`, or an inline object with a `value` array) also
//   declares the annotations Graph puts on it (`@odata.context`, `@odata.count`) and requires `value`.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { OpenApiSchema } from './contract.js'

type JsonSchema = Record<string, unknown>

const addFormats = addFormatsModule.default
const PREFIX = '#/components/schemas/'
/** Where the closed schema of a type (no dispatch on `@odata.type`) is kept beside the dispatching one. */
const EXACT = 'exact:'

/** The annotations Graph may put beside any object's properties. */
const ANNOTATIONS: JsonSchema = {
  '^@odata\\.(context|deltaLink|type|id|etag|editLink|readLink)$': { type: 'string' },
  '^@odata\\.count$': { type: 'integer', minimum: 0 },
  '^[^@]*@odata\\.[A-Za-z]+$': true
}

export const INT32 = { minimum: -2147483648, maximum: 2147483647 }

/** The part of an OpenAPI document the checker reads. */
export interface SchemaDocument {
  components: { schemas: Record<string, OpenApiSchema> }
}

function nameOf (ref: string): string {
  if (!ref.startsWith(PREFIX)) throw new Error(`unsupported $ref ${ref}`)
  return ref.slice(PREFIX.length)
}

function withNull (types: string, nullable: boolean | undefined): string | string[] {
  return nullable === true ? [types, 'null'] : types
}

function describe (error: ErrorObject): string {
  const where = error.instancePath === '' ? '(body)' : error.instancePath
  const extra = error.keyword === 'additionalProperties'
    ? ` '${String(error.params.additionalProperty)}'`
    : error.keyword === 'const' ? ` '${String(error.params.allowedValue)}'` : ''
  return `${where} ${error.message ?? error.keyword}${extra}`
}

/** The errors worth reading: an `if`'s "must match else" only repeats what its branch said. */
function readable (errors: readonly ErrorObject[]): string[] {
  return errors.filter((error) => error.keyword !== 'if').map(describe)
}

function isEnvelope (schema: JsonSchema): boolean {
  const properties = schema['properties']
  return typeof properties === 'object' && properties !== null && 'value' in properties
}

/** An envelope with Graph's collection annotations declared and `value` required. */
function envelope (converted: JsonSchema): JsonSchema {
  const properties = converted['properties'] as Record<string, JsonSchema>
  return {
    ...converted,
    properties: { '@odata.context': { type: 'string' }, '@odata.count': { type: 'integer', minimum: 0 }, ...properties },
    required: ['value']
  }
}

export class DocumentValidator {
  readonly #schemas: Record<string, OpenApiSchema>
  readonly #id: string
  readonly #ajv: Ajv
  readonly #compiled = new Map<string, ValidateFunction>()
  readonly #derived = new Map<string, string[]>()
  readonly #definitions: Record<string, JsonSchema>

  /** `id` names the converted document inside Ajv; two validators need different ids. */
  constructor (document: SchemaDocument, id: string) {
    this.#schemas = document.components.schemas
    this.#id = id
    this.#collectDerivedTypes()
    this.#definitions = this.#convertAll()
    this.#ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, allowMatchingProperties: true })
    addFormats(this.#ajv)
    this.#ajv.addSchema({ $id: id, definitions: this.#definitions })
  }

  /** Every component schema of the document, converted (plus the closed form of each polymorphic type). */
  definitions (): Record<string, JsonSchema> {
    return this.#definitions
  }

  /** The component's derived types (qualified names, direct or not), in the document's order. */
  derivedTypes (name: string): readonly string[] {
    return this.#derived.get(name) ?? []
  }

  /** The validator of one component schema. */
  validator (name: string): ValidateFunction {
    const validate = this.#ajv.getSchema(`${this.#id}#/definitions/${name}`)
    if (validate === undefined) throw new Error(`the contract has no schema ${name}`)
    return validate
  }

  /** What in `body` does not match `schema` (a component name, or a schema as the document writes it). */
  errors (schema: string | OpenApiSchema, body: unknown): string[] {
    const validate = typeof schema === 'string' ? this.validator(schema) : this.#inline(schema)
    return validate(body) ? [] : readable(validate.errors ?? [])
  }

  #inline (schema: OpenApiSchema): ValidateFunction {
    if (schema.$ref !== undefined) return this.validator(nameOf(schema.$ref))
    const key = JSON.stringify(schema)
    let validate = this.#compiled.get(key)
    if (validate === undefined) {
      const converted = this.#convert(schema)
      validate = this.#ajv.compile(isEnvelope(converted) ? envelope(converted) : converted)
      this.#compiled.set(key, validate)
    }
    return validate
  }

  #component (name: string): OpenApiSchema {
    const schema = this.#schemas[name]
    if (schema === undefined) throw new Error(`the contract has no schema ${name}`)
    return schema
  }

  #baseOf (name: string): string | undefined {
    const first = this.#component(name).allOf?.[0]?.$ref
    return first === undefined ? undefined : nameOf(first)
  }

  #collectDerivedTypes (): void {
    for (const name of Object.keys(this.#schemas)) {
      for (let base = this.#baseOf(name); base !== undefined; base = this.#baseOf(base)) {
        const list = this.#derived.get(base) ?? []
        list.push(name)
        this.#derived.set(base, list)
      }
    }
  }

  #ref (name: string): JsonSchema {
    return { $ref: `${this.#id}#/definitions/${name}` }
  }

  /** `allOf` (and the refs in it) merged into one object schema; anything else unchanged. */
  #merged (schema: OpenApiSchema): OpenApiSchema {
    if (schema.allOf === undefined) return schema
    const properties: Record<string, OpenApiSchema> = {}
    const required: string[] = []
    const visit = (part: OpenApiSchema): void => {
      if (part.$ref !== undefined) return visit(this.#component(nameOf(part.$ref)))
      for (const inner of part.allOf ?? []) visit(inner)
      Object.assign(properties, part.properties)
      required.push(...(part.required ?? []))
    }
    visit(schema)
    return { type: 'object', properties, required }
  }

  #convertString (schema: OpenApiSchema): JsonSchema {
    const nullable = schema.nullable === true
    if (schema.enum !== undefined && schema['x-ms-enum-flags']?.isFlags === true) {
      const member = `(${schema.enum.join('|')})`
      return { type: withNull('string', nullable), pattern: `^${member}(,${member})*$` }
    }
    if (schema.enum !== undefined) return { type: withNull('string', nullable), enum: nullable ? [...schema.enum, null] : schema.enum }
    return {
      type: withNull('string', nullable),
      ...(schema.pattern === undefined ? {} : { pattern: schema.pattern }),
      ...(schema.format === 'date-time' || schema.format === 'duration' ? { format: schema.format } : {})
    }
  }

  /** A closed object; `typeName` (qualified) pins its `@odata.type` when it is a named structured type. */
  #convertObject (schema: OpenApiSchema, typeName?: string): JsonSchema {
    const entries = Object.entries(schema.properties ?? {})
    if (entries.length === 0) return { type: withNull('object', schema.nullable) }
    const required = schema.required ?? []
    const properties: Record<string, JsonSchema> = {}
    if (typeName !== undefined) properties['@odata.type'] = { const: `#${typeName}` }
    for (const [key, property] of entries) {
      properties[key] = property.$ref !== undefined && !required.includes(key)
        ? { anyOf: [this.#convert(property), { type: 'null' }] }
        : this.#convert(property)
    }
    return {
      type: withNull('object', schema.nullable),
      properties,
      ...(required.length === 0 ? {} : { required }),
      patternProperties: ANNOTATIONS,
      additionalProperties: false
    }
  }

  /** One OpenAPI schema as JSON Schema; refs point into the converted definitions. */
  #convert (input: OpenApiSchema, typeName?: string): JsonSchema {
    if (input.$ref !== undefined) return this.#ref(nameOf(input.$ref))
    const schema = this.#merged(input)
    switch (schema.type) {
      case 'object': return this.#convertObject(schema, typeName)
      case 'string': return this.#convertString(schema)
      case 'array': return { type: withNull('array', schema.nullable), items: schema.items === undefined ? true : this.#convert(schema.items) }
      case 'boolean': return { type: withNull('boolean', schema.nullable) }
      case 'integer':
      case 'number': {
        const integer = schema.type === 'integer' || schema.format === 'int32'
        const range = schema.format === 'int32' ? INT32 : {}
        return {
          type: withNull(integer ? 'integer' : 'number', schema.nullable),
          ...range,
          ...(schema.minimum === undefined ? {} : { minimum: schema.minimum }),
          ...(schema.maximum === undefined ? {} : { maximum: schema.maximum })
        }
      }
      case undefined:
      default:
        throw new Error(`unsupported schema type ${String(schema.type)}`)
    }
  }

  /** Whether a component is a structured type of the service (not an envelope, an error or a count). */
  #isStructuredType (name: string, merged: OpenApiSchema): boolean {
    return name.startsWith('microsoft.graph.') && !name.startsWith('microsoft.graph.ODataErrors.') &&
      !name.endsWith('CollectionResponse') && merged.type === 'object' && Object.keys(merged.properties ?? {}).length > 0
  }

  /**
   * A structured type's schema chooses by `@odata.type`: a derived type's name sends the value to
   * that type's closed schema, anything else to the declared type's, which admits its own name only.
   */
  #dispatch (name: string): JsonSchema {
    let schema: JsonSchema = this.#ref(`${EXACT}${name}`)
    for (const derived of [...this.derivedTypes(name)].reverse()) {
      schema = {
        if: { type: 'object', properties: { '@odata.type': { const: `#${derived}` } }, required: ['@odata.type'] },
        then: this.#ref(`${EXACT}${derived}`),
        else: schema
      }
    }
    return schema
  }

  #convertAll (): Record<string, JsonSchema> {
    const definitions: Record<string, JsonSchema> = {}
    for (const [name, schema] of Object.entries(this.#schemas)) {
      if (this.#isStructuredType(name, this.#merged(schema))) {
        definitions[`${EXACT}${name}`] = this.#convert(schema, name)
        definitions[name] = this.#dispatch(name)
        continue
      }
      const converted = this.#convert(schema)
      definitions[name] = name.endsWith('CollectionResponse') && isEnvelope(converted) ? envelope(converted) : converted
    }
    return definitions
  }
}
