// The binder: checks a syntax tree against the entity model (names, literal types, operand types) and
// produces a typed tree with runtime values. Every failure is a 400 with the OData library's text.
import { badRequest } from '../errors.js'
import type { BinaryOperator, ComparisonOperator, Expr, Literal, OrderByItem, PathExpr } from './ast.js'
import { booleanType, boundType, int32Type, nullType, primitive, type Bound, type BoundType, type ComparisonKind } from './bound.js'
import { canonicalFunctions, describeSignatures, type FunctionSignature } from './functions.js'
import { messages, operatorKindNames } from './messages.js'
import { findProperty, typeDisplayName, type EntityModel, type EnumType, type PrimitiveTypeName, type ValueType } from './model.js'
import { dateToInstant, toDateNumber, toInstant, toTimeNumber } from './temporal.js'

export interface BoundOrderBy {
  readonly expr: Bound
  readonly direction: 'asc' | 'desc'
}

export function bindFilter (expr: Expr, model: EntityModel): Bound {
  const bound = new Binder(model).bind(expr)
  if (!isBooleanLike(boundType(bound))) throw badRequest(messages.filterNotBoolean())
  return bound
}

export function bindOrderBy (items: readonly OrderByItem[], model: EntityModel): BoundOrderBy[] {
  const binder = new Binder(model)
  return items.map((item) => {
    const expr = binder.bind(item.expr)
    const type = boundType(expr)
    if (type.kind === 'complex' || type.kind === 'collection') throw badRequest(messages.orderByNotPrimitive())
    return { expr, direction: item.direction }
  })
}

const numericRank: Partial<Record<PrimitiveTypeName, number>> = {
  'Edm.Int32': 1, 'Edm.Int64': 2, 'Edm.Decimal': 3, 'Edm.Double': 4
}

const comparisonOperators = new Set<BinaryOperator>(['eq', 'ne', 'gt', 'ge', 'lt', 'le'])

interface Variable { readonly name: string, readonly type: ValueType, readonly slot: number }

class Binder {
  private readonly variables: Variable[] = []

  constructor (private readonly model: EntityModel) {}

  bind (expr: Expr): Bound {
    switch (expr.kind) {
      case 'literal': return this.literal(expr.literal)
      case 'path': return this.path(expr)
      case 'binary': return this.binary(expr.op, expr.left, expr.right)
      case 'unary': return expr.op === 'not' ? this.not(expr.operand) : this.negate(expr.operand)
      case 'in': return this.in(expr.left, expr.list)
      case 'inExpr': throw badRequest(messages.inRightOperand())
      case 'call': return this.call(expr.name, expr.args)
      case 'lambda': return this.lambda(expr.op, expr.collection, expr.variable, expr.predicate)
    }
  }

  private literal (literal: Literal): Bound {
    switch (literal.type) {
      case 'null': return constant(nullType, null)
      case 'boolean': return constant(booleanType, literal.value)
      case 'string': return constant(primitive('Edm.String'), literal.value)
      case 'number': return constant(primitive(numberType(literal.numberKind, literal.text)), Number(literal.text.replace('INF', 'Infinity')))
      case 'guid': return constant(primitive('Edm.Guid'), literal.text.toLowerCase())
      case 'dateTimeOffset': return constant(primitive('Edm.DateTimeOffset'), toInstant(literal.text))
      case 'date': return constant(primitive('Edm.Date'), toDateNumber(literal.text))
      case 'timeOfDay': return constant(primitive('Edm.TimeOfDay'), toTimeNumber(literal.text))
      case 'typed': return this.typedLiteral(literal.prefix, literal.value)
    }
  }

  private typedLiteral (prefix: string, value: string): Bound {
    const lower = prefix.toLowerCase()
    if (lower === 'duration') throw badRequest(messages.unsupportedType('Edm.Duration'))
    if (lower === 'binary' || lower === 'x') throw badRequest(messages.unsupportedType('Edm.Binary'))
    if (lower.startsWith('geography') || lower.startsWith('geometry')) throw badRequest(messages.unsupportedType(prefix))
    const enumType = this.findEnum(prefix)
    if (enumType === undefined) throw badRequest(messages.typeNotFound(prefix))
    return constant(enumType, enumMember(enumType, value))
  }

  private findEnum (name: string): EnumType | undefined {
    const exact = this.model.enumTypes.get(name)
    if (exact !== undefined) return exact
    const lower = name.toLowerCase()
    for (const enumType of this.model.enumTypes.values()) if (enumType.name.toLowerCase() === lower) return enumType
    return undefined
  }

  private path (expr: PathExpr): Bound {
    const { segments } = expr
    let index = 0
    let type: ValueType = this.model
    let source: 'it' | number = 'it'
    const first = segments[0] ?? ''
    const variable = this.variables.find((v) => v.name === first)
    if (variable !== undefined) {
      source = variable.slot
      type = variable.type
      index = 1
    } else if (first === '$it') {
      index = 1
    } else if (first.startsWith('$')) {
      throw badRequest(messages.unsupportedPathSegment(first))
    }
    const names: string[] = []
    for (; index < segments.length; index++) {
      const segment = segments[index] ?? ''
      if (segment.toLowerCase() === '$count') {
        if (type.kind !== 'collection') throw badRequest(messages.notACollection(names.at(-1) ?? first))
        const next = segments[index + 1]
        if (next !== undefined) throw badRequest(messages.unsupportedPathSegment(next))
        return { kind: 'count', type: int32Type, collection: { kind: 'property', type, source, names } }
      }
      if (segment.includes('.') || segment.startsWith('$')) throw badRequest(messages.unsupportedPathSegment(segment))
      if (type.kind === 'collection') throw badRequest(messages.propertyAccessOnCollection(segment))
      if (type.kind !== 'complex') throw badRequest(messages.propertyNotFound(segment, typeDisplayName(type)))
      const property = findProperty(type, segment)
      if (property === undefined) throw badRequest(messages.propertyNotFound(segment, type.name))
      names.push(property.name)
      type = property.type
    }
    return { kind: 'property', type, source, names }
  }

  private binary (op: BinaryOperator, leftExpr: Expr, rightExpr: Expr): Bound {
    if (op === 'has') return this.has(leftExpr, rightExpr)
    let left = this.bind(leftExpr)
    let right = this.bind(rightExpr)
    if (op === 'and' || op === 'or') {
      this.requireTypes(op, left, right, isBooleanLike)
      return { kind: 'logical', op, left, right }
    }
    if (comparisonOperators.has(op)) {
      const compareOp = op as ComparisonOperator
      left = enumFromString(left, boundType(right))
      right = enumFromString(right, boundType(left))
      const lt = boundType(left)
      const rt = boundType(right)
      const comparison = comparisonKind(compareOp, lt, rt)
      if (comparison === undefined) throw badRequest(messages.incompatibleBinary(displayType(lt), displayType(rt), operatorKindNames[op]))
      if (comparison === 'instant') {
        left = promoteDate(left)
        right = promoteDate(right)
      }
      const enumType = lt.kind === 'enum' ? lt : rt.kind === 'enum' ? rt : undefined
      return enumType === undefined
        ? { kind: 'compare', op: compareOp, comparison, left, right }
        : { kind: 'compare', op: compareOp, comparison, enumType, left, right }
    }
    const arithmeticOp = op as 'add' | 'sub' | 'mul' | 'div' | 'mod'
    this.requireTypes(op, left, right, isNumericLike)
    const type = promoteNumeric(boundType(left), boundType(right))
    const integer = type.kind === 'primitive' && (type.name === 'Edm.Int32' || type.name === 'Edm.Int64')
    return { kind: 'arithmetic', op: arithmeticOp, type, integer, left, right }
  }

  private requireTypes (op: BinaryOperator, left: Bound, right: Bound, accepts: (type: BoundType) => boolean): void {
    const lt = boundType(left)
    const rt = boundType(right)
    if (!accepts(lt) || !accepts(rt)) throw badRequest(messages.incompatibleBinary(displayType(lt), displayType(rt), operatorKindNames[op]))
  }

  private has (leftExpr: Expr, rightExpr: Expr): Bound {
    const left = this.bind(leftExpr)
    const lt = boundType(left)
    const right = lt.kind === 'enum' ? enumFromString(this.bind(rightExpr), lt) : this.bind(rightExpr)
    const rt = boundType(right)
    if (lt.kind !== 'enum' || rt.kind !== 'enum' || rt.name !== lt.name || right.kind !== 'constant' || typeof right.value !== 'string') {
      throw badRequest(messages.incompatibleBinary(displayType(lt), displayType(rt), operatorKindNames.has))
    }
    return { kind: 'has', enumType: lt, left, flag: lt.positions.get(right.value) ?? 0 }
  }

  private not (operandExpr: Expr): Bound {
    const operand = this.bind(operandExpr)
    const type = boundType(operand)
    if (!isBooleanLike(type)) throw badRequest(messages.incompatibleUnary(displayType(type), 'Not'))
    if (operand.kind === 'constant') return constant(type, operand.value === null ? null : operand.value !== true)
    return { kind: 'not', operand }
  }

  private negate (operandExpr: Expr): Bound {
    const operand = this.bind(operandExpr)
    const type = boundType(operand)
    if (!isNumericLike(type)) throw badRequest(messages.incompatibleUnary(displayType(type), 'Negate'))
    if (operand.kind === 'constant') return constant(type, typeof operand.value === 'number' ? -operand.value : null)
    return { kind: 'negate', type, operand }
  }

  private in (leftExpr: Expr, list: readonly Literal[]): Bound {
    let left = this.bind(leftExpr)
    const lt = boundType(left)
    let kind = 'value' as ComparisonKind
    const items = list.map((item) => {
      const bound = enumFromString(this.literal(item), lt)
      const rt = boundType(bound)
      const comparison = comparisonKind('eq', lt, rt)
      if (comparison === undefined) throw badRequest(messages.incompatibleBinary(displayType(lt), displayType(rt), operatorKindNames.eq))
      if (rt.kind !== 'null' && comparison !== 'nullOnly') kind = comparison
      return bound
    })
    const values = items.map((item) => kind === 'instant' ? (promoteDate(item) as { value: unknown }).value : (item as { value: unknown }).value)
    if (kind === 'instant') left = promoteDate(left)
    return { kind: 'in', comparison: kind, left, values }
  }

  private call (name: string, argExprs: readonly Expr[]): Bound {
    const lower = name.toLowerCase()
    if (lower === 'isof') return this.isOf(argExprs)
    const signatures = canonicalFunctions.get(lower)
    if (signatures === undefined) throw badRequest(messages.unknownFunction(name))
    const args = argExprs.map((arg) => this.bind(arg))
    const types = args.map(boundType)
    const signature = signatures.find((candidate) => matches(candidate, types))
    if (signature === undefined) throw badRequest(messages.noFunctionSignature(lower, describeSignatures(lower, signatures)))
    return { kind: 'call', type: primitive(signature.result), signature, args }
  }

  /** `isof('microsoft.graph.x')` on the entity itself; the model says which types exist and what a row is. */
  private isOf (argExprs: readonly Expr[]): Bound {
    const arg = argExprs.length === 1 ? this.bind(argExprs[0] as Expr) : undefined
    if (arg?.kind !== 'constant' || typeof arg.value !== 'string') {
      throw badRequest(messages.noFunctionSignature('isof', 'isof(Edm.String)'))
    }
    const typeName = arg.value.startsWith('#') ? arg.value.slice(1) : arg.value
    const isOf = this.model.isOf
    if (isOf === undefined || !isOf.knows(typeName)) throw badRequest(messages.typeNotFound(typeName))
    return { kind: 'isOf', typeName, test: (row) => isOf.test(row, typeName) }
  }

  private lambda (op: 'any' | 'all', collectionExpr: PathExpr, variable: string | null, predicateExpr: Expr | null): Bound {
    const collection = this.path(collectionExpr)
    const type = boundType(collection)
    if (type.kind !== 'collection') throw badRequest(messages.notACollection(collectionExpr.segments.at(-1) ?? ''))
    const slot = this.variables.length
    if (variable === null || predicateExpr === null) return { kind: 'lambda', op, collection, slot, predicate: null }
    if (variable === '$it' || this.variables.some((v) => v.name === variable)) throw badRequest(messages.lambdaVariableInUse(variable))
    this.variables.push({ name: variable, type: type.element, slot })
    try {
      const predicate = this.bind(predicateExpr)
      if (!isBooleanLike(boundType(predicate))) throw badRequest(messages.lambdaNotBoolean())
      return { kind: 'lambda', op, collection, slot, predicate }
    } finally {
      this.variables.pop()
    }
  }
}

function constant (type: BoundType, value: unknown): Bound {
  return { kind: 'constant', type, value }
}

function numberType (kind: 'int' | 'decimal' | 'double', text: string): PrimitiveTypeName {
  if (kind === 'double') return 'Edm.Double'
  if (kind === 'decimal') return 'Edm.Decimal'
  const value = Number(text)
  if (value >= -2147483648 && value <= 2147483647) return 'Edm.Int32'
  return Number.isSafeInteger(value) ? 'Edm.Int64' : 'Edm.Decimal'
}

/** A string literal compared with an enum is an enum literal (and must name a member). */
function enumFromString (node: Bound, otherType: BoundType): Bound {
  if (otherType.kind !== 'enum' || node.kind !== 'constant' || typeof node.value !== 'string') return node
  const type = node.type
  if (type.kind !== 'primitive' || type.name !== 'Edm.String') return node
  return constant(otherType, enumMember(otherType, node.value))
}

/** A member by name (exact, then any case) or by its numeric value. */
function enumMember (type: EnumType, text: string): string {
  if (type.positions.has(text)) return text
  const lower = text.toLowerCase()
  const byName = type.members.find((member) => member.toLowerCase() === lower)
  if (byName !== undefined) return byName
  if (text.length > 0 && text.length < 10 && [...text].every((c) => c >= '0' && c <= '9')) {
    const byValue = type.members[Number(text)]
    if (byValue !== undefined) return byValue
  }
  throw badRequest(messages.invalidEnumConstant(text))
}

function comparisonKind (op: ComparisonOperator, left: BoundType, right: BoundType): ComparisonKind | undefined {
  if (left.kind === 'null' && right.kind === 'null') return 'value'
  if (left.kind === 'null' || right.kind === 'null') {
    const other = left.kind === 'null' ? right : left
    if (other.kind === 'primitive') return other.name === 'Edm.DateTimeOffset' ? 'instant' : 'value'
    if (other.kind === 'enum') return 'enum'
    if (other.kind === 'complex' && (op === 'eq' || op === 'ne')) return 'nullOnly'
    return undefined
  }
  if (left.kind === 'enum' && right.kind === 'enum') return left.name === right.name ? 'enum' : undefined
  if (left.kind !== 'primitive' || right.kind !== 'primitive') return undefined
  if (numericRank[left.name] !== undefined && numericRank[right.name] !== undefined) return 'value'
  if (left.name === right.name) return left.name === 'Edm.DateTimeOffset' ? 'instant' : 'value'
  const pair = new Set([left.name, right.name])
  if (pair.has('Edm.DateTimeOffset') && pair.has('Edm.Date')) return 'instant'
  return undefined
}

/** A Date operand compared with a DateTimeOffset is midnight UTC of that date. */
function promoteDate (node: Bound): Bound {
  const type = boundType(node)
  if (type.kind !== 'primitive' || type.name !== 'Edm.Date') return node
  if (node.kind === 'constant') return constant(primitive('Edm.DateTimeOffset'), typeof node.value === 'number' ? dateToInstant(node.value) : null)
  return { kind: 'dateToInstant', operand: node }
}

function promoteNumeric (left: BoundType, right: BoundType): BoundType {
  if (left.kind !== 'primitive') return right
  if (right.kind !== 'primitive') return left
  return (numericRank[left.name] ?? 0) >= (numericRank[right.name] ?? 0) ? left : right
}

function matches (signature: FunctionSignature, types: readonly BoundType[]): boolean {
  if (signature.params.length !== types.length) return false
  return signature.params.every((param, index) => {
    const type = types[index]
    if (type === undefined) return false
    if (type.kind === 'null') return true
    return type.kind === 'primitive' && type.name === param
  })
}

function isBooleanLike (type: BoundType): boolean {
  return type.kind === 'null' || (type.kind === 'primitive' && type.name === 'Edm.Boolean')
}

function isNumericLike (type: BoundType): boolean {
  return type.kind === 'null' || (type.kind === 'primitive' && numericRank[type.name] !== undefined)
}

function displayType (type: BoundType): string {
  return type.kind === 'null' ? '<null>' : typeDisplayName(type)
}
