import { catalogs } from "./i18n/catalogs";
import { startLocale } from "./i18n/locales";
import { sendEarly } from "./lib/early-requests";
import "./styles/app.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

/*
 * The entry is small and starts everything the first page needs at once, instead of one after
 * the other: the app's code (index.html preloads its chunks and the sign-in page's), the active
 * language's strings, and GET /api/config, which the sign-in pages wait for (README, "Performance
 * of the first visit"). Each would otherwise be asked for only after the app's code had arrived
 * and run, a round trip each on a phone.
 */
const locale = startLocale();
void catalogs[locale].core().catch(() => undefined);
sendEarly("/api/config");
void import("./app/start").then(({ startApp }) => startApp(root, locale));
