// Skip tokens: `<offset in base 36>.<signature>`, where the signature is an HMAC over the offset and
// the request's canonical query (kind + every system option but $skiptoken). A token edited by hand or
// taken from another query fails the check. The offset indexes the query's filtered and ordered rows,
// which the engine caches, so following a token costs a slice, not a re-scan.
//
// Without a secret of its own the codec signs with a fixed one: the same data and query give the
// same token on every run and every instance, so a whole response can be a snapshot and a nextLink
// survives a restart. The signature still rejects a token edited by hand or taken from another query;
// a secret (SKIP_TOKEN_SECRET) makes tokens differ from those of every other mock.
import { createHmac, timingSafeEqual } from 'node:crypto'

/** The key of tokens signed without a secret of their own. */
export const DEFAULT_SKIP_TOKEN_SECRET = 'graph-mock skip tokens'

export interface SkipTokenCodec {
  /** `pageSize`: a page size the first request asked for by preference (`Prefer: odata.maxpagesize`), carried on. */
  encode: (offset: number, canonicalQuery: string, pageSize?: number) => string
  /** The offset, or undefined when the token is not one this codec issued for this query. */
  decode: (token: string, canonicalQuery: string) => number | undefined
  /** The offset and the page size carried, or undefined as for decode. */
  decodeWithSize: (token: string, canonicalQuery: string) => { offset: number, pageSize: number | undefined } | undefined
}

export function skipTokenCodec (secret: string | undefined): SkipTokenCodec {
  const key = secret ?? DEFAULT_SKIP_TOKEN_SECRET
  const sign = (offset: string, query: string): string =>
    createHmac('sha256', key).update(`${offset}\n${query}`).digest('base64url').slice(0, 22)
  const decodeWithSize = (token: string, query: string): { offset: number, pageSize: number | undefined } | undefined => {
    const dot = token.indexOf('.')
    if (dot < 1 || dot > 19) return undefined
    const head = token.slice(0, dot)
    const tilde = head.indexOf('~')
    const offsetText = tilde < 0 ? head : head.slice(0, tilde)
    const sizeText = tilde < 0 ? undefined : head.slice(tilde + 1)
    if (!isBase36(offsetText) || (sizeText !== undefined && !isBase36(sizeText))) return undefined
    const given = Buffer.from(token.slice(dot + 1))
    const expected = Buffer.from(sign(head, query))
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
    return { offset: parseInt(offsetText, 36), pageSize: sizeText === undefined ? undefined : parseInt(sizeText, 36) }
  }
  return {
    encode: (offset, query, pageSize) => {
      const text = pageSize === undefined ? offset.toString(36) : `${offset.toString(36)}~${pageSize.toString(36)}`
      return `${text}.${sign(text, query)}`
    },
    decode: (token, query) => decodeWithSize(token, query)?.offset,
    decodeWithSize
  }
}

function isBase36 (text: string): boolean {
  if (text.length === 0 || text.length > 11) return false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122))) return false
  }
  return true
}
