// The only place entity types come from: JSON Schemas generated from Graph's contract by
// `npm run contract` (beta.ts, v1.0.ts), and FromSchema types beside the beta ones. The beta
// schemas are the stored shape; the v1.0 ones say what /v1.0 answers with.
export * from './common.js'
export * from './beta.js'
export * as v1 from './v1.0.js'
