// The fixture store: pure data access (no HTTP framework). Load a folder with loadFixtures, or build
// from records with storeFromRecords; both validate every record against /schemas.
export { loadFixtures, storeFromRecords } from './load-fixtures.js'
export type { EntitySet, FixtureStore } from './fixture-store.js'
export { FixtureError, isFixtureError, type FixtureLocation } from './fixture-error.js'
export { entitySetNames, entitySetOfFile, isEntitySetName, type EntitySetName, type EntityTypes } from './entity-sets.js'
export { propertyOrder } from './property-order.js'
