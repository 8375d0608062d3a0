import Bowser from "bowser";

/**
 * What the account page and the security mails say about a browser: its name and operating
 * system, read from the User-Agent header by Bowser (a maintained parser). A User-Agent is what
 * the browser claims, not a proof, and browsers increasingly freeze its details (User-Agent
 * reduction), so versions are left out: "Chrome on macOS" is as much as it honestly tells.
 */

export interface DeviceSummary {
  browser: string | null;
  os: string | null;
  /** "Chrome on macOS", "Firefox", "Unknown browser". */
  label: string;
}

export function summariseUserAgent(userAgent: string | undefined): DeviceSummary {
  const text = (userAgent ?? "").trim();
  if (text === "") return { browser: null, os: null, label: "Unknown browser" };
  let browser: string | null = null;
  let os: string | null = null;
  try {
    const parsed = Bowser.parse(text);
    browser = parsed.browser.name || null;
    os = parsed.os.name || null;
  } catch {
    // An unparseable header is shown as unknown, never as an error.
  }
  const label = browser !== null && os !== null ? `${browser} on ${os}` : (browser ?? (os !== null ? `A browser on ${os}` : "Unknown browser"));
  return { browser, os, label };
}
