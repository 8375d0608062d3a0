import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The SPA is built into dist/web and served by the BFF (same origin as /api).
// In `npm run dev`, Vite serves it with hot reload and proxies the BFF's paths.
const bffUrl = "http://localhost:3000";

export default defineConfig({
  root: "web",
  plugins: [react()],
  build: { outDir: "../dist/web", emptyOutDir: true },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      "/api": bffUrl,
      "/healthz": bffUrl,
      "/readyz": bffUrl,
    },
  },
});
