// Public API of @promethium/client.
export { contentType } from './content-type.js';
