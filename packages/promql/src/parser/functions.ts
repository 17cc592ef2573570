// PromQL function signatures (Prometheus' parser/functions.go): argument types, variadic rule,
// return type and whether the function is experimental.
import type { ValueType } from './ast.js';

export interface FunctionDef {
  name: string;
  argTypes: ValueType[];
  /** 0: exactly argTypes; N>0: the last argument optional, repeatable up to N times; -1: unlimited. */
  variadic: number;
  returnType: ValueType;
  experimental: boolean;
}

const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const S: ValueType = 'scalar';
const STR: ValueType = 'string';

const defs: [string, ValueType[], number, ValueType, boolean?][] = [];
const add = (names: string, args: ValueType[], variadic: number, ret: ValueType, exp = false): void => {
  for (const n of names.split(' ')) defs.push([n, args, variadic, ret, exp]);
};
add(
  'abs absent acos acosh asin asinh atan atanh ceil cos cosh deg exp floor histogram_avg histogram_count ' +
    'histogram_stddev histogram_stdvar histogram_sum ln log10 log2 rad sgn sin sinh sort sort_desc sqrt tan tanh timestamp',
  [V],
  0,
  V,
);
add('start_timestamp', [V], 0, V, true);
add(
  'absent_over_time avg_over_time changes count_over_time delta deriv first_over_time idelta increase irate ' +
    'last_over_time max_over_time min_over_time present_over_time rate resets stddev_over_time stdvar_over_time sum_over_time',
  [M],
  0,
  V,
);
add('mad_over_time ts_of_first_over_time ts_of_last_over_time ts_of_max_over_time ts_of_min_over_time', [M], 0, V, true);
add('day_of_month day_of_week day_of_year days_in_month hour minute month year', [V], 1, V);
add('pi time', [], 0, S);
add('end range start step', [], 0, S, true);
add('max_of min_of', [S, S], 0, S, true);
add('clamp_max clamp_min', [V, S], 0, V);
add('clamp', [V, S, S], 0, V);
add('round', [V, S], 1, V);
add('predict_linear', [M, S], 0, V);
add('double_exponential_smoothing', [M, S, S], 0, V, true);
add('quantile_over_time', [S, M], 0, V);
add('histogram_quantile', [S, V], 0, V);
add('histogram_fraction', [S, S, V], 0, V);
add('histogram_quantiles', [V, STR, S, S], 9, V, true);
add('info', [V, V], 1, V, true);
add('sort_by_label sort_by_label_desc', [V, STR], -1, V, true);
add('label_join', [V, STR, STR, STR], -1, V);
add('label_replace', [V, STR, STR, STR, STR], 0, V);
add('scalar', [V], 0, S);
add('vector', [S], 0, V);

export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(
  defs.map(([name, argTypes, variadic, returnType, experimental]) => [
    name,
    { name, argTypes, variadic, returnType, experimental: experimental ?? false },
  ]),
);
