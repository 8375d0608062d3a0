/// <reference types="vite/client" />

// The VITE_ variables web/config.ts reads; every one is optional and has a default there.
interface ImportMetaEnv {
  readonly VITE_APP_NAME?: string;
  readonly VITE_PASSWORD_MIN_LENGTH?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
