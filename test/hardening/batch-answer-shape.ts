// What a $batch answer must look like, whatever was posted: Graph's error shape for a 4xx, never a
// 5xx; a 200 carries one answer per request, in request order, each with its id, a status below 500
// and headers. Returns the problems found (empty: well-formed).

import { answerProblems } from './graph-error-shape.js'

/** The problems with a batch answer (empty: well-formed). */
export function batchAnswerProblems (statusCode: number, headers: Record<string, string | string[] | number | undefined>, body: string, requestBody: string): string[] {
  const problems = answerProblems({ method: 'POST', statusCode, headers, body })
  if (statusCode >= 500) problems.push(`status ${statusCode}`)
  if (statusCode !== 200) return problems
  let sent: unknown
  let answered: unknown
  try {
    sent = JSON.parse(requestBody)
    answered = JSON.parse(body)
  } catch {
    return [...problems, 'a 200 whose body, or whose request, is not JSON']
  }
  const requests = (sent as { requests?: unknown }).requests
  const responses = (answered as { responses?: unknown }).responses
  if (!Array.isArray(requests) || !Array.isArray(responses)) return [...problems, 'a 200 without requests and responses arrays']
  if (responses.length !== requests.length) problems.push(`${requests.length} requests, ${responses.length} answers`)
  responses.forEach((answer: unknown, i) => {
    const record = answer as { id?: unknown, status?: unknown, headers?: unknown }
    if (record.id !== (requests[i] as { id?: unknown }).id) problems.push(`answer ${i} has another id`)
    if (typeof record.status !== 'number' || record.status < 200 || record.status >= 500) problems.push(`answer ${i} has status ${String(record.status)}`)
    if (typeof record.headers !== 'object' || record.headers === null) problems.push(`answer ${i} has no headers`)
  })
  return problems
}
