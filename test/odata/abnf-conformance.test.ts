// Conformance against the OData TC's ABNF test cases for the rules the engine parses. Parsing only
// (names are not bound): a positive case must parse, a negative one (with FailAt) must be a 400.
// Cases that need what Graph does not support are listed in `excluded`, each with its reason.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'
import { badRequest, isGraphError } from '../../src/errors.js'
import { parseFilter, parseOrderBy } from '../../src/odata/parser.js'
import { decode, parseQueryString } from '../../src/odata/query-string.js'
import { selectItems } from '../../src/odata/select.js'
import { defaultQuerySettings } from '../../src/odata/settings.js'

const casesFile = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/reference/odata-abnf/odata-abnf-testcases.yaml')

interface TestCase { Name: string, Rule: string, Input: string, FailAt?: number }

const expressionRules = new Set(['boolCommonExpr', 'commonExpr', 'firstMemberExpr', 'notExpr'])
const optionRules = new Set(['filter', 'orderby', 'orderBy', 'select', 'top', 'skip'])

const reasons = {
  json: 'JSON array/object literals are OData 4.01 only; ODL and Graph take `in (…)` lists',
  cast: 'type-cast segments and qualified type names: the Graph entities served have no derived types',
  boundFunction: 'bound functions and actions in paths: none is served',
  annotation: 'instance annotations in expressions are not supported by Graph',
  nested: 'nested query options inside $select / $filter path segments (4.01) are not supported',
  root: '$root paths and key predicates address other resources: not supported',
  bws: 'ODL skips whitespace around the expression; Graph accepts `$filter= true`',
  divby: 'ODL (and so Graph) has no divby operator'
} as const

/** Keyed by input: why the case is not run. */
const excluded = new Map<string, string>([
  ['$filter=Products/$count($filter=Price gt 5.00) gt 2', reasons.nested],
  ['$filter=Addresses/$filter(endswith(Street,\'St\'))/$count lt 10', reasons.nested],
  ['$filter=Address eq {"Street":"NE 40th","City":"Redmond","State":"WA","ZipCode":"98052"}', reasons.json],
  ['Name in ["Milk", "Cheese"]', reasons.json],
  ['contains(Names,["Fred","George"])', reasons.json],
  ['endswith(["Fred","George","Ron"],["George","Ron"])', reasons.json],
  ['indexof(["Fred","George","Ron"],["George","Ron"]) eq 1', reasons.json],
  ['length(["Fred","George","Ron"]) eq 3', reasons.json],
  ['startswith(["Fred","George","Ron"],["Fred","George"])', reasons.json],
  ['hassubset(Names,["Milk", "Cheese"])', reasons.json],
  ['hassubset(["Milk", "Cheese"],Names)', reasons.json],
  ['hassubsequence([4,1,3],[4,3])', reasons.json],
  ['FirstName in ["Miller","Smith"]', reasons.json],
  ['FirstName in ["Miller",\'Smith\']', reasons.json],
  ['FirstName in []', reasons.json],
  ['["Joe","Smith"] in [["John","Doe"],["Jane","Smith"]]', reasons.json],
  ['[FirstName,LastName] in [["John","Doe"],["Jane","Smith"]]', reasons.json],
  ['["Milk", "Cheese"] eq ["Oranges", "Carrots", "Ginger"]', reasons.json],
  ['["Hello",42,true,false,null,\'World\']', reasons.json],
  ['[FirstName,LastName]', reasons.json],
  ['{}', reasons.json],
  ['{"FirstName":"John","LastName":"Doe","Sizes":["Large","Small"]}', reasons.json],
  ['{"FirstName":Customer/FirstName,"LastName":Manager/LastName,"Sizes":[1, 2 add 3]}', reasons.json],
  ['[[],{},true,false,null,42,{"no property name":"value","@something":true}]', reasons.json],
  ['$filter=Price/@Measures.Currency eq \'EUR\'', reasons.annotation],
  ['$filter=Price/@Currency eq \'EUR\'', reasons.annotation],
  ['$orderby=Price/@Measures.Currency', reasons.annotation],
  ['$orderby=Price/@Measures.Currency%23Reporting', reasons.annotation],
  ['$filter=Price/@Currency%23Reporting eq \'EUR\'', reasons.annotation],
  ['$filter=@Core.Messages/any(m:m/severity eq \'error\')', reasons.annotation],
  ['$filter=@Messages/any(m:m/severity eq \'error\')', reasons.annotation],
  ['$select=@Core.Messages($top=5)', reasons.annotation],
  ['$select=Address/@Core.Messages($top=5)', reasons.annotation],
  ['$select=@Measures.Currency,@Core.MayImplement($top=2)', reasons.annotation],
  ['$select=Address($select=Street,City,Namespace.AddressWithLocation/Location)', reasons.nested],
  ['$select=Model.ActionName,Model.MostPopularName,Model.*', reasons.boundFunction],
  ['$select=Model.ActionName,Model.MostPopularName(Location,Kind)', reasons.boundFunction],
  ['$select=ActionName,MostPopularName(Location,Kind)', reasons.boundFunction],
  ['Thumbnail/Model.Available()', reasons.boundFunction],
  ['Model.Available', reasons.cast],
  ['Products/Model.Available()', reasons.boundFunction],
  ['Products/Model.BestProduct()/Model.MostPopularName()', reasons.boundFunction],
  ['Products/BestProduct()/MostPopularName()', reasons.boundFunction],
  ['Products/Model.BestProduct()/Name', reasons.boundFunction],
  ['Products/Model.BestProduct()/Model.BestSellingProduct/Name', reasons.boundFunction],
  ['Products/Model.BestProduct()/Name/Model.Available()', reasons.boundFunction],
  ['Products/Model.BestProduct()/Address', reasons.boundFunction],
  ['Products/Model.BestProduct()/Address/Street', reasons.boundFunction],
  ['Products/Model.BestProduct()/Addresses', reasons.boundFunction],
  ['Products/Model.BestProduct()/Addresses/Model.MostPopularName()', reasons.boundFunction],
  ['Products/Model.BestProduct()/EmailAddresses', reasons.boundFunction],
  ['Products/Model.BestProduct()/Thumbnail', reasons.boundFunction],
  ['Products/Model.BestProduct()/EmailAddresses/any()', reasons.boundFunction],
  ['Products/Model.BestProduct()/EmailAddresses/all(lambda:true)', reasons.boundFunction],
  ['Products/Model.ProductsByColor(color=\'green\')/Model.MostPopularName()', reasons.boundFunction],
  ['Products/Model.ProductsByColor(color=\'green\')/Model.BestSellingProduct/Model.MostPopularName()', reasons.boundFunction],
  ['Products/Model.ProductsByColor(color=@color)/Model.BestSellingProduct/Model.MostPopularName()', reasons.boundFunction],
  ['Products/Model.ProductsByColor()/all(lambda:true)', reasons.boundFunction],
  ['Items/Model.MostPopularAddress()/Street', reasons.boundFunction],
  ['Items/Model.MostPopularAddress()/Address', reasons.boundFunction],
  ['Items/Model.MostPopularAddress()/Address/Model.Available()', reasons.boundFunction],
  ['Items/Model.MostPopularAddresses()/$count', reasons.boundFunction],
  ['Items/Model.MostPopularAddresses()/Model.MostPopularName()', reasons.boundFunction],
  ['Items/Model.MostPopularNames()/$count', reasons.boundFunction],
  ['Items/Model.MostPopularNames()/Model.MostPopularName()', reasons.boundFunction],
  ['Items/MostPopularNames()/MostPopularName()', reasons.boundFunction],
  ['Items/Model.MostPopularName()/Model.MostPopularName()', reasons.boundFunction],
  ['Items/MostPopularName()/MostPopularName()', reasons.boundFunction],
  ['Products/Model.ProductsByColor(colors=["red","green","blue"])', reasons.boundFunction],
  ['Products/Model.ProductsByColor(colors=[ "red", "green" , "blue" ])', reasons.boundFunction],
  ['Products/Model.ProductsByColor(colors=%5B%20"red",%20"green"%20,"blue"%20%5D)', reasons.boundFunction],
  ['Model.Available(complex={"Name":"Value"})', reasons.boundFunction],
  ['Model.Available(complex={ "Name" : "double quote (\\") in value" })', reasons.boundFunction],
  ['Model.Available(complex=%7B %22Name%22 : "double%20quote (%5C%22) in value" %7D)', reasons.boundFunction],
  ['Model.PhoneticallySimilar(Word1=Name,Word2=Supplier/Name)', reasons.boundFunction],
  ['$filter= true', reasons.bws],
  ['Price divby 2', reasons.divby],
  ['Rating divby 2 eq 2.5', reasons.divby]
])

function parseCase (testCase: TestCase): void {
  const fail = (message: string) => badRequest(message)
  const parseOptions = { maxDepth: 100, fail }
  if (expressionRules.has(testCase.Rule)) {
    parseFilter(decode(testCase.Input, 'input'), parseOptions)
    return
  }
  const { options } = parseQueryString(testCase.Input, defaultQuerySettings)
  switch (testCase.Rule) {
    case 'filter': parseFilter(options.get('filter') ?? '', parseOptions); return
    case 'orderby': case 'orderBy': parseOrderBy(options.get('orderby') ?? '', parseOptions); return
    case 'select': selectItems(options.get('select') ?? '', 100); return
    default: throw new Error(`no runner for rule ${testCase.Rule}`)
  }
}

const document = parse(readFileSync(casesFile, 'utf8')) as { TestCases: TestCase[] }
const selected = document.TestCases.filter((c) => expressionRules.has(c.Rule) || optionRules.has(c.Rule))

t.test('ABNF conformance', async (t) => {
  let passed = 0
  const failures: string[] = []
  const skipped: string[] = []
  for (const testCase of selected) {
    const reason = excluded.get(testCase.Input)
    if (reason !== undefined) {
      skipped.push(`${testCase.Rule} ${testCase.Input}: ${reason}`)
      continue
    }
    const negative = testCase.FailAt !== undefined
    let outcome: 'parsed' | 'rejected'
    try {
      parseCase(testCase)
      outcome = 'parsed'
    } catch (error) {
      if (!isGraphError(error) || error.statusCode !== 400) throw error
      outcome = 'rejected'
    }
    if (outcome === (negative ? 'rejected' : 'parsed')) passed++
    else failures.push(`${testCase.Name} [${testCase.Rule}] ${JSON.stringify(testCase.Input)}: ${outcome}`)
  }
  t.strictSame(failures, [], 'every selected case that is not excluded behaves as the grammar says')
  t.equal(selected.length, 239, 'cases selected from the corpus')
  t.equal(skipped.length, excluded.size, 'every exclusion names a case of the corpus')
  t.equal(passed, selected.length - excluded.size, 'every case not excluded passes')
  t.equal(passed, 161, 'the expected number of conformance passes')
})
