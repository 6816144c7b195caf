// Reads the elements of a top-level JSON array from a stream of text chunks, one element's text at
// a time, so a 100 MB fixture file is never held whole: each element is parsed, stored and dropped
// while the file streams in. It checks only the array's own punctuation; each element's text goes
// through JSON.parse. On anything unexpected it throws ArrayShapeError, and the caller re-reads the
// file whole to report the exact problem (see load-fixtures.ts).

export class ArrayShapeError extends Error {
  constructor (message: string) {
    super(message)
    this.name = 'ArrayShapeError'
  }
}

const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const COMMA = 0x2c
const QUOTE = 0x22
const BACKSLASH = 0x5c
const BOM = 0xfeff

type Phase = 'before' | 'open' | 'element' | 'after-comma' | 'done'

function isSpace (code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09
}

/** Yields the parsed value of each element of the top-level array, in order. */
export async function * readArrayElements (chunks: AsyncIterable<string>): AsyncGenerator<unknown> {
  let phase = 'before' as Phase
  let depth = 0
  let inString = false
  let escaped = false
  let first = true
  let pending: string[] = []

  for await (const chunk of chunks) {
    let start = phase === 'element' ? 0 : -1
    for (let index = 0; index < chunk.length; index++) {
      const code = chunk.charCodeAt(index)
      if (phase === 'element') {
        if (inString) {
          if (escaped) {
            escaped = false
          } else if (code === BACKSLASH) {
            escaped = true
          } else if (code === QUOTE) {
            inString = false
          } else {
            // Jump to the next quote; it closes the string unless an odd run of backslashes precedes
            // it. The run cannot reach back past `index`, which is not a backslash.
            const quote = chunk.indexOf('"', index)
            const stop = quote === -1 ? chunk.length : quote
            let run = 0
            while (chunk.charCodeAt(stop - 1 - run) === BACKSLASH) run++
            if (quote === -1) {
              escaped = run % 2 === 1
              index = chunk.length
            } else {
              index = run % 2 === 1 ? quote : quote - 1
            }
          }
          continue
        }
        if (code === QUOTE) inString = true
        else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++
        else if (depth > 0 && (code === CLOSE_BRACE || code === CLOSE_BRACKET)) depth--
        else if (depth === 0 && (code === COMMA || code === CLOSE_BRACKET)) {
          pending.push(chunk.slice(start, index))
          yield parseElement(pending)
          pending = []
          phase = code === COMMA ? 'after-comma' : 'done'
        }
        continue
      }
      if (isSpace(code) || (first && code === BOM)) {
        first = false
        continue
      }
      first = false
      switch (phase) {
        case 'before':
          if (code !== OPEN_BRACKET) throw new ArrayShapeError('the top level is not an array')
          phase = 'open'
          break
        case 'open':
          if (code === CLOSE_BRACKET) {
            phase = 'done'
            break
          }
          phase = 'element'
          start = index
          index-- // the element's first character is scanned as part of it
          break
        case 'after-comma':
          phase = 'element'
          start = index
          index--
          break
        case 'done':
          throw new ArrayShapeError('content after the array')
      }
    }
    if (phase === 'element') pending.push(chunk.slice(start))
  }
  if (phase !== 'done') throw new ArrayShapeError('the array is not closed')
}

function parseElement (parts: readonly string[]): unknown {
  const text = parts.length === 1 ? (parts[0] ?? '') : parts.join('')
  try {
    return JSON.parse(text)
  } catch {
    throw new ArrayShapeError('an element is not valid JSON')
  }
}
