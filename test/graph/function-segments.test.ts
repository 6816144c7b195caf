// A bound function and the action of the same name are two resources: `…/microsoft.graph.browse`
// serves POST (the action), `…/microsoft.graph.browse(nextFetchToken='…')` serves GET (the
// function), and each one's 405 and OPTIONS name its own methods only. Parentheses after anything
// else name nothing.

import t from 'tap'
import { assertGraphHeaders, AUTH, build, expectedError, LIST, ODATA_JSON } from '../helper.js'

const ROOT = '/beta/solutions/backupRestore'
const SESSION = '66666666-6666-4666-8666-666666666666'
const ACTION = `${ROOT}/browseSessions/${SESSION}/microsoft.graph.browse`
const FUNCTION = `${ACTION}(nextFetchToken='abc')`
const NOT_ALLOWED = 'Specified HTTP method is not allowed for the request target.'

t.test('the action and the function each answer 405 and OPTIONS with their own methods', async (t) => {
  const app = await build(t, { data: { sharePointBrowseSessions: [{ id: SESSION, status: 'created' }] } })
  const cases: Array<[string, string, string]> = [
    ['GET', ACTION, 'POST, OPTIONS'],
    ['PUT', ACTION, 'POST, OPTIONS'],
    ['POST', FUNCTION, 'GET, HEAD, OPTIONS'],
    ['DELETE', FUNCTION, 'GET, HEAD, OPTIONS']
  ]
  for (const [method, url, allow] of cases) {
    const response = await app.inject({ method: method as 'GET', url, headers: AUTH })
    t.equal(response.statusCode, 405, `${method} ${url}`)
    t.equal(response.headers.allow, allow, `${method} ${url}`)
    t.equal(response.headers['content-type'], ODATA_JSON, `${method} ${url}`)
    assertGraphHeaders(t, response)
    t.strictSame(response.json(), expectedError(response, 'BadRequest', NOT_ALLOWED), `${method} ${url}`)
  }
  for (const [url, allow] of [[ACTION, 'POST, OPTIONS'], [FUNCTION, 'GET, HEAD, OPTIONS']] as const) {
    const response = await app.inject({ method: 'OPTIONS', url, headers: AUTH })
    t.equal(response.statusCode, 204, `OPTIONS ${url}`)
    t.equal(response.headers.allow, allow, `OPTIONS ${url}`)
  }
})

t.test('parentheses after a set or an action name no resource: the segment\'s 400', async (t) => {
  const app = await build(t, { sessions: [] })
  const cases: Array<[string, string, string]> = [
    ['GET', `${LIST}(1)`, 'exchangeRestoreSessions(1)'],
    ['PUT', `${LIST}(id='a')`, 'exchangeRestoreSessions(id=\'a\')'],
    ['POST', `${ROOT}/microsoft.graph.enable()`, 'microsoft.graph.enable()']
  ]
  for (const [method, url, segment] of cases) {
    const response = await app.inject({ method: method as 'GET', url, headers: AUTH })
    t.equal(response.statusCode, 400, `${method} ${url}`)
    t.equal(response.headers.allow, undefined, `${method} ${url}: no Allow`)
    t.strictSame(response.json(), expectedError(response, 'BadRequest', `Resource not found for the segment '${segment}'.`), `${method} ${url}`)
  }
})
