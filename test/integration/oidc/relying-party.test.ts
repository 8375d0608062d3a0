import { expect, it } from "vitest";
import { startRelyingParty } from "../../../examples/relying-party/relying-party";

/** The demo RP on its own (the whole flow runs in test/e2e/relying-party.test.ts). */

it("answers a plain 502 page, not a stack trace, when Tobira cannot be reached for discovery", async () => {
  const rp = await startRelyingParty({ issuerUrl: "http://127.0.0.1:9", clientId: "demo", clientSecret: "secret", port: 0 });
  try {
    const response = await fetch(`${rp.url}/login`, { redirect: "manual" });
    expect(response.status).toBe(502);
    const body = await response.text();
    expect(body).toContain("Tobira is not reachable");
    expect(body).not.toMatch(/at .+\.ts:\d+/);
  } finally {
    await rp.close();
  }
});

it("shows the sign-in link to a visitor and refuses a callback no sign-in is waiting for", async () => {
  const rp = await startRelyingParty({ issuerUrl: "http://127.0.0.1:9", clientId: "demo", clientSecret: "secret", port: 0 });
  try {
    expect(await (await fetch(rp.url)).text()).toContain('href="/login"');
    const callback = await fetch(`${rp.url}/callback?code=x&state=y`);
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain("No sign-in is pending");
  } finally {
    await rp.close();
  }
});
