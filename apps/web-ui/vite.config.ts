import { defineConfig } from 'vite';

// Relative base: the server may mount the UI under a route prefix (--web.route-prefix),
// and every UI route is one path segment deep, so ./assets/... always resolves.
export default defineConfig({
  base: './',
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
