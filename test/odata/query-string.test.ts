import t from 'tap'
import { parseQueryString } from '../../src/odata/query-string.js'
import { defaultQuerySettings } from '../../src/odata/settings.js'
import { engine } from './fixtures/sessions.js'

const options = (raw: string, settings = defaultQuerySettings) => Object.fromEntries(parseQueryString(raw, settings).options)
const notAllowed = (name: string) =>
  `The query specified in the URI is not valid. Query option '${name}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`

t.test('splitting and decoding', async (t) => {
  const cases: Array<[string, Record<string, string>]> = [
    ['', {}],
    ['?$top=5', { top: '5' }],
    ["$filter=status%20eq%20'active'", { filter: "status eq 'active'" }],
    ["$filter=startswith(id%2C+'J')", { filter: "startswith(id, 'J')" }],
    ['$filter=a%3Db', { filter: 'a=b' }],
    ['$filter=x eq 1&&$top=1&', { filter: 'x eq 1', top: '1' }],
    ['$filter=a=b=c', { filter: 'a=b=c' }],
    ['$filter=x%26y', { filter: 'x&y' }],
    ['$filter=2024-01-01T00:00:00%2B01:00', { filter: '2024-01-01T00:00:00+01:00' }],
    ['$FILTER=a&$Top=1&%24select=id', { filter: 'a', top: '1', select: 'id' }],
    ['filter=a&top=1&OrderBy=id', { filter: 'a', top: '1', orderby: 'id' }],
    ['$top', { top: '' }],
    ['custom=1&other', {}],
    ['skiptoken=abc', {}]
  ]
  for (const [raw, expected] of cases) t.strictSame(options(raw), expected, raw)
})

t.test('the $ is optional only when the setting says so', async (t) => {
  t.strictSame(options('filter=a', { ...defaultQuerySettings, dollarOptional: false }), {})
  t.strictSame(options('$filter=a', { ...defaultQuerySettings, dollarOptional: false }), { filter: 'a' })
})

t.test('duplicates in any spelling', async (t) => {
  const e = engine()
  const message = "Query option '$filter' was specified more than once, but it must be specified at most once."
  for (const raw of ['$filter=a&$filter=b', 'filter=a&$filter=b', '$FILTER=a&filter=b']) {
    t.throws(() => e.prepare(raw, 'collection'), { message, statusCode: 400 }, raw)
  }
  t.throws(() => e.prepare('$top=1&top=2', 'collection'), { message: "Query option '$top' was specified more than once, but it must be specified at most once." })
})

t.test('unknown and unsupported options', async (t) => {
  const e = engine()
  t.throws(() => e.prepare('$foo=1', 'collection'), { message: notAllowed('$foo') })
  t.ok(engine({ unknownQueryOptions: 'ignore' }).prepare('$foo=1', 'collection'), 'ignored when the setting says so')
  t.ok(e.prepare('foo=1&api-version=2', 'collection'), 'custom options are ignored')
  t.throws(() => e.prepare('$search=blue', 'collection'), { message: notAllowed('Search') })
  t.throws(() => e.prepare('$apply=x', 'collection'), { message: notAllowed('Apply') })
  t.throws(() => e.prepare('$compute=x', 'collection'), { message: notAllowed('Compute') })
  t.throws(() => e.prepare('$deltatoken=x', 'collection'), { message: notAllowed('DeltaToken') })
})

t.test('$format', async (t) => {
  const e = engine()
  for (const value of ['json', 'JSON', 'application/json', 'application%2Fjson%3Bodata.metadata%3Dminimal']) {
    t.ok(e.prepare(`$format=${value}`, 'collection'), value)
  }
  t.throws(() => e.prepare('$format=xml', 'collection'), {
    message: "The requested format 'xml' is not supported. This endpoint answers with 'json' (application/json) only."
  })
})

t.test('$expand', async (t) => {
  const e = engine()
  const expand = (raw: string, kind: 'collection' | 'entity' = 'collection') => e.prepare(raw, kind).expand
  t.strictSame(expand('$expand=mailboxRestoreArtifacts'), [{ name: 'mailboxRestoreArtifacts', select: undefined }])
  t.strictSame(expand('$expand=MailboxRestoreArtifacts($select=id,status)', 'entity'), [{ name: 'mailboxRestoreArtifacts', select: 'id,status' }], 'names match case-insensitively; the nested $select is kept')
  t.strictSame(expand('$expand=mailboxRestoreArtifacts(select=id)'), [{ name: 'mailboxRestoreArtifacts', select: 'id' }], 'select without $ inside the parentheses')
  t.strictSame(expand('$expand=mailboxRestoreArtifacts,granularMailboxRestoreArtifacts($select=id),mailboxRestoreArtifacts'), [
    { name: 'mailboxRestoreArtifacts', select: undefined },
    { name: 'granularMailboxRestoreArtifacts', select: 'id' }
  ], 'several, each once')
  t.strictSame(expand('$expand=*'), [
    { name: 'granularMailboxRestoreArtifacts', select: undefined },
    { name: 'mailboxRestoreArtifacts', select: undefined },
    { name: 'mailboxRestoreArtifactsBulkAdditionRequests', select: undefined }
  ], '* is every navigation property')
  t.strictSame(expand('$top=1'), [], 'none asked for')
  t.strictSame(e.prepare('$expand=mailboxRestoreArtifacts', 'count').expand, [], '$count expands nothing')
  t.throws(() => e.prepare('$expand=GranularMailboxRestoreArtifacts($top=1)', 'entity'),
    { message: "The query option '$top' is not supported inside $expand; only $select is." })
  t.throws(() => e.prepare('$expand=x', 'collection'),
    { message: "Parsing OData Select and Expand failed: Could not find a property named 'x' on type 'microsoft.graph.exchangeRestoreSession'." })
  t.throws(() => e.prepare('$expand=createdBy', 'collection'),
    { message: "Parsing OData Select and Expand failed: Property 'createdBy' on type 'microsoft.graph.exchangeRestoreSession' is not a navigation property or complex property. Only navigation properties can be expanded." })
})

t.test('malformed percent-encoding is a 400', async (t) => {
  const e = engine()
  t.throws(() => e.prepare('$filter=%E0%A4%A', 'collection'), { message: "The query option '$filter' is not valid percent-encoded text.", statusCode: 400 })
  t.throws(() => e.prepare('%ZZ=1', 'collection'), { name: 'GraphError', statusCode: 400 })
})

t.test('single entity requests', async (t) => {
  const e = engine()
  const prepared = e.prepare('$select=id,status', 'entity')
  t.equal(prepared.select?.contextSuffix, '(id,status)')
  for (const raw of ['$filter=true', '$top=1', '$skip=1', '$orderby=id', '$count=true']) {
    t.throws(() => e.prepare(raw, 'entity'), {
      message: 'The query specified in the URI is not valid. The requested resource is not a collection. Query options $filter, $orderby, $count, $skip, and $top can be applied only on collections.'
    }, raw)
  }
})

t.test('parameter aliases are put in place in $filter and $orderby before they are parsed', async (t) => {
  const cases: Array<[string, Record<string, string>]> = [
    ["$filter=status eq @s&@s='draft'", { filter: "status eq 'draft'" }],
    ['$filter=total gt @n&@n=4', { filter: 'total gt 4' }],
    ['$filter=@p&@p=a eq 1 or b eq 2', { filter: '(a eq 1 or b eq 2)' }],
    ['$filter=x add @v&@v=1 add 2', { filter: 'x add (1 add 2)' }],
    ['$filter=x eq @a&@a=@b&@b=%27z%27', { filter: "x eq 'z'" }],
    ['$filter=x eq @missing', { filter: 'x eq null' }],
    ["$filter=x eq '@s'&@s=1", { filter: "x eq '@s'" }],
    ['$orderby=@o desc,id&@o=createdDateTime', { orderby: 'createdDateTime desc,id' }],
    ['$select=id&@s=1', { select: 'id' }],
    ['$filter=x eq @S&@s=1', { filter: 'x eq null' }]
  ]
  for (const [raw, expected] of cases) t.strictSame(options(raw), expected, raw)
  const parsed = parseQueryString("$filter=status eq @s&@s='draft'&$top=1", defaultQuerySettings)
  t.strictSame(parsed.passThrough, ['$filter=status eq @s', "@s='draft'", '$top=1'], 'the aliases stay in what the nextLink repeats')
  t.throws(() => options('$filter=x eq @a&@a=@a'), { statusCode: 400, message: "The parameter alias '@a' refers to itself." })
  t.throws(() => options('$filter=x eq @a&@a=1&@a=2'), { statusCode: 400, message: "Query option '@a' was specified more than once, but it must be specified at most once." })
  t.strictSame(options("$filter=x eq 'unterminated @s&@s=1"), { filter: "x eq 'unterminated @s" }, 'text that does not scan is left for the parser to report')
})
