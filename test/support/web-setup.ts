import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach, vi } from "vitest";
import { activateLocale, loadCatalog, resetSwitcherUse } from "../../web/i18n/i18n";
import { en } from "../../web/i18n/messages/en";
import { enAccount } from "../../web/i18n/messages/en-account";
import { ja } from "../../web/i18n/messages/ja";
import { jaAccount } from "../../web/i18n/messages/ja-account";

// Component tests type into whole pages: on a busy machine a page can take more than the
// default second to settle, and a test more than five. Generous limits keep them about
// behaviour, not speed.
configure({ asyncUtilTimeout: 5_000 });
vi.setConfig({ testTimeout: 20_000 });

// Every catalog at hand (no chunk to fetch); each test starts in English with nothing saved.
loadCatalog("en", { ...en, ...enAccount });
loadCatalog("ja", { ...ja, ...jaAccount });
await activateLocale("en");

afterEach(async () => {
  cleanup();
  window.localStorage.clear();
  resetSwitcherUse();
  await activateLocale("en");
});
