import { checkCode, generateCode, maskDestination, pendingCode } from "../../../emulator/codes";

test("codes are six digits", () => {
  for (let index = 0; index < 50; index += 1) expect(generateCode()).toMatch(/^\d{6}$/);
});

test("a pending code keeps a digest, not the code", () => {
  expect(JSON.stringify(pendingCode("123456", 10))).not.toContain("123456");
});

test("the right code before expiry matches", () => {
  expect(checkCode(pendingCode("123456", 1000), "123456", 999)).toBe("match");
});

test("a different code is a mismatch", () => {
  expect(checkCode(pendingCode("123456", 1000), "123457", 0)).toBe("mismatch");
});

test("the right code at expiry is expired", () => {
  expect(checkCode(pendingCode("123456", 1000), "123456", 1000)).toBe("expired");
});

test("masks emails as Cognito's delivery details do, without the top-level domain, and phone numbers to their last four digits", () => {
  expect(maskDestination("alice@example.com")).toBe("a***@e***");
  expect(maskDestination("bob@mail.example.co.jp")).toBe("b***@m***");
  expect(maskDestination("+15555550123")).toBe("+*******0123");
});
