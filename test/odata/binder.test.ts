import t, { type Test } from 'tap'
import { isGraphError } from '../../src/errors.js'
import { engine } from './fixtures/sessions.js'

const e = engine()
const T = "'microsoft.graph.exchangeRestoreSession'"

function rejects (t: Test, query: string, message: string): void {
  try {
    e.prepare(query, 'collection')
    t.fail(`${query} should be rejected`)
  } catch (error) {
    t.ok(isGraphError(error) && error.statusCode === 400, `${query}: a 400 GraphError`)
    t.equal((error as Error).message, message, query)
  }
}

t.test('binding errors carry the OData library text', async (t) => {
  const cases: Array<[string, string]> = [
    ["createdDateTime gt 'x'", "A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for operator kind 'GreaterThan'."],
    ['id eq 1', "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'."],
    ["restoreSessionArtifactCount/total eq '5'", "A binary operator with incompatible types was detected. Found operand types 'Edm.Int32' and 'Edm.String' for operator kind 'Equal'."],
    ['id eq 72f988bf-86f1-41af-91ab-2d7cd011db47', "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Guid' for operator kind 'Equal'."],
    ["id add 'a' eq 'b'", "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.String' for operator kind 'Add'."],
    ["id eq 'a' and 1", "A binary operator with incompatible types was detected. Found operand types 'Edm.Boolean' and 'Edm.Int32' for operator kind 'And'."],
    ["createdBy eq 'x'", "A binary operator with incompatible types was detected. Found operand types 'microsoft.graph.identitySet' and 'Edm.String' for operator kind 'Equal'."],
    ['error/details eq null', "A binary operator with incompatible types was detected. Found operand types 'Collection(microsoft.graph.publicErrorDetail)' and '<null>' for operator kind 'Equal'."],
    ['status eq restoreJobType', "A binary operator with incompatible types was detected. Found operand types 'microsoft.graph.restoreSessionStatus' and 'microsoft.graph.restoreJobType' for operator kind 'Equal'."],
    ["id has 'x'", "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.String' for operator kind 'Has'."],
    ["not status eq 'active'", "A unary operator with an incompatible type was detected. Found operand type 'microsoft.graph.restoreSessionStatus' for operator kind 'Not'."],
    ['-id eq 1', "A unary operator with an incompatible type was detected. Found operand type 'Edm.String' for operator kind 'Negate'."],
    ["status eq 'foo'", "The string 'foo' is not a valid enumeration type constant."],
    ["status in ('active', 'foo')", "The string 'foo' is not a valid enumeration type constant."],
    ["status eq microsoft.graph.restoreSessionStatus'nope'", "The string 'nope' is not a valid enumeration type constant."],
    ["status eq microsoft.graph.nothing'active'", "The type 'microsoft.graph.nothing' is not defined in the model."],
    ['foo eq 1', `Could not find a property named 'foo' on type ${T}.`],
    ['__proto__ eq null', `Could not find a property named '__proto__' on type ${T}.`],
    ['constructor eq null', `Could not find a property named 'constructor' on type ${T}.`],
    ['hasOwnProperty eq null', `Could not find a property named 'hasOwnProperty' on type ${T}.`],
    ['createdBy/toString eq null', "Could not find a property named 'toString' on type 'microsoft.graph.identitySet'."],
    ["createdBy/user/nope eq 'x'", "Could not find a property named 'nope' on type 'microsoft.graph.identity'."],
    ["error/details/code eq 'x'", "The parent value for a property access of a property 'code' is not a single value. Property access can only be applied to a single value."],
    ["foo(id) eq 'x'", "An unknown function with name 'foo' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed."],
    ['contains(id, 1)', 'No function signature for the function with name \'contains\' matches the specified arguments. The function signatures considered are: contains(Edm.String, Edm.String).'],
    ['year(id) eq 1', 'No function signature for the function with name \'year\' matches the specified arguments. The function signatures considered are: year(Edm.DateTimeOffset); year(Edm.Date).'],
    ['id', 'The $filter expression must evaluate to a single boolean value.'],
    ['restoreSessionArtifactCount/total add 1', 'The $filter expression must evaluate to a single boolean value.'],
    ['error/details/any(d: d/code)', 'The Any/All query expression must evaluate to a single boolean value.'],
    ['id/any(d: true)', "The property 'id' is not a collection; 'any', 'all' and '$count' apply to collections only."],
    ["error/details/any(d: d/code eq 'x' and error/details/any(d: true))", "The range variable 'd' has already been declared."],
    ["$root/x eq 'a'", "The path segment '$root' is not supported in a query expression."],
    ['createdBy/microsoft.graph.identitySet/user eq null', "The path segment 'microsoft.graph.identitySet' is not supported in a query expression."],
    ["createdDateTime eq duration'PT1H'", "The type 'Edm.Duration' is not supported in a query expression on this entity set."],
    ['id in (id)', "The right operand of the 'in' operator must be a parenthesised list of literals."]
  ]
  for (const [filter, message] of cases) rejects(t, `$filter=${encodeURIComponent(filter)}`, message)
})

t.test('what binds', async (t) => {
  const ok = [
    "STATUS eq 'active'",
    "status eq 'Active'",
    "status eq microsoft.graph.restoreSessionStatus'active'",
    "status eq '2'",
    "'active' eq status",
    'status eq null',
    'createdBy eq null',
    'createdDateTime ge 2024-01-01',
    'restoreSessionArtifactCount/total gt 2.5',
    "status has 'active'",
    "error/details/any(d: d/code eq 'x' and $it/id eq 's3')",
    'error/details/any()',
    "error/details/all(d: contains(d/code, 'x'))",
    'null',
    'true and null',
    'hour(createdDateTime) eq 10 and date(createdDateTime) eq 2024-01-01 and time(createdDateTime) lt 12:00:00',
    'createdDateTime lt now()'
  ]
  for (const filter of ok) t.ok(e.prepare(`$filter=${encodeURIComponent(filter)}`, 'collection'), filter)
})

t.test('length limit', async (t) => {
  const small = engine({ maxFilterLength: 20 })
  t.throws(() => small.prepare(`$filter=${'a'.repeat(21)}`, 'collection'),
    { message: 'The $filter query option is 21 characters long, which exceeds the limit of 20 characters.' })
  t.throws(() => small.prepare(`$orderby=${'a'.repeat(21)}`, 'collection'),
    { message: 'The $orderby query option is 21 characters long, which exceeds the limit of 20 characters.' })
})
