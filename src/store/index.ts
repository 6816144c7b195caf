// The fixture store: pure data access (no HTTP framework). Load a folder with loadFixtures, or build
// from data with storeFromData (or exchangeRestoreSession records with storeFromRecords); each
// validates every record against /schemas and every reference between records.
export { loadFixtures, storeFromData, storeFromRecords, fixtureTargetOf, type FixtureData, type FixtureStore } from './load-fixtures.js'
export { containedCollection, containerOf, EntityCollection, ForkedTenant, sealTenant, type ParentLink, withCollection, EMPTY_COLLECTION, entityOfRow, makeEntity, withProperties, type EntityParts, ReferenceView, referencedCollection, referencedEntity, rowType, TenantBuilder, type Collection, type Row, type StoredEntity, type Tenant, type TenantRoot } from './tenant.js'
export { FixtureError, isFixtureError, type FixtureLocation } from './fixture-error.js'
export { propertyOrder } from './property-order.js'
