// Reading a write's JSON body against its type, as Graph's OData library does: every property must
// be declared by the type (or by the type `@odata.type` names, which must derive from it), of its
// declared type, not read-only or set by the server, and null only where the type allows it.
// Navigation properties come as references (`{"id": …}`), as contained records inline on create, or
// as `<navigation>@delta` changes on update. Each problem is a 400 BadRequest naming the property.
// Pure: no HTTP framework, nothing is changed here.

import { DATE_TIME_PATTERN } from '../../schemas/index.js'
import { badRequest, type GraphError } from '../errors.js'
import type { Model, NavigationProperty, StructuralProperty } from '../model/index.js'

export type DeltaChange =
  | { readonly kind: 'add', readonly value: Readonly<Record<string, unknown>>, readonly index: number }
  | { readonly kind: 'remove', readonly id: string, readonly index: number }

export interface Payload {
  /** The concrete type: the declared one, or the one `@odata.type` names. */
  readonly type: string
  /** Structural properties as sent (validated). */
  readonly properties: Readonly<Record<string, unknown>>
  /** Contained collections sent inline (create), records not yet validated: the caller reads each as a payload. */
  readonly contained: ReadonlyMap<string, ReadonlyArray<Readonly<Record<string, unknown>>>>
  /** References by navigation: one id, or a list. */
  readonly references: ReadonlyMap<string, string | readonly string[]>
  /** `<navigation>@delta` changes (update). */
  readonly deltas: ReadonlyMap<string, readonly DeltaChange[]>
}

/** Properties every entity's server sets: a client may not send them. */
export const SERVER_SET = new Set(['id', 'createdDateTime', 'lastModifiedDateTime', 'createdBy', 'lastModifiedBy'])

export interface PayloadOptions {
  readonly mode: 'create' | 'update'
  /** Further properties the type's behaviour sets itself (a session's status, counts). */
  readonly serverSet?: ReadonlySet<string>
  /** Navigations the behaviour accepts in a payload (inline, by reference or as @delta). */
  readonly navigations?: ReadonlySet<string>
  /** Where the payload sits in the body, for messages (`/mailboxRestoreArtifacts/0`). */
  readonly pointer?: string
  /** Reference navigations whose new records a create may carry inline (see EntityBehaviour.inlineNavigations). */
  readonly inline?: ReadonlySet<string>
}

const MAX_DEPTH = 16

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function jsonLiteral (value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function shortName (type: string): string {
  return type.replace(/^microsoft\.graph\./, '')
}

export function readPayload (model: Model, declaredType: string, body: unknown, options: PayloadOptions): Payload {
  if (!isRecord(body)) throw badRequest(`The request body must be a JSON object of a ${shortName(declaredType)}, found ${Array.isArray(body) ? 'an array' : jsonLiteral(body)}.`)
  const type = typeOf(model, declaredType, body['@odata.type'])
  const structured = model.type(type)
  const properties: Record<string, unknown> = {}
  const contained = new Map<string, Array<Readonly<Record<string, unknown>>>>()
  const references = new Map<string, string | readonly string[]>()
  const deltas = new Map<string, DeltaChange[]>()
  const serverSet = options.serverSet ?? new Set<string>()
  for (const [name, value] of Object.entries(body)) {
    if (name === '@odata.type') continue
    const at = name.indexOf('@')
    if (at > 0) {
      const navigationName = name.slice(0, at)
      const annotation = name.slice(at + 1)
      const nav = navigationOf(model, type, navigationName, options)
      if (annotation === 'delta' && options.mode === 'update' && nav?.collection === true) {
        deltas.set(nav.name, readDelta(value, name))
        continue
      }
      if (annotation === 'odata.bind' && nav !== undefined) {
        references.set(nav.name, readBind(value, nav, name))
        continue
      }
      throw badRequest(`The annotation '${name}' is not supported on a ${options.mode === 'create' ? 'create' : 'update'} of type '${type}'.`)
    }
    if (name.startsWith('@')) throw badRequest(`The annotation '${name}' is not supported on type '${type}'.`)
    const nav = structured.navigationProperties.find((candidate) => candidate.name === name)
    if (nav !== undefined) {
      if (options.navigations !== undefined && !options.navigations.has(name)) throw badRequest(`The navigation property '${name}' cannot be set in this request.`)
      if (nav.contained || (options.mode === 'create' && nav.collection && options.inline?.has(name) === true)) {
        if (options.mode !== 'create' || !nav.collection) throw badRequest(`The navigation property '${name}' cannot be set in an update; use '${name}@delta'.`)
        if (!Array.isArray(value)) throw badRequest(`The value of the navigation property '${name}' must be an array of ${shortName(nav.type)} objects.`)
        const records = value.map((record, index) => {
          if (!isRecord(record)) throw badRequest(`The item ${index} of '${name}' must be a ${shortName(nav.type)} object, found ${jsonLiteral(record)}.`)
          return record
        })
        contained.set(name, records)
      } else {
        references.set(name, readReference(value, nav, name))
      }
      continue
    }
    const property = structured.properties.find((candidate) => candidate.name === name)
    if (property === undefined) {
      throw badRequest(`The property '${name}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`)
    }
    if (SERVER_SET.has(name) || property.readOnly || serverSet.has(name)) throw badRequest(`The property '${name}' is read-only and cannot be set.`)
    properties[name] = checkValue(model, property, value, name, 0)
  }
  return { type, properties, contained, references, deltas }
}

function navigationOf (model: Model, type: string, name: string, options: PayloadOptions): NavigationProperty | undefined {
  const nav = model.type(type).navigationProperties.find((candidate) => candidate.name === name)
  if (nav === undefined) throw badRequest(`The property '${name}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`)
  if (options.navigations !== undefined && !options.navigations.has(name)) throw badRequest(`The navigation property '${name}' cannot be set in this request.`)
  return nav
}

function typeOf (model: Model, declaredType: string, annotated: unknown): string {
  if (annotated === undefined) return declaredType
  if (typeof annotated !== 'string') throw badRequest(`The value of '@odata.type' must be a string, found ${jsonLiteral(annotated)}.`)
  const name = annotated.startsWith('#') ? annotated.slice(1) : annotated
  if (!model.hasType(name)) throw badRequest(`A type named '${name}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`)
  if (!model.derivesFrom(name, declaredType)) throw badRequest(`A resource with type '${name}' was found, but it is not assignable to the expected type '${declaredType}'. The type specified in the resource must be equal to either the expected type or a derived type.`)
  return name
}

function readReference (value: unknown, nav: NavigationProperty, name: string): string | readonly string[] {
  const one = (item: unknown, where: string): string => {
    if (isRecord(item) && typeof item.id === 'string' && item.id !== '') return item.id
    throw badRequest(`The value of '${where}' must be a reference {"id": "..."} to a ${shortName(nav.type)}, found ${jsonLiteral(item)}.`)
  }
  if (!nav.collection) return one(value, name)
  if (!Array.isArray(value)) throw badRequest(`The value of '${name}' must be an array of references to ${shortName(nav.type)}.`)
  return value.map((item, index) => one(item, `${name}/${index}`))
}

function readBind (value: unknown, nav: NavigationProperty, name: string): string | readonly string[] {
  const one = (item: unknown): string => {
    if (typeof item !== 'string' || item === '') throw badRequest(`The value of '${name}' must be an entity URL, found ${jsonLiteral(item)}.`)
    const key = /\('([^']+)'\)$|\/([^/()]+)$/.exec(item)
    return key?.[1] ?? key?.[2] ?? item
  }
  if (!nav.collection) return one(value)
  if (!Array.isArray(value)) throw badRequest(`The value of '${name}' must be an array of entity URLs.`)
  return value.map(one)
}

function readDelta (value: unknown, name: string): DeltaChange[] {
  if (!Array.isArray(value)) throw badRequest(`The value of '${name}' must be an array of changes.`)
  return value.map((item, index): DeltaChange => {
    if (!isRecord(item)) throw badRequest(`The item ${index} of '${name}' must be an object, found ${jsonLiteral(item)}.`)
    if (Object.hasOwn(item, '@removed')) {
      if (typeof item.id !== 'string' || item.id === '') throw badRequest(`The item ${index} of '${name}' is marked @removed and must name the id of what it removes.`)
      return { kind: 'remove', id: item.id, index }
    }
    return { kind: 'add', value: item, index }
  })
}

const DURATION = /^-?P(?!$)(\d+(?:\.\d+)?D)?(T(?=\d)(\d+(?:\.\d+)?H)?(\d+(?:\.\d+)?M)?(\d+(?:\.\d+)?S)?)?$/
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const dateTime = new RegExp(DATE_TIME_PATTERN)

function convertError (value: unknown, type: string): GraphError {
  return badRequest(`Cannot convert the literal '${typeof value === 'string' ? value : jsonLiteral(value)}' to the expected type '${type}'.`)
}

/** A value of a property (or of an element of a collection property), checked against its type. */
function checkValue (model: Model, property: StructuralProperty, value: unknown, where: string, depth: number): unknown {
  if (depth > MAX_DEPTH) throw badRequest(`The value of '${where}' is nested more deeply than its type allows.`)
  if (property.collection) {
    if (value === null) throw badRequest(`A null value was found for the property named '${where}', which has the expected type 'Collection(${property.type})[Nullable=False]'. The expected type 'Collection(${property.type})[Nullable=False]' does not allow null values.`)
    if (!Array.isArray(value)) throw badRequest(`The property '${where}' is a collection of ${property.type}: its value must be an array, found ${jsonLiteral(value)}.`)
    return value.map((item, index) => checkElement(model, property.type, item, `${where}/${index}`, depth + 1, true))
  }
  if (value === null) {
    if (property.nullable) return null
    throw badRequest(`A null value was found for the property named '${where}', which has the expected type '${property.type}[Nullable=False]'. The expected type '${property.type}[Nullable=False]' does not allow null values.`)
  }
  return checkElement(model, property.type, value, where, depth, property.nullable)
}

function checkElement (model: Model, type: string, value: unknown, where: string, depth: number, nullable: boolean): unknown {
  if (value === null) {
    if (nullable) return null
    throw badRequest(`A null value was found for the property named '${where}', which has the expected type '${type}[Nullable=False]'. The expected type '${type}[Nullable=False]' does not allow null values.`)
  }
  const enumType = model.enumType(type)
  if (enumType !== undefined) {
    if (typeof value !== 'string') throw convertError(value, type)
    const members = enumType.flags ? value.split(',').map((member) => member.trim()) : [value]
    // The stored shape holds one member of a flags enum: combinations are refused rather than half kept.
    if (members.length > 1) throw badRequest(`The value '${value}' of the property '${where}' combines members of the flags enum '${type}'; graph-mock stores one member.`)
    for (const member of members) {
      if (!enumType.members.includes(member)) throw badRequest(`The value '${member}' of the property '${where}' is not a member of the enum type '${type}'.`)
    }
    return value
  }
  if (model.hasType(type)) {
    if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`The property '${where}' is of the complex type '${type}': its value must be an object, found ${jsonLiteral(value)}.`)
    const complex = model.type(type)
    const result: Record<string, unknown> = {}
    for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
      if (name === '@odata.type') continue
      const property = complex.properties.find((candidate) => candidate.name === name)
      if (property === undefined) throw badRequest(`The property '${name}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`)
      result[name] = checkValue(model, property, inner, `${where}/${name}`, depth + 1)
    }
    return result
  }
  switch (type) {
    case 'Edm.String':
      if (typeof value !== 'string') throw convertError(value, type)
      return value
    case 'Edm.Boolean':
      if (typeof value !== 'boolean') throw convertError(value, type)
      return value
    case 'Edm.Int32':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < -2147483648 || value > 2147483647) throw convertError(value, type)
      return value
    case 'Edm.Int64':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw convertError(value, type)
      return value
    case 'Edm.Double':
    case 'Edm.Decimal':
      if (typeof value !== 'number') throw convertError(value, type)
      return value
    case 'Edm.DateTimeOffset':
      if (typeof value !== 'string' || !dateTime.test(value) || Number.isNaN(Date.parse(value))) throw convertError(value, type)
      return value
    case 'Edm.Duration':
      if (typeof value !== 'string' || !DURATION.test(value)) throw convertError(value, type)
      return value
    case 'Edm.Guid':
      if (typeof value !== 'string' || !GUID.test(value)) throw convertError(value, type)
      return value
    default:
      if (typeof value !== 'string') throw convertError(value, type)
      return value
  }
}
