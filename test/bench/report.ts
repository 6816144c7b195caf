// The benchmark's table: one line per figure, with its reference, its target and whether it is met.

export interface TableRow {
  readonly scenario: string
  readonly reference: string
  readonly mock: string
  readonly result: string
  readonly target: string
  readonly met: boolean | undefined
}

export function formatTable (rows: readonly TableRow[]): string {
  const header: TableRow = { scenario: 'Scenario', reference: 'Reference', mock: 'Mock', result: 'Result', target: 'Target', met: undefined }
  const cells = (row: TableRow, isHeader: boolean): string[] => [
    row.scenario, row.reference, row.mock, row.result, row.target, isHeader ? 'Met' : row.met === undefined ? '–' : row.met ? 'yes' : 'NO'
  ]
  const all = [cells(header, true), ...rows.map((row) => cells(row, false))]
  const widths = all[0]?.map((_, column) => Math.max(...all.map((line) => (line[column] ?? '').length))) ?? []
  const line = (values: readonly string[]): string => `| ${values.map((value, i) => value.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [line(all[0] ?? []), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...all.slice(1).map(line)].join('\n')
}

export const mb = (bytes: number | undefined): string => bytes === undefined ? 'n/a' : `${(bytes / 1e6).toFixed(0)} MB`
export const perSecond = (value: number): string => `${Math.round(value).toLocaleString('en-US')} req/s`
export const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms`
