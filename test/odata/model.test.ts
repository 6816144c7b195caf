import t from 'tap'
import { exchangeRestoreSessionSchema } from '../../schemas/index.js'
import { entityModelFromSchema, evolvableEnumMembers, findProperty, typeDisplayName, type ComplexType, type ValueType } from '../../src/odata/index.js'
import { model } from './fixtures/sessions.js'

function typeAt (type: ComplexType, path: string): ValueType | undefined {
  let current: ValueType | undefined = type
  for (const name of path.split('/')) {
    while (current?.kind === 'collection') current = current.element
    if (current?.kind !== 'complex') return undefined
    current = findProperty(current, name)?.type
  }
  return current
}

t.test('types read from the JSON Schema', async (t) => {
  const cases: Array<[string, string]> = [
    ['id', 'Edm.String'],
    ['createdDateTime', 'Edm.DateTimeOffset'],
    ['status', 'microsoft.graph.restoreSessionStatus'],
    ['restoreJobType', 'microsoft.graph.restoreJobType'],
    ['createdBy', 'microsoft.graph.identitySet'],
    ['createdBy/user', 'microsoft.graph.identity'],
    ['createdBy/user/displayName', 'Edm.String'],
    ['restoreSessionArtifactCount', 'microsoft.graph.restoreSessionArtifactCount'],
    ['restoreSessionArtifactCount/total', 'Edm.Int32'],
    ['error', 'microsoft.graph.publicError'],
    ['error/details', 'Collection(microsoft.graph.publicErrorDetail)'],
    ['error/innerError/details/code', 'Edm.String']
  ]
  for (const [path, name] of cases) {
    const type = typeAt(model, path)
    t.equal(type === undefined ? undefined : typeDisplayName(type), name, path)
  }
  t.equal(model.name, 'microsoft.graph.exchangeRestoreSession')
  t.strictSame([...model.enumTypes.keys()].sort(), ['microsoft.graph.restoreJobType', 'microsoft.graph.restoreSessionStatus'])
})

t.test('names resolve case-insensitively, exact first, never through the prototype', async (t) => {
  t.equal(findProperty(model, 'STATUS')?.name, 'status')
  for (const name of ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf']) {
    t.equal(findProperty(model, name), undefined, name)
  }
  const schema = { type: 'object', properties: { name: { type: 'string' }, Name: { type: 'integer' } } }
  const twin = entityModelFromSchema('ns.twin', schema)
  t.equal(findProperty(twin, 'Name')?.type.kind === 'primitive' && typeDisplayName(findProperty(twin, 'Name')?.type ?? twin), 'Edm.Int32')
  t.equal(findProperty(twin, 'name')?.name, 'name')
})

t.test('another entity is data, not code', async (t) => {
  const schema = {
    title: 'widget',
    type: 'object',
    properties: {
      id: { type: 'string' },
      size: { type: ['integer', 'null'], format: 'int64' },
      price: { type: 'number' },
      enabled: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' } },
      kind: { title: 'widgetKind', type: 'string', enum: ['a', 'b', 'unknownFutureValue', 'c'] }
    }
  }
  const widget = entityModelFromSchema('contoso.widget', schema, { navigationProperties: ['parts'] })
  t.strictSame(
    [...widget.properties.values()].map((property) => [property.name, typeDisplayName(property.type)]),
    [['id', 'Edm.String'], ['size', 'Edm.Int64'], ['price', 'Edm.Double'], ['enabled', 'Edm.Boolean'], ['tags', 'Collection(Edm.String)'], ['kind', 'contoso.widgetKind']]
  )
  t.strictSame(widget.navigationProperties, ['parts'])
  t.strictSame(Object.fromEntries(evolvableEnumMembers(widget)), { kind: ['c'] })
})

t.test('evolvable enum members per property path', async (t) => {
  t.strictSame(Object.fromEntries(evolvableEnumMembers(model)), { restoreJobType: ['granular'], status: ['failed'] })
  const fresh = entityModelFromSchema('microsoft.graph.exchangeRestoreSession', exchangeRestoreSessionSchema)
  t.strictSame(fresh.navigationProperties, ['granularMailboxRestoreArtifacts', 'mailboxRestoreArtifacts', 'mailboxRestoreArtifactsBulkAdditionRequests'])
})
