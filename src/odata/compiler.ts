// The compiler: a bound tree becomes a tree of closures, built once per distinct query. Property paths
// become accessor functions resolved ahead of time; DateTimeOffset values compare as instants through a
// per-string parse cache. Evaluation is three-valued: a predicate returns true, false or null, and a
// filter keeps only the rows that give true.
import type { ComparisonOperator } from './ast.js'
import type { Bound, ComparisonKind, PathSource } from './bound.js'
import type { EnumType, ValueType } from './model.js'
import { compareInstants, dateToInstant, toDateNumber, toInstant, toTimeNumber, type Instant } from './temporal.js'

export type Row = Readonly<Record<string, unknown>>

export interface EvalContext {
  /** lambda variables by slot */
  readonly vars: unknown[]
  now: Instant
}

export type Evaluator = (row: Row, context: EvalContext) => unknown

export function compile (node: Bound): Evaluator {
  switch (node.kind) {
    case 'constant': {
      const value = node.value
      return () => value
    }
    case 'property': return propertyAccessor(node.source, node.names, node.type)
    case 'count': {
      const collection = compile(node.collection)
      return (row, context) => {
        const value = collection(row, context)
        return Array.isArray(value) ? value.length : null
      }
    }
    case 'compare': return compileCompare(node.op, node.comparison, node.enumType, node.left, node.right)
    case 'logical': return node.op === 'and' ? and(compile(node.left), compile(node.right)) : or(compile(node.left), compile(node.right))
    case 'not': {
      const operand = compile(node.operand)
      return (row, context) => {
        const value = operand(row, context)
        return value === null ? null : value !== true
      }
    }
    case 'negate': {
      const operand = compile(node.operand)
      return (row, context) => {
        const value = operand(row, context)
        return typeof value === 'number' ? -value : null
      }
    }
    case 'arithmetic': return compileArithmetic(node.op, node.integer, compile(node.left), compile(node.right))
    case 'has': {
      const left = compile(node.left)
      const { flag, enumType } = node
      return (row, context) => {
        const value = left(row, context)
        if (typeof value !== 'string') return null
        const position = enumType.positions.get(value)
        return position === undefined ? false : (position & flag) === flag
      }
    }
    case 'in': return compileIn(node.comparison, compile(node.left), node.values)
    case 'isOf': {
      const test = node.test
      return (row) => test(row)
    }
    case 'call': {
      const args = node.args.map(compile)
      const impl = node.signature.impl
      return (row, context) => {
        const values: unknown[] = []
        for (const arg of args) {
          const value = arg(row, context)
          if (value === null || value === undefined) return null
          values.push(value)
        }
        return impl(values, context)
      }
    }
    case 'dateToInstant': {
      const operand = compile(node.operand)
      return (row, context) => {
        const value = operand(row, context)
        return typeof value === 'number' ? dateToInstant(value) : null
      }
    }
    case 'lambda': return compileLambda(node.op, compile(node.collection), node.slot, node.predicate === null ? null : compile(node.predicate))
  }
}

/** Reads a property path; a missing or null step makes the whole path null. Converts to the runtime value. */
function propertyAccessor (source: PathSource, names: readonly string[], type: ValueType): Evaluator {
  const convert = converterFor(type)
  const [a, b, c] = names
  let read: Evaluator
  const base: Evaluator = source === 'it' ? (row) => row : (_row, context) => context.vars[source]
  if (names.length === 1 && a !== undefined && source === 'it') {
    read = (row) => row[a]
  } else if (names.length === 2 && a !== undefined && b !== undefined && source === 'it') {
    read = (row) => {
      const first = row[a]
      return isObject(first) ? first[b] : null
    }
  } else if (names.length === 3 && a !== undefined && b !== undefined && c !== undefined && source === 'it') {
    read = (row) => {
      const first = row[a]
      if (!isObject(first)) return null
      const second = first[b]
      return isObject(second) ? second[c] : null
    }
  } else {
    read = (row, context) => {
      let value = base(row, context)
      for (const name of names) {
        if (!isObject(value)) return null
        value = value[name]
      }
      return value
    }
  }
  if (convert === undefined) {
    return (row, context) => {
      const value = read(row, context)
      return value === undefined ? null : value
    }
  }
  return (row, context) => {
    const value = read(row, context)
    return typeof value === 'string' ? convert(value) : null
  }
}

function isObject (value: unknown): value is Row {
  return typeof value === 'object' && value !== null
}

const converters: Partial<Record<string, (text: string) => unknown>> = {
  'Edm.DateTimeOffset': toInstant,
  'Edm.Date': toDateNumber,
  'Edm.TimeOfDay': toTimeNumber,
  'Edm.Guid': (text) => text.toLowerCase()
}

/** Stored values are JSON text; temporal values and GUIDs become their runtime form (see temporal.ts). */
function converterFor (type: ValueType): ((text: string) => unknown) | undefined {
  return type.kind === 'primitive' ? converters[type.name] : undefined
}

function compileCompare (op: ComparisonOperator, kind: ComparisonKind, enumType: EnumType | undefined, leftNode: Bound, rightNode: Bound): Evaluator {
  const compare = comparator(kind, enumType)
  const test = outcome(op)
  const left = compile(leftNode)
  if (rightNode.kind === 'constant') {
    const constant = rightNode.value
    if (kind === 'value' || kind === 'enum' || kind === 'nullOnly') {
      if (op === 'eq') return (row, context) => left(row, context) === constant
      if (op === 'ne') return (row, context) => left(row, context) !== constant
    }
    if (constant === null) return (row, context) => nullCompare(op, left(row, context))
    return (row, context) => {
      const value = left(row, context)
      return value === null ? op === 'ne' : test(compare(value, constant))
    }
  }
  const right = compile(rightNode)
  return (row, context) => {
    const l = left(row, context)
    const r = right(row, context)
    if (l === null || r === null) return nullCompare(op, l === null && r === null ? null : 0)
    return test(compare(l, r))
  }
}

/** eq/ne with a null operand: `null eq null` is true; relational operators give false. */
function nullCompare (op: ComparisonOperator, other: unknown): boolean {
  if (op === 'eq') return other === null
  if (op === 'ne') return other !== null
  return false
}

type Compare = (a: unknown, b: unknown) => number

function comparator (kind: ComparisonKind, enumType: EnumType | undefined): Compare {
  switch (kind) {
    case 'instant': return (a, b) => compareInstants(a as Instant, b as Instant)
    case 'enum': {
      const positions = enumType?.positions ?? new Map<string, number>()
      return (a, b) => (positions.get(a as string) ?? -1) - (positions.get(b as string) ?? -1)
    }
    case 'value': case 'nullOnly':
      return (a, b) => a === b ? 0 : (a as number) < (b as number) ? -1 : 1
  }
}

function outcome (op: ComparisonOperator): (order: number) => boolean {
  switch (op) {
    case 'eq': return (order) => order === 0
    case 'ne': return (order) => order !== 0
    case 'gt': return (order) => order > 0
    case 'ge': return (order) => order >= 0
    case 'lt': return (order) => order < 0
    case 'le': return (order) => order <= 0
  }
}

function and (left: Evaluator, right: Evaluator): Evaluator {
  return (row, context) => {
    const l = left(row, context)
    if (l === false) return false
    const r = right(row, context)
    if (r === false) return false
    return l === true && r === true ? true : null
  }
}

function or (left: Evaluator, right: Evaluator): Evaluator {
  return (row, context) => {
    const l = left(row, context)
    if (l === true) return true
    const r = right(row, context)
    if (r === true) return true
    return l === false && r === false ? false : null
  }
}

/** Null in, null out. Division or modulo by zero gives null rather than failing the request. */
function compileArithmetic (op: 'add' | 'sub' | 'mul' | 'div' | 'mod', integer: boolean, left: Evaluator, right: Evaluator): Evaluator {
  const apply = arithmetic(op, integer)
  return (row, context) => {
    const l = left(row, context)
    const r = right(row, context)
    return typeof l === 'number' && typeof r === 'number' ? apply(l, r) : null
  }
}

function arithmetic (op: 'add' | 'sub' | 'mul' | 'div' | 'mod', integer: boolean): (a: number, b: number) => number | null {
  switch (op) {
    case 'add': return (a, b) => a + b
    case 'sub': return (a, b) => a - b
    case 'mul': return (a, b) => a * b
    case 'div': return integer ? (a, b) => b === 0 ? null : Math.trunc(a / b) : (a, b) => b === 0 ? null : a / b
    case 'mod': return (a, b) => b === 0 ? null : a % b
  }
}

function compileIn (kind: ComparisonKind, left: Evaluator, values: readonly unknown[]): Evaluator {
  if (kind === 'instant') {
    return (row, context) => {
      const value = left(row, context)
      return values.some((candidate) => candidate === null ? value === null : value !== null && compareInstants(value as Instant, candidate as Instant) === 0)
    }
  }
  const set = new Set(values)
  return (row, context) => set.has(left(row, context))
}

function compileLambda (op: 'any' | 'all', collection: Evaluator, slot: number, predicate: Evaluator | null): Evaluator {
  return (row, context) => {
    const items = collection(row, context)
    if (!Array.isArray(items)) return null
    if (predicate === null) return items.length > 0
    const saved = context.vars[slot]
    try {
      for (const item of items) {
        context.vars[slot] = item
        const result = predicate(row, context) === true
        if (op === 'any' ? result : !result) return op === 'any'
      }
      return op === 'all'
    } finally {
      context.vars[slot] = saved
    }
  }
}
