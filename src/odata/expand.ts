// $expand: `nav`, `nav($select=a,b)`, `*`, comma-separated. A name must be a navigation property of
// the type (matched as $select matches names: exactly, else case-insensitively); a structural property
// or an unknown name is the OData library's 400. Inside the parentheses only `$select` is served
// (and `select` without `$` where `$`-less options are allowed); any other nested option is a 400.
// Pure: it says what to expand, the caller resolves and serializes it.
import { badRequest } from '../errors.js'
import { messages } from './messages.js'
import { findProperty, type EntityModel } from './model.js'

export interface ExpandItem {
  /** The navigation property, as the model spells it. */
  readonly name: string
  /** The nested `$select` text, if any. */
  readonly select: string | undefined
}

export function parseExpand (text: string, model: EntityModel, maxItems = 32): readonly ExpandItem[] {
  if (text.trim() === '') return []
  const items: ExpandItem[] = []
  const parts = splitTopLevel(text)
  if (parts.length > maxItems) throw badRequest(`The $expand has ${parts.length} items; at most ${maxItems} are allowed.`)
  for (const part of parts) {
    const trimmed = part.trim()
    const open = trimmed.indexOf('(')
    const name = (open < 0 ? trimmed : trimmed.slice(0, open)).trim()
    if (name === '') throw badRequest(messages.selectEmptyItem(text.indexOf(part), text))
    if (name.includes('/')) throw badRequest(messages.selectTermNotValid(name))
    const nested = open < 0 ? undefined : nestedOptions(trimmed.slice(open), text)
    if (name === '*') {
      for (const navigation of model.navigationProperties) items.push({ name: navigation, select: nested })
      continue
    }
    const lower = name.toLowerCase()
    const navigation = model.navigationProperties.find((nav) => nav === name) ??
      model.navigationProperties.find((nav) => nav.toLowerCase() === lower)
    if (navigation === undefined) {
      if (findProperty(model, name) !== undefined) throw badRequest(messages.expandNotNavigation(name, model.name))
      throw badRequest(messages.selectPropertyNotFound(name, model.name))
    }
    if (items.some((item) => item.name === navigation)) continue
    items.push({ name: navigation, select: nested })
  }
  return items
}

/** `($select=a,b)` → `a,b`; anything else inside is refused. */
function nestedOptions (group: string, text: string): string | undefined {
  if (!group.endsWith(')')) throw badRequest(messages.selectEmptyItem(text.length, text))
  const inner = group.slice(1, -1).trim()
  if (inner === '') return undefined
  let select: string | undefined
  for (const option of inner.split(';')) {
    const eq = option.indexOf('=')
    const key = (eq < 0 ? option : option.slice(0, eq)).trim().toLowerCase()
    if (key !== '$select' && key !== 'select') {
      throw badRequest(`The query option '${(eq < 0 ? option : option.slice(0, eq)).trim()}' is not supported inside $expand; only $select is.`)
    }
    select = option.slice(eq + 1).trim()
  }
  return select
}

/** Splits at commas outside parentheses (nested options may hold commas). */
function splitTopLevel (text: string): string[] {
  const items: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i)
    if (c === '(') depth++
    else if (c === ')') depth = Math.max(0, depth - 1)
    else if (c === ',' && depth === 0) {
      items.push(text.slice(start, i))
      start = i + 1
    }
  }
  items.push(text.slice(start))
  return items
}
