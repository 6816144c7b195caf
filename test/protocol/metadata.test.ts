// $metadata: a CSDL XML document that a standard XML parser (fast-xml-parser) reads, with every type,
// enum member, navigation, action and function of the model, and the `solutions` singleton; every
// `@odata.context` the mock writes resolves in it.

import { XMLParser, XMLValidator } from 'fast-xml-parser'
import t from 'tap'
import { models, type Model } from '../../src/model/index.js'
import { boundOperations, enumMemberValues } from '../../src/protocol/metadata.js'
import { AUTH } from '../helper.js'
import { build } from './build.js'

// Many apps built and many requests made: more than tap's default 30 s on a loaded machine.
t.setTimeout(120000)

type Element = Record<string, unknown>

const LISTS = new Set(['EnumType', 'Member', 'EntityType', 'ComplexType', 'Property', 'NavigationProperty', 'Action', 'Function', 'Parameter', 'Singleton', 'EntitySet', 'PropertyRef'])
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => LISTS.has(name) })

function list (element: Element | undefined, name: string): Element[] {
  const value = element?.[name]
  return Array.isArray(value) ? value as Element[] : []
}

function attr (element: Element | undefined, name: string): string | undefined {
  const value = element?.[`@${name}`]
  return typeof value === 'string' ? value : undefined
}

interface Csdl {
  edmx: Element
  schema: Element
  types: Map<string, Element>
  enums: Map<string, Element>
}

function readCsdl (xml: string): Csdl {
  const parsed = parser.parse(xml) as Element
  const edmx = parsed['edmx:Edmx'] as Element
  const schema = (edmx['edmx:DataServices'] as Element)['Schema'] as Element
  const namespace = attr(schema, 'Namespace') ?? ''
  const types = new Map<string, Element>()
  for (const element of [...list(schema, 'EntityType'), ...list(schema, 'ComplexType')]) types.set(`${namespace}.${attr(element, 'Name') ?? ''}`, element)
  const enums = new Map(list(schema, 'EnumType').map((element) => [`${namespace}.${attr(element, 'Name') ?? ''}`, element]))
  return { edmx, schema, types, enums }
}

/** Every property (structural or navigation) of a CSDL type, its base types' included. */
function members (csdl: Csdl, typeName: string, kind: 'Property' | 'NavigationProperty'): Element[] {
  const found: Element[] = []
  let current: string | undefined = typeName
  while (current !== undefined) {
    const element = csdl.types.get(current)
    if (element === undefined) break
    found.unshift(...list(element, kind))
    current = attr(element, 'BaseType')
  }
  return found
}

function known (csdl: Csdl, type: string): boolean {
  const inner = /^Collection\((.+)\)$/.exec(type)?.[1] ?? type
  return inner.startsWith('Edm.') || csdl.types.has(inner) || csdl.enums.has(inner)
}

async function csdlOf (version: 'beta' | 'v1.0'): Promise<{ xml: string, csdl: Csdl }> {
  const app = await (await import('../../src/app.js')).buildApp({ sessions: [] })
  try {
    const response = await app.inject({ method: 'GET', url: `/${version}/$metadata` })
    return { xml: response.body, csdl: readCsdl(response.body) }
  } finally {
    await app.close()
  }
}

for (const version of ['beta', 'v1.0'] as const) {
  const model: Model = models[version]

  t.test(`${version}: GET /${version}/$metadata is Graph's CSDL XML, no token needed`, async (t) => {
    const app = await build(t, { sessions: [] })
    const response = await app.inject({ method: 'GET', url: `/${version}/$metadata` })
    t.equal(response.statusCode, 200)
    t.equal(response.headers['content-type'], 'application/xml;charset=utf-8')
    t.equal(response.headers['odata-version'], '4.0')
    t.equal(XMLValidator.validate(response.body), true, 'well-formed XML')
    const { edmx, schema } = readCsdl(response.body)
    t.equal(attr(edmx, 'Version'), '4.0')
    t.equal(attr(edmx, 'xmlns:edmx'), 'http://docs.oasis-open.org/odata/ns/edmx')
    t.equal(attr(schema, 'Namespace'), 'microsoft.graph')
    t.equal(attr(schema, 'xmlns'), 'http://docs.oasis-open.org/odata/ns/edm')
    const head = await app.inject({ method: 'HEAD', url: `/${version}/$metadata` })
    t.equal(head.statusCode, 200)
    const post = await app.inject({ method: 'POST', url: `/${version}/$metadata`, headers: AUTH })
    t.equal(post.statusCode, 405)
    t.equal(post.headers.allow, 'GET, HEAD, OPTIONS')
    const options = await app.inject({ method: 'OPTIONS', url: `/${version}/$metadata` })
    t.strictSame([options.statusCode, options.headers.allow, options.body], [204, 'GET, HEAD, OPTIONS', ''])
    const xml = await app.inject({ method: 'GET', url: `/${version}/$metadata`, headers: { accept: 'application/xml' } })
    t.equal(xml.statusCode, 200, 'Accept: application/xml')
    const json = await app.inject({ method: 'GET', url: `/${version}/$metadata`, headers: { accept: 'application/json' } })
    t.equal(json.statusCode, 406, 'Accept: application/json alone cannot be served')
  })

  t.test(`${version}: every type, property, enum member and navigation of the model is declared`, async (t) => {
    const { csdl } = await csdlOf(version)
    const data = model.data
    for (const type of Object.values(data.types)) {
      const element = csdl.types.get(type.name)
      t.ok(element, `${type.name} is declared`)
      if (element === undefined) continue
      t.equal(attr(element, 'BaseType'), type.baseType, `${type.name}: its base type`)
      t.equal(csdl.types.get(type.name) === list(csdl.schema, type.kind === 'entity' ? 'EntityType' : 'ComplexType').find((e) => `microsoft.graph.${attr(e, 'Name') ?? ''}` === type.name), true, `${type.name} is a ${type.kind === 'entity' ? 'EntityType' : 'ComplexType'}`)
      const properties = members(csdl, type.name, 'Property').map((p) => ({ name: attr(p, 'Name'), type: attr(p, 'Type'), nullable: attr(p, 'Nullable') !== 'false' }))
      t.strictSame(properties, type.properties.map((p) => ({ name: p.name, type: p.collection ? `Collection(${p.type})` : p.type, nullable: p.nullable })), `${type.name}: its properties, inherited ones first`)
      const navigations = members(csdl, type.name, 'NavigationProperty').map((n) => ({ name: attr(n, 'Name'), type: attr(n, 'Type'), contained: attr(n, 'ContainsTarget') === 'true' }))
      t.strictSame(navigations, type.navigationProperties.map((n) => ({ name: n.name, type: n.collection ? `Collection(${n.type})` : n.type, contained: n.contained })), `${type.name}: its navigations`)
      for (const property of [...members(csdl, type.name, 'Property'), ...members(csdl, type.name, 'NavigationProperty')]) {
        t.ok(known(csdl, attr(property, 'Type') ?? ''), `${type.name}.${attr(property, 'Name') ?? ''}: its type ${attr(property, 'Type') ?? ''} is declared`)
      }
    }
    const entity = csdl.types.get('microsoft.graph.entity')
    t.strictSame(list(entity?.['Key'] as Element, 'PropertyRef').map((ref) => attr(ref, 'Name')), ['id'], 'entity is keyed by id')
    for (const enumType of Object.values(data.enums)) {
      const element = csdl.enums.get(enumType.name)
      t.equal(attr(element, 'UnderlyingType'), 'Edm.Int32', `${enumType.name}: Edm.Int32`)
      t.equal(attr(element, 'IsFlags'), enumType.flags ? 'true' : undefined, `${enumType.name}: flags or not`)
      const values = enumMemberValues(enumType.members, enumType.flags)
      t.strictSame(list(element, 'Member').map((m) => [attr(m, 'Name'), attr(m, 'Value')]), enumType.members.map((m, i) => [m, String(values[i])]), `${enumType.name}: its members and values, in order`)
    }
    t.equal(csdl.types.size, Object.keys(data.types).length + 1, 'nothing else but the solutions root type')
  })

  t.test(`${version}: the solutions singleton leads to the root; every action and function of the contract is bound`, async (t) => {
    const { csdl } = await csdlOf(version)
    const container = csdl.schema['EntityContainer'] as Element
    t.strictSame(list(container, 'Singleton').map((s) => [attr(s, 'Name'), attr(s, 'Type')]), [['solutions', 'microsoft.graph.solutionsRoot']])
    t.strictSame(members(csdl, 'microsoft.graph.solutionsRoot', 'NavigationProperty').map((n) => [attr(n, 'Name'), attr(n, 'Type'), attr(n, 'ContainsTarget')]), [['backupRestore', model.root.type, 'true']])
    const operations = [...list(csdl.schema, 'Action').map((e) => ['action', e] as const), ...list(csdl.schema, 'Function').map((e) => ['function', e] as const)]
    const paths = model.paths.filter((path) => path.segments.some((s) => s.kind === 'action' || s.kind === 'function'))
    t.ok(paths.length > 0, 'the contract has operations')
    for (const path of paths) {
      const segment = path.segments.find((s) => s.kind === 'action' || s.kind === 'function')
      if (segment === undefined || (segment.kind !== 'action' && segment.kind !== 'function')) continue
      const previous = path.segments[path.segments.indexOf(segment) - 1]
      const binding = previous !== undefined && 'type' in previous
        ? (previous.kind === 'navigation' || previous.kind === 'cast') && previous.collection ? `Collection(${previous.type})` : previous.type
        : ''
      const found = operations.find(([kind, e]) => kind === segment.kind && attr(e, 'Name') === segment.name && attr(list(e, 'Parameter')[0], 'Type') === binding)
      t.ok(found, `${path.path}: ${segment.kind} ${segment.name} bound to ${binding}`)
      if (found === undefined) continue
      const [, element] = found
      t.equal(attr(element, 'IsBound'), 'true')
      const parameters = list(element, 'Parameter').slice(1).map((p) => attr(p, 'Name'))
      const expected = segment.kind === 'function' ? segment.parameters : (path.operations[0]?.parameters ?? []).map((p) => p.name)
      t.strictSame(parameters, [...expected], `${path.path}: its parameters`)
      for (const parameter of list(element, 'Parameter')) t.ok(known(csdl, attr(parameter, 'Type') ?? ''), `${path.path}: parameter ${attr(parameter, 'Name') ?? ''} has a declared type`)
      const returns = attr(element['ReturnType'] as Element | undefined, 'Type')
      if (returns !== undefined) t.ok(known(csdl, returns), `${path.path}: returns a declared type`)
    }
    t.equal(operations.length, boundOperations(model).length, 'one element per operation and binding')
  })
}

/** `solutions/backupRestore/x('k')/y/microsoft.graph.z(id,status)/$entity` → its segments, or a problem. */
function resolveContext (csdl: Csdl, fragment: string): string | undefined {
  let rest = fragment.replace(/\/\$entity$/, '')
  const select = /\(([^'()]*)\)$/.exec(rest)
  if (select !== null) rest = rest.slice(0, select.index)
  const segments = rest.replace(/\('(?:[^']|'')*'\)/g, '').split('/')
  const container = csdl.schema['EntityContainer'] as Element
  const singleton = list(container, 'Singleton').find((s) => attr(s, 'Name') === segments[0])
  if (singleton === undefined) return `no singleton ${segments[0] ?? ''}`
  let type = attr(singleton, 'Type') ?? ''
  for (const segment of segments.slice(1)) {
    if (segment.startsWith('microsoft.graph.')) {
      let base: string | undefined = segment
      while (base !== undefined && base !== type) base = attr(csdl.types.get(base), 'BaseType')
      if (base === undefined) return `the cast ${segment} is not a type deriving from ${type}`
      type = segment
      continue
    }
    const nav = members(csdl, type, 'NavigationProperty').find((n) => attr(n, 'Name') === segment)
    if (nav === undefined) return `${type} has no navigation ${segment}`
    type = (attr(nav, 'Type') ?? '').replace(/^Collection\((.+)\)$/, '$1')
  }
  if (select !== null) {
    const names = new Set([...members(csdl, type, 'Property'), ...members(csdl, type, 'NavigationProperty')].map((p) => attr(p, 'Name')))
    for (const item of (select[1] ?? '').split(',')) {
      const first = item.trim().split('/')[0] ?? ''
      if (first !== '*' && !names.has(first)) return `${type} has no property ${first} (selected)`
    }
  }
  return undefined
}

t.test('every @odata.context the mock writes resolves in its $metadata', async (t) => {
  // Bodies are checked against the contract elsewhere; here only their context URLs matter.
  const app = await (await import('../../src/app.js')).buildApp({})
  t.teardown(async () => { await app.close() })
  for (const version of ['beta', 'v1.0'] as const) {
    const { csdl } = await csdlOf(version)
    const model = models[version]
    const urls: string[] = []
    for (const path of model.readPaths()) {
      if (!path.operations.some((op) => op.method === 'GET')) continue
      if (path.segments.some((s) => s.kind === 'key' || s.kind === 'count' || s.kind === 'action' || s.kind === 'function')) continue
      urls.push(`/${version}${path.path}`)
    }
    for (const set of model.storedSets()) {
      const list = await app.inject({ method: 'GET', url: `/${version}/solutions/backupRestore/${set.name}?$top=1`, headers: AUTH })
      const first = list.json<{ value?: Array<{ id?: string }> }>().value?.[0]?.id
      if (first !== undefined) urls.push(`/${version}/solutions/backupRestore/${set.name}/${first}`, `/${version}/solutions/backupRestore/${set.name}/${first}?$select=id`)
    }
    urls.push(`/${version}/solutions/backupRestore/exchangeRestoreSessions?$select=id,status,createdBy/user`)
    let checked = 0
    for (const url of urls) {
      const response = await app.inject({ method: 'GET', url, headers: AUTH })
      if (response.statusCode !== 200) continue
      const context = response.json<{ '@odata.context'?: string }>()['@odata.context'] ?? ''
      const prefix = `https://graph.microsoft.com/${version}/$metadata#`
      t.ok(context.startsWith(prefix), `${url}: the context names this version's $metadata`)
      const problem = resolveContext(csdl, context.slice(prefix.length))
      t.equal(problem, undefined, `${url}: ${context} resolves`)
      checked++
    }
    t.ok(checked > 20, `${version}: ${checked} context URLs checked`)
  }
})
