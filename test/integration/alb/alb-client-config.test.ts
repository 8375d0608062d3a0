import { startAlbTestStack, type AlbTestStack } from "./alb-stack";

/**
 * GET /api/config in ALB mode: the SPA learns that the load balancer owns sign-in, so it shows
 * no sign-in, sign-up or password pages and titles the load balancer's signed user claims.
 */
let stack: AlbTestStack;

beforeAll(async () => {
  stack = await startAlbTestStack();
});
afterAll(async () => {
  await stack?.close();
});

describe("ALB mode: the SPA's configuration", () => {
  it("answers GET /api/config with mode alb, not cached", async () => {
    const response = await fetch(`${stack.bff.url}/api/config`, { headers: { accept: "application/json" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ mode: "alb" });
  });
});
