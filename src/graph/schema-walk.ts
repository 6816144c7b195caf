// Reading facts out of an entity's JSON Schema. Pure.

/** The parts of a JSON Schema node this project reads. */
export interface JsonSchemaNode {
  readonly type?: string | readonly string[]
  readonly title?: string
  readonly enum?: readonly unknown[]
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>
  readonly items?: JsonSchemaNode
}

export interface EvolvableEnumPath {
  /** Property names from the entity down to the enum property. */
  readonly path: readonly string[]
  /** Members declared after `unknownFutureValue`: sent only to callers that opt in. */
  readonly hidden: ReadonlySet<string>
}

/** Every enum property (through nested complex types) that has members after `unknownFutureValue`. */
export function evolvableEnumPaths (schema: JsonSchemaNode, prefix: readonly string[] = []): EvolvableEnumPath[] {
  const found: EvolvableEnumPath[] = []
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const path = [...prefix, name]
    if (property.enum !== undefined) {
      const members = property.enum.filter((member): member is string => typeof member === 'string')
      const sentinel = members.indexOf('unknownFutureValue')
      if (sentinel !== -1 && sentinel < members.length - 1) {
        found.push({ path, hidden: new Set(members.slice(sentinel + 1)) })
      }
    } else if (property.properties !== undefined) {
      found.push(...evolvableEnumPaths(property, path))
    }
  }
  return found
}
