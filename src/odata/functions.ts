// The canonical functions $filter accepts: their signatures (for binding) and implementations over the
// engine's runtime values (see temporal.ts). A null argument gives null; the compiler handles that
// before calling an implementation.
import type { PrimitiveTypeName } from './model.js'
import { dateParts, instantDate, instantTime, type Instant } from './temporal.js'

export interface FunctionContext {
  readonly now: Instant
}

export interface FunctionSignature {
  readonly params: readonly PrimitiveTypeName[]
  readonly result: PrimitiveTypeName
  readonly impl: (args: readonly unknown[], context: FunctionContext) => unknown
}

const S = 'Edm.String'
const I = 'Edm.Int32'
const B = 'Edm.Boolean'
const DTO = 'Edm.DateTimeOffset'
const D = 'Edm.Date'
const T = 'Edm.TimeOfDay'

const str = (args: readonly unknown[], index: number): string => args[index] as string
const int = (args: readonly unknown[], index: number): number => args[index] as number
const instant = (args: readonly unknown[]): Instant => args[0] as Instant
const days = (args: readonly unknown[]): number => args[0] as number
const time = (args: readonly unknown[]): number => args[0] as number

function sig (params: readonly PrimitiveTypeName[], result: PrimitiveTypeName, impl: FunctionSignature['impl']): FunctionSignature {
  return { params, result, impl }
}

export const canonicalFunctions: ReadonlyMap<string, readonly FunctionSignature[]> = new Map([
  ['contains', [sig([S, S], B, (a) => str(a, 0).includes(str(a, 1)))]],
  ['startswith', [sig([S, S], B, (a) => str(a, 0).startsWith(str(a, 1)))]],
  ['endswith', [sig([S, S], B, (a) => str(a, 0).endsWith(str(a, 1)))]],
  ['tolower', [sig([S], S, (a) => str(a, 0).toLowerCase())]],
  ['toupper', [sig([S], S, (a) => str(a, 0).toUpperCase())]],
  ['trim', [sig([S], S, (a) => str(a, 0).trim())]],
  ['length', [sig([S], I, (a) => str(a, 0).length)]],
  ['indexof', [sig([S, S], I, (a) => str(a, 0).indexOf(str(a, 1)))]],
  ['substring', [
    sig([S, I], S, (a) => str(a, 0).slice(Math.max(0, int(a, 1)))),
    // A negative length gives the empty string rather than an error at evaluation time.
    sig([S, I, I], S, (a) => str(a, 0).slice(Math.max(0, int(a, 1)), Math.max(0, int(a, 1)) + Math.max(0, int(a, 2))))
  ]],
  ['concat', [sig([S, S], S, (a) => str(a, 0) + str(a, 1))]],
  ['year', [sig([DTO], I, (a) => instant(a).year), sig([D], I, (a) => dateParts(days(a)).year)]],
  ['month', [sig([DTO], I, (a) => instant(a).month), sig([D], I, (a) => dateParts(days(a)).month)]],
  ['day', [sig([DTO], I, (a) => instant(a).day), sig([D], I, (a) => dateParts(days(a)).day)]],
  ['hour', [sig([DTO], I, (a) => instant(a).hour), sig([T], I, (a) => Math.floor(time(a) / 3_600_000))]],
  ['minute', [sig([DTO], I, (a) => instant(a).minute), sig([T], I, (a) => Math.floor(time(a) / 60_000) % 60)]],
  ['second', [sig([DTO], I, (a) => instant(a).second), sig([T], I, (a) => Math.floor(time(a) / 1000) % 60)]],
  ['date', [sig([DTO], D, (a) => instantDate(instant(a)))]],
  ['time', [sig([DTO], T, (a) => instantTime(instant(a)))]],
  ['now', [sig([], DTO, (_a, context) => context.now)]]
])

export function describeSignatures (name: string, signatures: readonly FunctionSignature[]): string {
  return signatures.map((signature) => `${name}(${signature.params.join(', ')})`).join('; ')
}
