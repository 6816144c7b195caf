// Where the project's own files are, whether this runs from `src/` (tsx, tests) or `dist/src/` (built).

import { readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const srcDir = dirname(fileURLToPath(import.meta.url))

/** The folder holding package.json, fixtures/ and schemas/. */
export const projectRoot = basename(dirname(srcDir)) === 'dist' ? dirname(dirname(srcDir)) : dirname(srcDir)

/** The bundled fixtures. */
export const bundledFixturesDir = join(projectRoot, 'fixtures')

/** The package's version, from package.json. */
export const packageVersion: string = (() => {
  const parsed: unknown = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'))
  const version = typeof parsed === 'object' && parsed !== null && 'version' in parsed ? parsed.version : undefined
  return typeof version === 'string' ? version : '0.0.0'
})()
