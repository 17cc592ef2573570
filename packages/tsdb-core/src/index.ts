// Public API of @promethium/tsdb-core.
export { Labels } from './labels.js';
