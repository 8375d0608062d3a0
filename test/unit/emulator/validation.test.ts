import { z } from "zod";
import { Fields, awsEnum, parseInput, requireParameter } from "../../../emulator/validation";

const schema = z.object({ ClientId: Fields.clientId, Username: Fields.username, AuthFlow: awsEnum(["A", "B"]).optional() });

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
  throw new Error("did not throw");
}

test("returns the parsed input when every constraint holds", () => {
  expect(parseInput(schema, { ClientId: "abc", Username: "alice" })).toEqual({ ClientId: "abc", Username: "alice" });
});

test("reports a missing member as null", () => {
  expect(messageOf(() => parseInput(schema, { Username: "alice" }))).toBe(
    "InvalidParameterException: 1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null",
  );
});

test("reports a pattern violation without echoing the value", () => {
  const message = messageOf(() => parseInput(schema, { ClientId: "bad-id", Username: "alice" }));
  expect(message).toBe(
    "InvalidParameterException: 1 validation error detected: Value at 'clientId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+",
  );
});

test("counts violations of several members", () => {
  expect(messageOf(() => parseInput(schema, { ClientId: "", Username: "a".repeat(129) }))).toMatch(
    /^InvalidParameterException: 2 validation errors detected: Value at 'clientId' .*; Value at 'username' /,
  );
});

test("lists the allowed values of an enumeration", () => {
  expect(messageOf(() => parseInput(schema, { ClientId: "abc", Username: "a", AuthFlow: "C" }))).toContain("Member must satisfy enum value set: [A, B]");
});

test("refuses a body that is not an object", () => {
  expect(messageOf(() => parseInput(schema, ["ClientId"]))).toMatch(/^SerializationException: /);
});

test("requireParameter names the missing parameter", () => {
  expect(messageOf(() => requireParameter({ USERNAME: "a" }, "PASSWORD"))).toBe("InvalidParameterException: Missing required parameter PASSWORD");
  expect(requireParameter({ USERNAME: "a" }, "USERNAME")).toBe("a");
});
