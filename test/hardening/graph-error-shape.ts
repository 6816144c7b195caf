// What every error answer must look like, whatever provoked it: Graph's body and headers. Returns the
// problems found (empty: the answer is well-formed), so a property test can report all of them.

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/
export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'

export interface Answer {
  method: string
  statusCode: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function sameKeys (value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value).sort()
  return own.length === keys.length && [...keys].sort().every((key, i) => own[i] === key)
}

/** Problems with the error body's shape (`{"error":{"code","message","innerError":{…}}}`, nothing else). */
export function errorBodyProblems (body: string, requestId: unknown): string[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return [`body is not JSON: ${body.slice(0, 120)}`]
  }
  if (!isRecord(parsed) || !sameKeys(parsed, ['error'])) return ['body is not {"error": …}']
  const error = parsed['error']
  if (!isRecord(error) || !sameKeys(error, ['code', 'message', 'innerError'])) return ['error has other keys than code, message, innerError']
  const problems: string[] = []
  if (typeof error['code'] !== 'string' || error['code'] === '') problems.push('error.code is not a non-empty string')
  if (typeof error['message'] !== 'string' || error['message'] === '') problems.push('error.message is not a non-empty string')
  const inner = error['innerError']
  if (!isRecord(inner) || !sameKeys(inner, ['date', 'request-id', 'client-request-id'])) return [...problems, 'innerError has the wrong keys']
  if (typeof inner['date'] !== 'string' || !DATE.test(inner['date'])) problems.push('innerError.date is not Graph\'s date')
  if (typeof inner['request-id'] !== 'string' || !GUID.test(inner['request-id'])) problems.push('innerError.request-id is not a GUID')
  if (requestId !== undefined && inner['request-id'] !== requestId) problems.push('innerError.request-id differs from the request-id header')
  if (typeof inner['client-request-id'] !== 'string' || inner['client-request-id'] === '') problems.push('innerError.client-request-id is missing')
  return problems
}

/** Problems with an answer: a 5xx, or an error that is not Graph's. */
export function answerProblems (answer: Answer): string[] {
  if (answer.statusCode >= 500) return [`status ${answer.statusCode}`]
  if (answer.statusCode < 400) return []
  const problems: string[] = []
  const requestId = answer.headers['request-id']
  if (typeof requestId !== 'string' || !GUID.test(requestId)) problems.push('no request-id header')
  if (answer.headers['odata-version'] !== '4.0') problems.push('no OData-Version header')
  if (answer.method === 'HEAD') return problems
  if (answer.headers['content-type'] !== GRAPH_JSON) problems.push(`content-type ${String(answer.headers['content-type'])}`)
  return [...problems, ...errorBodyProblems(answer.body, requestId)]
}
