// Scenario 3: follow every nextLink of a list from its first page to its last, one request at a time
// over a keep-alive connection, timing each page. Linear paging means a late page costs what an
// early one does: no re-scan of the rows from the start per page.

import { Agent, request } from 'node:http'
import { median } from './load.js'

export interface PagingRun {
  readonly pages: number
  readonly rows: number
  readonly totalMs: number
  /** Total time ÷ rows served. */
  readonly microsecondsPerRow: number
  /** Median time of the first 10 pages (after the first page, which computes the result). */
  readonly earlyPageMs: number
  /** Median time of the last 10 pages. */
  readonly latePageMs: number
  /** latePageMs ÷ earlyPageMs: about 1 when paging is linear. */
  readonly lateOverEarly: number
  readonly firstPageMs: number
}

interface Page {
  nextLink: string | undefined
  rows: number
}

async function getPage (agent: Agent, url: string, headers: Record<string, string>): Promise<Page> {
  return await new Promise<Page>((resolve, reject) => {
    const req = request(url, { agent, headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => { chunks.push(chunk) })
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(new Error(`${url}: HTTP ${String(response.statusCode)}`))
          return
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { '@odata.nextLink'?: string, value?: unknown[] }
        resolve({ nextLink: body['@odata.nextLink'], rows: body.value?.length ?? 0 })
      })
      response.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Follows the nextLinks from `url` to the end. */
export async function followAllPages (url: string, headers: Record<string, string>): Promise<PagingRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const times: number[] = []
  let rows = 0
  let next: string | undefined = url
  const started = performance.now()
  try {
    while (next !== undefined) {
      const before = performance.now()
      const page: Page = await getPage(agent, next, headers)
      times.push(performance.now() - before)
      rows += page.rows
      next = page.nextLink
    }
  } finally {
    agent.destroy()
  }
  const totalMs = performance.now() - started
  const earlyPageMs = median(times.slice(1, 11))
  const latePageMs = median(times.slice(-10))
  return {
    pages: times.length,
    rows,
    totalMs,
    microsecondsPerRow: (totalMs * 1000) / Math.max(rows, 1),
    earlyPageMs,
    latePageMs,
    lateOverEarly: latePageMs / earlyPageMs,
    firstPageMs: times[0] ?? 0
  }
}
