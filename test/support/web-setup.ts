import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// Component tests type into whole pages: on a busy machine a page can take more than the
// default second to settle, and a test more than five. Generous limits keep them about
// behaviour, not speed.
configure({ asyncUtilTimeout: 5_000 });
vi.setConfig({ testTimeout: 20_000 });

afterEach(() => cleanup());
