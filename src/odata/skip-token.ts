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
  encode: (offset: number, canonicalQuery: string) => string
  /** The offset, or undefined when the token is not one this codec issued for this query. */
  decode: (token: string, canonicalQuery: string) => number | undefined
}

export function skipTokenCodec (secret: string | undefined): SkipTokenCodec {
  const key = secret ?? DEFAULT_SKIP_TOKEN_SECRET
  const sign = (offset: string, query: string): string =>
    createHmac('sha256', key).update(`${offset}\n${query}`).digest('base64url').slice(0, 22)
  return {
    encode: (offset, query) => {
      const text = offset.toString(36)
      return `${text}.${sign(text, query)}`
    },
    decode: (token, query) => {
      const dot = token.indexOf('.')
      if (dot < 1 || dot > 11) return undefined
      const offsetText = token.slice(0, dot)
      for (let i = 0; i < offsetText.length; i++) {
        const c = offsetText.charCodeAt(i)
        if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122))) return undefined
      }
      const given = Buffer.from(token.slice(dot + 1))
      const expected = Buffer.from(sign(offsetText, query))
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
      return parseInt(offsetText, 36)
    }
  }
}
