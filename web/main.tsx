import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/app";
import { activateLocale, startLocale } from "./i18n/i18n";
import "./styles/app.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

// The first page renders in its language: index.html's loading shell stays until the catalog
// (a few kB, fetched alongside the page's preloaded chunks) has arrived.
void activateLocale(startLocale()).then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
