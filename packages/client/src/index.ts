// Public API of @promethium/client: prom-client's exports, plus OpenMetrics, Info/StateSet and push.
import * as api from './api.js';

export * from './api.js';
// `import client from 'prom-client'` is the most common way to load prom-client (a CommonJS
// module); the namespace as default export keeps that line working after the switch.
export default api;
