// `npm run readme:surface`: rewrites the "What it serves" table of README.md (between the surface
// markers) from the resource models and what the routes serve (surface-served.ts).

import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../paths.js'
import { betaModel } from './generated/beta.js'
import { v1Model } from './generated/v1.0.js'
import { servedMethodsOf } from './surface-served.js'
import { surfaceTable, withSurfaceTable } from './surface-table.js'

const readmePath = join(projectRoot, 'README.md')
const readme = readFileSync(readmePath, 'utf8')
const updated = withSurfaceTable(readme, surfaceTable([betaModel, v1Model], servedMethodsOf))
if (updated === readme) {
  console.log('README.md: the surface table is up to date')
} else {
  writeFileSync(readmePath, updated)
  console.log('README.md: the surface table was rewritten')
}
