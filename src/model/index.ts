// The resource model at run time: the generated per-version models, with the lookups every generic
// part needs (a type and its ancestors, the JSON Schema of a type, the root-level sets, which of
// them are stored and which are views over others). Pure: no HTTP framework.

import * as betaSchemas from '../../schemas/beta.js'
import * as v1Schemas from '../../schemas/v1.0.js'
import { betaModel } from './generated/beta.js'
import { v1Model } from './generated/v1.0.js'
import type { EnumTypeModel, GraphVersion, NavigationProperty, PathModel, ServiceModel, StructuredType } from './types.js'

export type * from './types.js'

export const graphVersions: readonly GraphVersion[] = ['beta', 'v1.0']

/** The version whose model the store keeps rows in: beta is a superset of v1.0. */
export const STORAGE_VERSION: GraphVersion = 'beta'

const schemasByVersion: Record<GraphVersion, Readonly<Record<string, object>>> = {
  beta: betaSchemas.structuredTypeSchemas,
  'v1.0': v1Schemas.structuredTypeSchemas
}

/** A root-level navigation property of the root singleton, as data lives there. */
export interface RootSet {
  readonly name: string
  readonly type: string
  readonly collection: boolean
  /**
   * The stored sets this one shows. A set is stored when no other root-level set's type derives
   * from its type; otherwise (restoreSessions, protectionPolicies, protectionUnits, browseSessions)
   * it is a view over the stored sets whose types derive from its type.
   */
  readonly members: readonly string[]
}

export class Model {
  readonly version: GraphVersion
  readonly root: { readonly path: string, readonly type: string }
  readonly paths: readonly PathModel[]
  readonly rootSets: ReadonlyMap<string, RootSet>
  private readonly types: Readonly<Record<string, StructuredType>>
  private readonly enumTypes: Readonly<Record<string, EnumTypeModel>>
  private readonly homes = new Map<string, RootSet>()

  constructor (readonly data: ServiceModel) {
    this.version = data.version
    this.root = data.root
    this.paths = data.paths
    this.types = data.types
    this.enumTypes = data.enums
    const rootType = this.type(data.root.type)
    const collections = rootType.navigationProperties.filter((nav) => nav.collection)
    const sets = new Map<string, RootSet>()
    for (const nav of rootType.navigationProperties) {
      const members = nav.collection
        ? collections.filter((other) => other !== nav && this.derivesFrom(other.type, nav.type) && other.type !== nav.type).map((other) => other.name)
        : []
      sets.set(nav.name, { name: nav.name, type: nav.type, collection: nav.collection, members: members.length === 0 ? [nav.name] : members })
      if (!this.homes.has(nav.type)) this.homes.set(nav.type, sets.get(nav.name) as RootSet)
    }
    this.rootSets = sets
  }

  type (name: string): StructuredType {
    const type = this.types[name]
    if (type === undefined) throw new Error(`the ${this.version} model has no type ${name}`)
    return type
  }

  hasType (name: string): boolean {
    return Object.hasOwn(this.types, name)
  }

  enumType (name: string): EnumTypeModel | undefined {
    return Object.hasOwn(this.enumTypes, name) ? this.enumTypes[name] : undefined
  }

  /** Whether `type` is `ancestor` or derives from it. */
  derivesFrom (type: string, ancestor: string): boolean {
    let current: string | undefined = type
    while (current !== undefined) {
      if (current === ancestor) return true
      current = this.types[current]?.baseType
    }
    return false
  }

  /** The concrete types a value of `type` may have: itself and every derived type. */
  concreteTypes (type: string): readonly string[] {
    return [type, ...this.type(type).derivedTypes]
  }

  navigation (type: string, name: string): NavigationProperty | undefined {
    return this.type(type).navigationProperties.find((nav) => nav.name === name)
  }

  /** The root-level set that holds rows of exactly this type (where references to it point). */
  homeOf (type: string): RootSet | undefined {
    return this.homes.get(type)
  }

  /** The JSON Schema of a structured type in this version (structural properties only). */
  schema (type: string): object {
    const schema = schemasByVersion[this.version][type]
    if (schema === undefined) throw new Error(`the ${this.version} schemas have no type ${type}`)
    return schema
  }

  /**
   * The contract's paths, plus the type-cast paths OData allows on every polymorphic collection and
   * entity that the contract does not list (`restoreSessions/microsoft.graph.exchangeRestoreSession`,
   * its `$count`, and `restoreSessions/{id}/microsoft.graph.exchangeRestoreSession`).
   */
  readPaths (): readonly PathModel[] {
    if (this.withCasts !== undefined) return this.withCasts
    const known = new Set(this.paths.map((path) => path.path))
    const extra: PathModel[] = []
    const add = (path: PathModel): void => {
      if (known.has(path.path)) return
      known.add(path.path)
      extra.push(path)
    }
    for (const path of this.paths) {
      const last = path.segments.at(-1)
      const get = path.operations.find((operation) => operation.method === 'GET')
      if (get === undefined || last === undefined) continue
      const isCollection = last.kind === 'navigation' && last.collection
      const isEntity = last.kind === 'key' || (last.kind === 'navigation' && !last.collection)
      if (!isCollection && !isEntity) continue
      for (const derived of this.type(last.type).derivedTypes) {
        const cast = { kind: 'cast', type: derived, collection: isCollection } as const
        const operation = { ...get, operationId: `${get.operationId}.As.${derived}`, summary: `${get.summary} (as ${derived})`, responseType: isCollection ? `Collection(${derived})` : derived }
        add({ path: `${path.path}/${derived}`, segments: [...path.segments, cast], operations: [operation] })
        if (isCollection) {
          add({ path: `${path.path}/${derived}/$count`, segments: [...path.segments, cast, { kind: 'count' }], operations: [{ ...operation, operationId: `${operation.operationId}.$count`, responseType: 'count' }] })
        }
      }
    }
    this.withCasts = [...this.paths, ...extra]
    return this.withCasts
  }

  private withCasts: readonly PathModel[] | undefined

  /** Stored root-level sets (not views), in the contract's order. */
  storedSets (): RootSet[] {
    return [...this.rootSets.values()].filter((set) => set.collection && set.members.length === 1 && set.members[0] === set.name)
  }

  singletons (): RootSet[] {
    return [...this.rootSets.values()].filter((set) => !set.collection)
  }
}

export const models: Readonly<Record<GraphVersion, Model>> = {
  beta: new Model(betaModel),
  'v1.0': new Model(v1Model)
}

export const storageModel = models[STORAGE_VERSION]
