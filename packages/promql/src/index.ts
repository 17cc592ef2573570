// Public API of @promethium/promql.
export { parseDuration } from './duration.js';
