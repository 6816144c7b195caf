// $expand: this service serves no navigation property, so every item is a 400. It still tells apart a
// declared navigation property (not expandable here), a structural property (not a navigation
// property) and an unknown name.
import { badRequest } from '../errors.js'
import { messages } from './messages.js'
import { findProperty, type EntityModel } from './model.js'

export function validateExpand (text: string, model: EntityModel): void {
  if (text.trim() === '') return
  for (const item of splitTopLevel(text)) {
    const trimmed = item.trim()
    const name = trimmed.split(/[/(]/, 1)[0] ?? ''
    if (name === '') throw badRequest(messages.selectEmptyItem(text.indexOf(item), text))
    if (name === '*') {
      const first = model.navigationProperties[0]
      if (first !== undefined) throw badRequest(messages.expandNotAllowed(first))
      continue
    }
    const lower = name.toLowerCase()
    const navigation = model.navigationProperties.find((nav) => nav === name) ??
      model.navigationProperties.find((nav) => nav.toLowerCase() === lower)
    if (navigation !== undefined) throw badRequest(messages.expandNotAllowed(navigation))
    if (findProperty(model, name) !== undefined) throw badRequest(messages.expandNotNavigation(name, model.name))
    throw badRequest(messages.selectPropertyNotFound(name, model.name))
  }
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
