// Finds the position a PromQL error message points at ("1:8: parse error: ...",
// "invalid parameter \"query\": 2:3: ...", or a range "1:5-1:9") so the UI can underline it.
export interface ErrorPosition {
  /** 0-based offsets into the expression. */
  from: number;
  to: number;
  line: number;
  column: number;
}

function offsetOf(expr: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = expr.indexOf('\n', offset);
    if (nl < 0) return expr.length;
    offset = nl + 1;
  }
  return Math.min(offset + Math.max(column - 1, 0), expr.length);
}

export function findErrorPosition(message: string, expr: string): ErrorPosition | undefined {
  const m = /(?:^|[\s:"])(\d+):(\d+)(?:-(\d+):(\d+))?: /.exec(message);
  if (!m) return undefined;
  const line = Number(m[1]);
  const column = Number(m[2]);
  if (line < 1 || column < 1) return undefined;
  const from = offsetOf(expr, line, column);
  const to = m[3] !== undefined ? offsetOf(expr, Number(m[3]), Number(m[4])) : Math.min(from + 1, expr.length);
  return { from, to: Math.max(to, from), line, column };
}
