// Public API: embed the app in another process or test it.
export { createApp } from './app.js';
export { parseListenAddress } from './listen-address.js';
