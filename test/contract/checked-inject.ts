// Makes an app's `inject` hold every response it returns to the published contract: the promise form
// (`await app.inject(options)`, what the tests use) is checked; the callback and chain forms pass
// through unchecked.

import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { checkResponse } from './response-contract.js'

/** Called once per response that breaks the contract (a test passes `t.fail`). */
export type ContractReport = (message: string, extra: { errors: string[], body: string }) => void

function headerText (value: string | string[] | number | undefined): string | undefined {
  if (value === undefined) return undefined
  return Array.isArray(value) ? value.join(', ') : String(value)
}

/** Checks one injected response; reports it when it breaks the contract. */
export function checkInjected (response: LightMyRequestResponse, report: ContractReport): void {
  const method = response.raw.req.method ?? 'GET'
  const url = response.raw.req.url ?? '/'
  const verdict = checkResponse({
    method,
    url,
    statusCode: response.statusCode,
    contentType: headerText(response.headers['content-type']),
    body: response.body
  })
  if (verdict === undefined || verdict.errors.length === 0) return
  report(`${method} ${url} → ${response.statusCode} breaks the contract (${verdict.schema}): ${verdict.errors.join('; ')}`, {
    errors: verdict.errors,
    body: response.body.slice(0, 2000)
  })
}

/** Replaces `app.inject` by one that checks each response before handing it back. */
export function checkEveryResponse (app: FastifyInstance, report: ContractReport): void {
  const inject = app.inject.bind(app) as (...args: unknown[]) => unknown
  const checked = (...args: unknown[]): unknown => {
    if (args.length !== 1) return inject(...args)
    return (inject(args[0]) as Promise<LightMyRequestResponse>).then((response) => {
      checkInjected(response, report)
      return response
    })
  }
  // The replacement keeps every overload: only the one-argument (promise) form behaves differently.
  app.inject = checked as FastifyInstance['inject']
}
