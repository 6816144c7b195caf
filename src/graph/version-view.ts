// Rows are stored in the beta shape (beta's contract is a superset of v1.0's). A version whose type
// lacks some properties, or some enum members, shows each row through a view: the properties its
// schema declares (at every depth), and an enum member it does not know as `unknownFutureValue`, as
// Graph shows a newer member to an older contract. Built once per type from the two schemas. Pure.

type Node = Readonly<Record<string, unknown>>

function isNode (value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

type View = (value: unknown) => unknown

function typesOf (schema: Node): readonly string[] {
  const type = schema.type
  if (typeof type === 'string') return [type]
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : []
}

/** The view of values of `served` for values stored as `stored`; undefined when they are the same. */
function compileView (served: Node, stored: Node): View | undefined {
  if (Array.isArray(served.enum)) {
    const known = new Set(served.enum)
    const storedMembers = Array.isArray(stored.enum) ? stored.enum : []
    if (storedMembers.every((member) => known.has(member))) return undefined
    const fallback = known.has('unknownFutureValue') ? 'unknownFutureValue' : null
    return (value) => typeof value === 'string' && !known.has(value) ? fallback : value
  }
  const types = typesOf(served)
  if (types.includes('array') && isNode(served.items) && isNode(stored.items)) {
    const item = compileView(served.items, stored.items)
    return item === undefined ? undefined : (value) => Array.isArray(value) ? value.map(item) : value
  }
  if (!types.includes('object') || !isNode(served.properties) || !isNode(stored.properties)) return undefined
  const servedProperties = served.properties
  const storedProperties = stored.properties
  const views = new Map<string, View | undefined>()
  let differs = Object.keys(storedProperties).some((name) => !Object.hasOwn(servedProperties, name))
  for (const [name, schema] of Object.entries(servedProperties)) {
    const storedSchema = storedProperties[name]
    const view = isNode(schema) && isNode(storedSchema) ? compileView(schema, storedSchema) : undefined
    if (view !== undefined) differs = true
    views.set(name, view)
  }
  if (!differs) return undefined
  const names = [...views.keys()]
  return (value) => {
    if (!isNode(value)) return value
    const result: Record<string, unknown> = {}
    for (const name of names) {
      if (!Object.hasOwn(value, name)) continue
      const view = views.get(name)
      result[name] = view === undefined ? value[name] : view(value[name])
    }
    return result
  }
}

/** A row view for serializing `stored` rows as `served`, or undefined when no change is needed. */
export function versionView (served: object, stored: object): ((row: object) => object) | undefined {
  if (served === stored) return undefined
  const view = compileView(served as Node, stored as Node)
  if (view === undefined) return undefined
  const cache = new WeakMap<object, object>()
  return (row) => {
    let shown = cache.get(row)
    if (shown === undefined) {
      shown = view(row) as object
      cache.set(row, shown)
    }
    return shown
  }
}
