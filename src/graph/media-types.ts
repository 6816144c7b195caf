/** The Content-Type Graph sends with every JSON body. */
export const GRAPH_JSON_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8'

/** The Content-Type of a `/$count` answer. */
export const TEXT_PLAIN_CONTENT_TYPE = 'text/plain;charset=utf-8'
