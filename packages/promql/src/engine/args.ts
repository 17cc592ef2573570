// Argument unwrapping shared by the function implementations.
import type { EvalValue } from './evaluator.js';
import { QueryError, type Series } from './value.js';

export function vectorArg(v: EvalValue): Series[] {
  if (v.kind !== 'vector') throw new QueryError(`expected instant vector, got ${v.kind}`);
  return v.series;
}
export function scalarArg(v: EvalValue): Float64Array {
  if (v.kind !== 'scalar') throw new QueryError(`expected scalar, got ${v.kind}`);
  return v.vals;
}
export function stringArg(v: EvalValue): string {
  if (v.kind !== 'string') throw new QueryError(`expected string, got ${v.kind}`);
  return v.val;
}

