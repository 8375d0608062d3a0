import { describe, expect, it } from "vitest";
import { neverReachedCognito } from "../../../bff/cognito/retry-policy";

/**
 * The retry policy's one question, "can this request not have reached Cognito?", on the inputs a
 * rejected SDK call can carry: anything it cannot read is "it may have arrived" (never retried).
 */

describe("neverReachedCognito", () => {
  it.each([
    ["nothing thrown", undefined],
    ["null", null],
    ["a string naming a refused connection", "ECONNREFUSED"],
    ["a number", 7],
  ])("answers no for %s, without failing", (_what, thrown) => {
    expect(neverReachedCognito(thrown)).toBe(false);
  });

  it.each(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"])("answers yes for a connection never made (%s)", (code) => {
    expect(neverReachedCognito(Object.assign(new Error(code), { code }))).toBe(true);
  });

  it.each(["ECONNRESET", "ETIMEDOUT", "EPIPE"])("answers no for a connection that was made, then failed (%s)", (code) => {
    expect(neverReachedCognito(Object.assign(new Error(code), { code }))).toBe(false);
  });

  it("answers no for an error that only says it did not connect: the connect timeout is the handler's TimeoutError", () => {
    expect(neverReachedCognito(new Error("the request socket did not establish a connection with the server"))).toBe(false);
    expect(neverReachedCognito({ name: "SomeError", message: "did not establish a connection" })).toBe(false);
  });

  it("answers no for a TimeoutError whose message is not a string, whatever it reads as", () => {
    const message = { toString: () => "the request socket did not establish a connection" };
    expect(neverReachedCognito({ name: "TimeoutError", message })).toBe(false);
  });
});
