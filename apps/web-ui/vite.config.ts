import { defineConfig } from 'vite';

// Relative base: the server may mount the UI under a route prefix (--web.route-prefix),
// and every UI route is one path segment deep, so ./assets/... always resolves.
export default defineConfig({
  base: './',
  // `pnpm exec vite` in this package: the dev server forwards API calls to a server on :9090.
  server: {
    proxy: { '/api': 'http://localhost:9090', '/federate': 'http://localhost:9090' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
});
