import { describe, expect, it } from "vitest";
import { createLogger } from "../../../bff/logger";

function captureLines(): { lines: string[]; stream: { write(line: string): void } } {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

describe("the BFF logger (OWASP Logging Cheat Sheet: data to exclude)", () => {
  it("redacts passwords, codes, tokens, secrets and Cognito sessions", () => {
    const { lines, stream } = captureLines();
    const logger = createLogger("info", stream);
    logger.info(
      {
        password: "hunter2-Pass!",
        body: { email: "a@example.com", code: "482913", password: "Correct-Horse-9" },
        pending: { cognitoSession: "AYABeC-session-string", username: "uuid" },
        tokens: { idToken: "eyJ.id.tok", accessToken: "eyJ.acc.tok", refreshToken: "opaque-refresh" },
        client: { clientSecret: "client-secret-value" },
        proof: { passkeyProof: "base64url-proof" },
      },
      "something happened",
    );
    const line = lines.join("");
    for (const secret of [
      "hunter2-Pass!",
      "482913",
      "Correct-Horse-9",
      "AYABeC-session-string",
      "eyJ.id.tok",
      "eyJ.acc.tok",
      "opaque-refresh",
      "client-secret-value",
      "base64url-proof",
    ]) {
      expect(line).not.toContain(secret);
    }
    expect(line).toContain("a@example.com"); // non-secret context stays
  });

  it("redacts cookies and authorization headers of logged requests", () => {
    const { lines, stream } = captureLines();
    createLogger("info", stream).info({ req: { headers: { cookie: "tobira=abc; tobira.sig=def", authorization: "Bearer eyJ.x.y" } } });
    const line = lines.join("");
    expect(line).not.toContain("tobira=abc");
    expect(line).not.toContain("Bearer eyJ.x.y");
  });
});
