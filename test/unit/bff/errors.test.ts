import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, serializeApiError, toApiError } from "../../../bff/errors";

describe("the error shape", () => {
  it("serializes {error:{code,message}}", () => {
    expect(serializeApiError(new ApiError(409, "username_exists", "Taken."))).toEqual({ error: { code: "username_exists", message: "Taken." } });
  });

  it("puts attemptsLeft inside error and at the top level", () => {
    const body = serializeApiError(new ApiError(400, "code_mismatch", "Wrong.", { extra: { attemptsLeft: 2 } }));
    expect(body).toEqual({ error: { code: "code_mismatch", message: "Wrong.", attemptsLeft: 2 }, attemptsLeft: 2 });
  });

  it("hides the message of a server error unless it is marked exposable", () => {
    expect(serializeApiError(new ApiError(500, "internal_error", "db password wrong")).error.message).not.toContain("password");
    expect(serializeApiError(new ApiError(503, "service_unavailable", "Try later.", { expose: true })).error.message).toBe("Try later.");
  });

  it("turns a zod failure into 400 bad_request with a message per field", () => {
    const result = z.object({ email: z.email({ message: "Bad email." }), code: z.string() }).safeParse({ email: "x" });
    const error = toApiError(result.error);
    expect({ status: error.status, code: error.code, fields: error.extra.fields }).toEqual({
      status: 400,
      code: "bad_request",
      fields: { email: "Bad email.", code: expect.any(String) },
    });
  });

  it("turns malformed JSON into 400 and an oversized body into 413", () => {
    const parse = Object.assign(new SyntaxError("Unexpected end"), { type: "entity.parse.failed", status: 400 });
    const large = Object.assign(new Error("too large"), { type: "entity.too.large", status: 413 });
    expect([toApiError(parse).status, toApiError(parse).code]).toEqual([400, "bad_request"]);
    expect(toApiError(large).status).toBe(413);
  });

  it("turns anything else into a generic 500 internal_error", () => {
    const error = toApiError(new TypeError("cannot read properties of undefined (reading 'x')"));
    expect([error.status, error.code]).toEqual([500, "internal_error"]);
    expect(serializeApiError(error).error.message).not.toContain("undefined");
  });
});
