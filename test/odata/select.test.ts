import t from 'tap'
import { engine, rows } from './fixtures/sessions.js'

const e = engine()
const T = "'microsoft.graph.exchangeRestoreSession'"
const first = rows[2] ?? rows[0]

function select (text: string) {
  const prepared = e.prepare(`$select=${encodeURIComponent(text)}`, 'collection')
  return prepared.select
}

t.test('projection and context suffix', async (t) => {
  const cases: Array<[string, string, Record<string, unknown>]> = [
    ['id,status', '(id,status)', { id: 's3', status: 'failed' }],
    ['status,id', '(status,id)', { status: 'failed', id: 's3' }],
    [' status , ID ', '(status,id)', { status: 'failed', id: 's3' }],
    ['createdDateTime', '(createdDateTime)', { createdDateTime: '2024-01-02T10:00:00+02:00' }],
    ['createdBy', '(createdBy)', { createdBy: null }],
    ['error/code,error/details', '(error/code,error/details)', {
      error: { code: 'E1', details: [{ code: 'x', message: 'detail x', target: null }, { code: 'y', message: 'detail y', target: null }] }
    }],
    ['error/details/code', '(error/details/code)', { error: { details: [{ code: 'x' }, { code: 'y' }] } }],
    ['error/innerError/code', '(error/innerError/code)', { error: { innerError: null } }],
    ['restoreSessionArtifactCount/total', '(restoreSessionArtifactCount/total)', { restoreSessionArtifactCount: null }],
    ['error,error/code', '(error,error/code)', {
      error: { code: 'E1', details: [{ code: 'x', message: 'detail x', target: null }, { code: 'y', message: 'detail y', target: null }], innerError: null, message: 'Something failed', target: null }
    }],
    ['error/*', '(error/*)', {
      error: { code: 'E1', details: [{ code: 'x', message: 'detail x', target: null }, { code: 'y', message: 'detail y', target: null }], innerError: null, message: 'Something failed', target: null }
    }]
  ]
  for (const [text, suffix, expected] of cases) {
    const plan = select(text)
    t.equal(plan?.contextSuffix, suffix, `${text}: suffix`)
    t.strictSame(plan?.project(first ?? {}), expected, `${text}: projection`)
    t.strictSame(Object.keys(plan?.project(first ?? {}) ?? {}), Object.keys(expected), `${text}: key order`)
  }
})

t.test('nested sub-paths merge into partial objects', async (t) => {
  const plan = select('createdBy/user/displayName,id,createdBy/application')
  t.strictSame(plan?.project(rows[0] ?? {}), { createdBy: { user: { displayName: 'Ann' }, application: null }, id: 's1' })
})

t.test('star selects every declared property', async (t) => {
  const plan = select('*')
  t.equal(plan?.contextSuffix, '(*)')
  const projected = plan?.project({ ...rows[0], extra: 'not declared' }) ?? {}
  t.strictSame(Object.keys(projected).sort(), [...Object.keys(rows[0] ?? {})].sort())
  t.notOk(Object.hasOwn(projected, 'extra'), 'undeclared properties are dropped')
})

t.test('no or empty $select means all properties', async (t) => {
  t.equal(e.prepare('', 'collection').select, undefined)
  t.equal(e.prepare('$select=', 'collection').select, undefined)
})

t.test('own properties only', async (t) => {
  const plan = select('id,status')
  const inherited = Object.create({ id: 'from-prototype', status: 'active' }) as object
  t.strictSame(plan?.project(inherited), { id: null, status: null })
})

t.test('errors', async (t) => {
  const cases: Array<[string, string]> = [
    ['x', `Parsing OData Select and Expand failed: Could not find a property named 'x' on type ${T}.`],
    ['id,__proto__', `Parsing OData Select and Expand failed: Could not find a property named '__proto__' on type ${T}.`],
    ['constructor', `Parsing OData Select and Expand failed: Could not find a property named 'constructor' on type ${T}.`],
    ['prototype', `Parsing OData Select and Expand failed: Could not find a property named 'prototype' on type ${T}.`],
    ['toString', `Parsing OData Select and Expand failed: Could not find a property named 'toString' on type ${T}.`],
    ['createdBy/hasOwnProperty', "Parsing OData Select and Expand failed: Could not find a property named 'hasOwnProperty' on type 'microsoft.graph.identitySet'."],
    ['@odata.type', "Parsing OData Select and Expand failed: Term '@odata.type' is not valid in a $select or $expand expression."],
    ['id,', "Parsing OData Select and Expand failed: Expression expected at position 3 in 'id,'."],
    ['id/x', "Parsing OData Select and Expand failed: Property 'id' on type 'Edm.String' is not a complex property; it has no sub-properties to select."],
    ['createdBy($select=user)', "Parsing OData Select and Expand failed: Term 'createdBy($select=user)' is not valid in a $select or $expand expression."]
  ]
  for (const [text, message] of cases) t.throws(() => select(text), { message, statusCode: 400 }, text)
})

t.test('item limit', async (t) => {
  const small = engine({ maxSelectItems: 2 })
  t.ok(small.prepare('$select=id,status', 'collection').select)
  t.throws(() => small.prepare('$select=id,status,error', 'collection'),
    { message: 'Parsing OData Select and Expand failed: The $select query option has 3 items, which exceeds the limit of 2.' })
})
