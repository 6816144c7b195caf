// OData JSON envelopes as Graph writes them (minimal metadata), assembled from already-serialized
// items so a page costs one string join. Pure.

/** Graph's service root; `@odata.context` always names it, whichever host the mock runs on. */
export const GRAPH_SERVICE_ROOT = 'https://graph.microsoft.com'

/** `https://graph.microsoft.com/beta/$metadata#solutions/backupRestore/exchangeRestoreSessions(id,status)` */
export function contextUrl (version: string, entitySetPath: string, selectSuffix = '', entity = false): string {
  return `${GRAPH_SERVICE_ROOT}/${version}/$metadata#${entitySetPath}${selectSuffix}${entity ? '/$entity' : ''}`
}

export interface CollectionParts {
  context: string
  count?: number | undefined
  nextLink?: string | undefined
  /** Each item already serialized as a JSON object. */
  items: readonly string[]
}

/** `{"@odata.context":…,"@odata.count"?:…,"@odata.nextLink"?:…,"value":[…]}` */
export function collectionBody (parts: CollectionParts): string {
  let head = `{"@odata.context":${JSON.stringify(parts.context)}`
  if (parts.count !== undefined) head += `,"@odata.count":${parts.count}`
  if (parts.nextLink !== undefined) head += `,"@odata.nextLink":${JSON.stringify(parts.nextLink)}`
  return `${head},"value":[${parts.items.join(',')}]}`
}

/** A single entity: its serialized object with `@odata.context` first. */
export function entityBody (context: string, item: string): string {
  return item === '{}' ? `{"@odata.context":${JSON.stringify(context)}}` : `{"@odata.context":${JSON.stringify(context)},${item.slice(1)}`
}
