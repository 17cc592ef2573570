// Character classes as lookup tables over char codes: the parsers test bytes, never regexes.
export const CH_TAB = 9;
export const CH_LF = 10;
export const CH_CR = 13;
export const CH_SPACE = 32;
export const CH_QUOTE = 34;
export const CH_HASH = 35;
export const CH_PLUS = 43;
export const CH_COMMA = 44;
export const CH_MINUS = 45;
export const CH_DOT = 46;
export const CH_COLON = 58;
export const CH_EQ = 61;
export const CH_BACKSLASH = 92;
export const CH_UNDERSCORE = 95;
export const CH_LBRACE = 123;
export const CH_RBRACE = 125;

/** Bit 1: may start a legacy metric name; 2: may continue one; 4: may start a label name; 8: may continue one. */
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const alpha = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const digit = c >= 48 && c <= 57;
  let k = 0;
  if (alpha || c === CH_UNDERSCORE || c === CH_COLON) k |= 1 | 2;
  if (digit) k |= 2 | 8;
  if (alpha || c === CH_UNDERSCORE) k |= 4 | 8;
  CLASS[c] = k;
}

export function isMetricNameStart(c: number): boolean {
  return c < 128 && (CLASS[c]! & 1) !== 0;
}
export function isMetricNameChar(c: number): boolean {
  return c < 128 && (CLASS[c]! & 2) !== 0;
}
export function isLabelNameStart(c: number): boolean {
  return c < 128 && (CLASS[c]! & 4) !== 0;
}
export function isLabelNameChar(c: number): boolean {
  return c < 128 && (CLASS[c]! & 8) !== 0;
}
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
