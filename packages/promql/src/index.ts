// Public API of @promethium/promql.
export { parseDuration, formatDuration } from './duration.js';
export { parseExpr, parseSeriesDescription, isComparisonOp, isSetOp, typeName } from './parser/parser.js';
export type { ParseOptions } from './parser/parser.js';
export { ParseError } from './parser/errors.js';
export { formatExpr, formatFloat, goQuote } from './parser/printer.js';
export { FUNCTIONS } from './parser/functions.js';
export type { FunctionDef } from './parser/functions.js';
export { exprType, walk, children } from './parser/ast.js';
export type * from './parser/ast.js';
export { Engine } from './engine/engine.js';
export type { EngineOptions, QueryOptions } from './engine/engine.js';
export { QueryError } from './engine/value.js';
export type { Annotation, QueryResult, QueryStats, QueryValue, Sample, Series } from './engine/value.js';
export { MemoryStorage, NativeHistogramsUnsupportedError } from './storage/memory.js';
export { runTestFile, runTestScript, SKIP_RULE, atModifierQuery } from './testscript/run.js';
export type { EvalOutcome, ScriptResult } from './testscript/run.js';
export { parseScript } from './testscript/script.js';
