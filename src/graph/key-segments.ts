// OData's key-in-parentheses form, `exchangeRestoreSessions('id')`, rewritten to the `/id` form the
// routes use (both are Graph URLs). Pure; linear in the URL's length.

const KEY_IN_PARENS = /\('([^'/()]*)'\)/g

export function rewriteKeySegments (url: string): string {
  const mark = url.indexOf('?')
  let path = mark === -1 ? url : url.slice(0, mark)
  // `%24count`, `%24metadata`: clients that percent-encode `$` in a path (Python's quote()) mean `$`.
  if (path.includes('%24')) path = path.replace(/%24/g, '$')
  if (!path.includes("('") && !path.includes('(%27')) return mark === -1 ? path : path + url.slice(mark)
  const rewritten = path.replace(/\(%27/gi, "('").replace(/%27\)/gi, "')").replace(KEY_IN_PARENS, '/$1')
  return mark === -1 ? rewritten : rewritten + url.slice(mark)
}
