import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web workbench, built into web/dist and served by the API server on the same port.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // Only for working on the web app itself (npm run dev:web); users never need it.
    proxy: { '/api': 'http://localhost:8080', '/healthz': 'http://localhost:8080' },
  },
});
