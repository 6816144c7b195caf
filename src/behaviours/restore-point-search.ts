// POST restorePoints/search, answered from the data: the restore points of the named protection
// units (protectionUnitIds: required, at most 20, each a GUID), within protectionTimePeriod, with the
// given tag, at most five per unit, the latest first (restorePointPreference `latest`, the default)
// or the oldest first (`oldest`); units without any in noResultProtectionUnitIds; each restore point
// with its protection unit inline as the v1.0 example shows. artifactQuery (one unit only, as the page
// says) is not evaluated against content the mock does not hold: its hit count is derived from the
// query and the point, the same for the same request. Pure.

import { createHash } from 'node:crypto'
import { GraphError } from '../errors.js'
import type { StoredEntity } from '../store/index.js'
import { entityAnswer, registerOperation, type OperationAnswer, type OperationCall } from './operations.js'

/** At most this many units in one search, and this many restore points per unit. */
export const MAX_SEARCH_UNITS = 20
export const MAX_POINTS_PER_UNIT = 5

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const searchErrors = {
  invalidSearchRequest: () => new GraphError(400, 'InvalidSearchRequest', 'Restore point input is invalid.'),
  /** More than 20 units: the page states the limit without naming its error; the error page's filter-length code is the nearest. */
  filterLengthExceeded: () => new GraphError(400, 'FilterLengthExceeded', 'Filter length exceeds allowed limit.'),
  invalidProtectionUnitId: () => new GraphError(400, 'InvalidProtectionUnitId', 'Invalid Protection unit ID.')
} as const

function time (value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined
  const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN
  if (!Number.isFinite(parsed)) throw searchErrors.invalidSearchRequest()
  return parsed
}

function hash (text: string): string {
  return createHash('sha256').update(text).digest('base64').replace(/[^A-Za-z0-9]/g, '')
}

export function searchRestorePoints (call: OperationCall): OperationAnswer {
  const parameters = call.parameters
  const ids = parameters.protectionUnitIds
  if (!Array.isArray(ids) || ids.length === 0) throw searchErrors.invalidSearchRequest()
  if (ids.length > MAX_SEARCH_UNITS) throw searchErrors.filterLengthExceeded()
  for (const id of ids) if (typeof id !== 'string' || !GUID.test(id)) throw searchErrors.invalidProtectionUnitId()
  const period = (parameters.protectionTimePeriod ?? {}) as Record<string, unknown>
  const start = time(period.startDateTime)
  const end = time(period.endDateTime)
  if (start !== undefined && end !== undefined && start > end) throw searchErrors.invalidSearchRequest()
  const query = parameters.artifactQuery as Record<string, unknown> | null | undefined
  if (query !== undefined && query !== null && ids.length > 1) throw searchErrors.invalidSearchRequest()
  const oldest = parameters.restorePointPreference === 'oldest'
  const tag = typeof parameters.tags === 'string' ? parameters.tags : undefined
  const wanted = new Map((ids as string[]).map((id) => [id.toLowerCase(), [] as StoredEntity[]]))
  for (const point of call.tenant.root.collections.get('restorePoints')?.entities ?? []) {
    const unit = point.refs.get('protectionUnit')
    const list = typeof unit === 'string' ? wanted.get(unit.toLowerCase()) : undefined
    if (list === undefined) continue
    const at = Date.parse(String(point.row.protectionDateTime))
    if (start !== undefined && at < start) continue
    if (end !== undefined && at > end) continue
    if (tag !== undefined && !(typeof point.row.tags === 'string' ? point.row.tags : 'none').split(',').includes(tag)) continue
    list.push(point)
  }
  const units = call.tenant.root.collections.get('protectionUnits')
  const searchResults: Array<Record<string, unknown>> = []
  const noResultProtectionUnitIds: string[] = []
  let includedUnknownEnumMembers = false
  for (const id of ids as string[]) {
    const points = wanted.get(id.toLowerCase()) ?? []
    const unit = units?.byId(id)
    if (points.length === 0 || unit === undefined) {
      if (!noResultProtectionUnitIds.includes(id)) noResultProtectionUnitIds.push(id)
      continue
    }
    const sorted = [...points].sort((a, b) => {
      const difference = Date.parse(String(a.row.protectionDateTime)) - Date.parse(String(b.row.protectionDateTime))
      return oldest ? difference : -difference
    }).slice(0, MAX_POINTS_PER_UNIT)
    wanted.set(id.toLowerCase(), [])
    for (const point of sorted) {
      const shown = entityAnswer(call, point)
      const shownUnit = entityAnswer(call, unit)
      includedUnknownEnumMembers ||= shown.includedUnknownEnumMembers || shownUnit.includedUnknownEnumMembers
      const restorePoint = {
        '@odata.type': '#microsoft.graph.restorePoint',
        ...shown.body,
        protectionUnit: { '@odata.type': `#${unit.type}`, ...shownUnit.body }
      }
      searchResults.push(query === undefined || query === null
        ? { restorePoint }
        : { artifactHitCount: Number.parseInt(createHash('sha256').update(`${JSON.stringify(query)} ${String(point.row.id)}`).digest('hex').slice(0, 4), 16) % 50, restorePoint })
    }
  }
  const searchResponseId = hash(`${JSON.stringify(parameters)} ${call.write.now}`).slice(0, 26)
  return {
    status: 200,
    context: 'microsoft.graph.restorePointSearchResponse',
    body: { searchResponseId, searchResults, noResultProtectionUnitIds },
    includedUnknownEnumMembers
  }
}

registerOperation({ binding: 'microsoft.graph.restorePoint', name: 'search', kind: 'action', handle: searchRestorePoints })
