// $select: a comma list of properties and complex sub-paths (`createdBy/user/displayName`) or `*`.
// The plan projects a row into a fresh object holding only what was selected: the entity's properties
// in $select order, and inside a complex value its properties in the type's (the contract's) order,
// the order a full response has too, with nested partial objects for sub-paths. Values are read as
// own properties only and copied along the model, so nothing the row's prototype offers can leak out.
import { badRequest } from '../errors.js'
import { messages } from './messages.js'
import { findProperty, typeDisplayName, type ComplexType, type EntityModel, type ValueType } from './model.js'

export interface SelectPlan {
  /** The select list in the model's spelling, as the context URL names it: `(id,status)` for `ID,Status`. */
  readonly contextSuffix: string
  /** The selected paths in the model's spelling (`createdBy/user`). */
  readonly paths: readonly string[]
  project: (row: object) => Record<string, unknown>
}

/** `all`: the whole value; a Map: only these properties of a structured value. */
type Selection = 'all' | Map<string, Selection>

export interface SelectItem {
  /** The item as written, trimmed. */
  readonly text: string
  readonly position: number
  /** `*` alone, or the path's segments (a last `*` selects the whole value). */
  readonly segments: readonly string[]
}

/** The syntax of $select, before names are checked: comma-separated items, each `*` or a `/` path. */
export function selectItems (text: string, maxItems: number): SelectItem[] {
  const parts = text.split(',')
  if (parts.length > maxItems) throw badRequest(messages.selectTooManyItems(parts.length, maxItems))
  const items: SelectItem[] = []
  let offset = 0
  for (const part of parts) {
    const item = part.trim()
    const position = offset + (part.length - part.trimStart().length)
    offset += part.length + 1
    if (item === '') throw badRequest(messages.selectEmptyItem(position, text))
    if (item.startsWith('@') || item.includes('(') || item.includes(')')) throw badRequest(messages.selectTermNotValid(item))
    const segments = item.split('/')
    if (segments.some((segment) => segment === '' || (segment === '*' && segment !== segments.at(-1)))) {
      throw badRequest(messages.selectEmptyItem(position, text))
    }
    items.push({ text: item, position, segments })
  }
  return items
}

export function parseSelect (text: string, model: EntityModel, maxItems: number): SelectPlan | undefined {
  if (text.trim() === '') return undefined
  const items = selectItems(text, maxItems)
  let root: Selection = new Map()
  const paths: string[] = []
  const canonical: string[] = []
  for (const item of items) {
    if (item.text === '*') {
      root = 'all'
      paths.push('*')
      canonical.push('*')
      continue
    }
    const names = resolvePath(item.segments, model)
    paths.push(names.join('/'))
    canonical.push(item.segments.at(-1) === '*' ? [...names, '*'].join('/') : names.join('/'))
    if (root !== 'all') addPath(root, names)
  }
  const selection = root
  return {
    contextSuffix: `(${canonical.join(',')})`,
    paths,
    project: (row) => projectObject(row, model, selection, true)
  }
}

/** The path's names in the model's spelling; `*` as the last segment selects the whole value. */
function resolvePath (segments: readonly string[], model: EntityModel): string[] {
  const names: string[] = []
  let type: ValueType = model
  for (const segment of segments) {
    while (type.kind === 'collection') type = type.element
    if (type.kind !== 'complex') throw badRequest(messages.selectThroughPrimitive(names.at(-1) ?? segment, typeDisplayName(type)))
    if (segment === '*') return names
    const property = findProperty(type, segment)
    if (property === undefined) throw badRequest(messages.selectPropertyNotFound(segment, type.name))
    names.push(property.name)
    type = property.type
  }
  return names
}

function addPath (selection: Map<string, Selection>, names: readonly string[]): void {
  let node = selection
  for (let i = 0; i < names.length; i++) {
    const name = names[i] ?? ''
    const existing = node.get(name)
    if (existing === 'all') return
    if (i === names.length - 1) {
      node.set(name, 'all')
      return
    }
    const child: Map<string, Selection> = existing ?? new Map<string, Selection>()
    node.set(name, child)
    node = child
  }
}

/** `entity`: the entity itself, whose selected properties come in $select order; below it, the type's order. */
function projectObject (value: object, type: ComplexType, selection: Selection, entity = false): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  if (selection === 'all') {
    for (const property of type.properties.values()) out[property.name] = copyValue(ownValue(value, property.name), property.type)
    return out
  }
  const names = entity ? selection.keys() : [...type.properties.keys()].filter((name) => selection.has(name))
  for (const name of names) {
    const child = selection.get(name)
    const property = type.properties.get(name)
    if (property === undefined || child === undefined) continue
    const propertyValue = ownValue(value, name)
    out[name] = child === 'all' ? copyValue(propertyValue, property.type) : projectPartial(propertyValue, property.type, child)
  }
  return out
}

function projectPartial (value: unknown, type: ValueType, selection: Selection): unknown {
  if (typeof value !== 'object' || value === null) return null
  if (type.kind === 'collection') return Array.isArray(value) ? value.map((item: unknown) => projectPartial(item, type.element, selection)) : null
  return type.kind === 'complex' ? projectObject(value, type, selection) : null
}

function copyValue (value: unknown, type: ValueType): unknown {
  if (value === undefined || value === null) return null
  switch (type.kind) {
    case 'primitive': case 'enum': return value
    case 'complex': return typeof value === 'object' ? projectObject(value, type, 'all') : null
    case 'collection': return Array.isArray(value) ? value.map((item: unknown) => copyValue(item, type.element)) : null
  }
}

function ownValue (value: object, name: string): unknown {
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined
}
