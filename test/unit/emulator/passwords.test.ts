import { passwordPolicySchema } from "../../../common/local-config";
import { assertPasswordPolicy, hashPassword, verifyPassword } from "../../../emulator/passwords";

test("stores scrypt hashes with their parameters and a per-password salt", async () => {
  const [first, second] = await Promise.all([hashPassword("Correct-Horse-9"), hashPassword("Correct-Horse-9")]);
  expect(first).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
  expect(first).not.toBe(second);
  expect(first).not.toContain("Correct-Horse-9");
});

test("verifies the right password and refuses another", async () => {
  const hash = await hashPassword("Correct-Horse-9");
  expect(await verifyPassword("Correct-Horse-9", hash)).toBe(true);
  expect(await verifyPassword("Correct-Horse-8", hash)).toBe(false);
});

test("refuses a stored value that is not an scrypt hash", async () => {
  expect(await verifyPassword("anything", "plain:anything")).toBe(false);
});

describe("password policy", () => {
  const strict = passwordPolicySchema.parse({});

  test("accepts a password meeting every rule", () => {
    expect(() => assertPasswordPolicy(strict, "Correct-Horse-9")).not.toThrow();
  });

  test("reports the length first", () => {
    expect(() => assertPasswordPolicy(strict, "short")).toThrow("Password did not conform with policy: Password not long enough");
  });

  test("counts a space inside the password as a symbol", () => {
    expect(() => assertPasswordPolicy(strict, "Correct Horse9")).not.toThrow();
  });

  test("applies only the rules the pool requires", () => {
    const relaxed = passwordPolicySchema.parse({ minimumLength: 6, requireSymbols: false, requireUppercase: false });
    expect(() => assertPasswordPolicy(relaxed, "lower1")).not.toThrow();
    expect(() => assertPasswordPolicy(relaxed, "lowerx")).toThrow("Password must have numeric characters");
  });
});
