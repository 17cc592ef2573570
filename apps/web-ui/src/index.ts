// Node side of the web UI package: where the built assets live and how to answer a request for them.
// The browser app itself is under src/app and is built by vite into dist/.
export { uiAssetsDir, uiAssetsBuilt, resolveUiPath, readUiAsset, uiResponse, UI_ROUTES } from './node/assets.js';
export type { UiResponse } from './node/assets.js';
