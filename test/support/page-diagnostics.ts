import type { Page } from "playwright-core";

/**
 * What a browser page did, for the message of a failed browser test: a timed-out wait says only
 * which element never came, not what the page showed instead, what the API answered or what the
 * console said. Recorded from the page's creation; read only when a step fails.
 */
export interface PageRecord {
  /** The page's text, URL and the recorded events, one per line. */
  describe(): Promise<string>;
}

const maxEvents = 60;

export function recordPage(page: Page): PageRecord {
  const started = Date.now();
  const events: string[] = [];
  const note = (line: string) => {
    events.push(`+${String(Date.now() - started).padStart(6)} ms ${line}`);
    if (events.length > maxEvents) events.shift();
  };
  page.on("console", (message) => note(`console.${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => note(`pageerror: ${error.message}`));
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) note(`navigated: ${frame.url()}`);
  });
  page.on("requestfailed", (request) => note(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? "?"})`));
  page.on("response", (response) => {
    const request = response.request();
    const url = new URL(response.url());
    // API answers with their bodies (the error code says why a step did not move on); other files by status only.
    if (!url.pathname.startsWith("/api/")) {
      note(`${response.status()} ${request.method()} ${url.pathname}`);
      return;
    }
    response.text().then(
      (body) => note(`${response.status()} ${request.method()} ${url.pathname} ${body.slice(0, 300)}`),
      () => note(`${response.status()} ${request.method()} ${url.pathname} (body unreadable)`),
    );
  });
  return {
    async describe() {
      const text = await page
        .locator("body")
        .innerText({ timeout: 2_000 })
        .catch((error: unknown) => `(page text unreadable: ${String(error)})`);
      return [`URL: ${page.url()}`, "Page text:", text.trim(), "Events:", ...events].join("\n");
    },
  };
}

/** Runs a browser step; when it fails, the error's message gains what the page showed and did. */
export async function withPageDiagnostics<T>(record: PageRecord, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof Error) {
      error.message = `${error.message}\n\n--- the page when the step failed ---\n${await record.describe()}`;
    }
    throw error;
  }
}
