// The part of autocannon@9's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Options {
    url: string
    connections?: number
    pipelining?: number
    duration?: number
    headers?: Record<string, string>
    /** Replace `[<id>]` in the URL with a unique id per request. */
    idReplacement?: boolean
    /** Requests each connection cycles through; `setupRequest` may rewrite each before it is sent. */
    requests?: RequestSpec[]
  }

  interface RequestSpec {
    method?: string
    path?: string
    /** Merged over the run's headers. */
    headers?: Record<string, string>
    body?: string
    setupRequest?: (request: RequestSpec & { path: string }) => RequestSpec
  }

  interface Histogram {
    average: number
    mean: number
    p50: number
    p99: number
    total: number
  }

  interface Result {
    requests: Histogram
    latency: Histogram
    throughput: Histogram
    /** Seconds the run lasted. */
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    /** Answers by status code. */
    statusCodeStats: Record<string, { count: number }>
  }

  function autocannon (options: Options): Promise<Result>
  export default autocannon
}
