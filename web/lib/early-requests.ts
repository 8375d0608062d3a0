/**
 * GET requests the entry sends before the app's code has arrived (web/main.tsx), so their
 * answers are in by the time a page asks: on a phone the app's code takes a second or more to
 * download and run, and a request sent only then adds a round trip before the page is usable.
 * No dependencies: it runs in the entry chunk, ahead of React and the rest.
 */
const sent = new Map<string, Promise<Response>>();

/** Sends GET `path` now, as the API client would (same credentials, JSON wanted). */
export function sendEarly(path: string): void {
  if (sent.has(path)) return;
  const response = fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  // A failure is reported to whoever takes the answer; until then it is not an unhandled rejection.
  response.catch(() => undefined);
  sent.set(path, response);
}

/** The early answer to GET `path`, once: the next request for it goes to the network. */
export function takeEarly(path: string): Promise<Response> | undefined {
  const response = sent.get(path);
  sent.delete(path);
  return response;
}
