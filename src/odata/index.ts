// The OData query engine: pure (no HTTP framework), generic over entity types through their JSON Schema.
export { createQueryEngine } from './engine.js'
export type { PreparedQuery, QueryEngine, QueryPage, RequestKind } from './engine.js'
export { entityModelFromSchema, evolvableEnumMembers, findProperty, typeDisplayName } from './model.js'
export type { ComplexType, EntityModel, EntityModelOptions, EnumType, PrimitiveTypeName, PropertyModel, ValueType } from './model.js'
export { defaultQuerySettings } from './settings.js'
export type { QuerySettings } from './settings.js'
export type { SelectPlan } from './select.js'
export { exchangeRestoreSessionNavigationProperties } from './navigation.js'
