import t from 'tap'
import { ArrayShapeError, readArrayElements } from '../../src/store/json-array-reader.js'

async function * chunksOf (text: string, size: number): AsyncGenerator<string> {
  for (let index = 0; index < text.length; index += size) yield text.slice(index, index + size)
}

async function readAll (text: string, size: number): Promise<unknown[]> {
  const elements: unknown[] = []
  for await (const element of readArrayElements(chunksOf(text, size))) elements.push(element)
  return elements
}

const valid: ReadonlyArray<{ name: string, text: string }> = [
  { name: 'an empty array', text: '[]' },
  { name: 'an empty array with spaces', text: ' \n[ \r\n\t]\n' },
  { name: 'objects', text: JSON.stringify([{ id: 'a', n: [1, { x: null }] }, { id: 'b' }], null, 2) },
  { name: 'scalars', text: '[1, -2.5e3, true, false, null, "s"]' },
  { name: 'brackets, commas and quotes inside strings', text: '[{"a": "x],[}{,\\"y\\"\\\\"}, "\\\\", "\\"]"]' },
  { name: 'nested arrays', text: '[[], [[]], [1, [2, [3]]]]' },
  { name: 'unicode', text: '[{"name": "Zoë Ørsted \\u00e9 — 日本"}]' }
]

t.test('elements equal JSON.parse, however the text is chunked', async (t) => {
  for (const { name, text } of valid) {
    const expected = JSON.parse(text) as unknown
    for (let size = 1; size <= text.length; size++) {
      const elements = await readAll(text, size)
      if (JSON.stringify(elements) !== JSON.stringify(expected)) {
        t.fail(`${name}: chunks of ${size}`)
        return
      }
    }
    t.pass(`${name}: every chunk size`)
  }
})

const invalid: ReadonlyArray<{ name: string, text: string }> = [
  { name: 'empty text', text: '' },
  { name: 'an object', text: '{"a": [1]}' },
  { name: 'a string', text: '"[]"' },
  { name: 'unclosed', text: '[{"a": 1}' },
  { name: 'a trailing comma', text: '[1,]' },
  { name: 'a leading comma', text: '[,1]' },
  { name: 'content after the array', text: '[1] 2' },
  { name: 'a broken element', text: '[{"a": }]' },
  { name: 'a missing comma', text: '[1 2]' },
  { name: 'an unbalanced brace', text: '[{"a": 1}}, 2]' }
]

t.test('anything but a well-formed array throws ArrayShapeError', async (t) => {
  for (const { name, text } of invalid) {
    await t.rejects(readAll(text, 3), ArrayShapeError, name)
  }
})
