import { describe, expect, it } from "vitest";
import { htmlText } from "../../../emulator/cognito-messages";
import { customMessageFor } from "../../../triggers/user-messages";

/** The outbox's `text` for an HTML-only mail: what a reader of the local mailbox sees. */
describe("htmlText", () => {
  it("drops the head and tags, decodes entities, keeps paragraphs on their own lines", () => {
    expect(
      htmlText(
        "<html><head><title>t</title><style>p{}</style></head><body><h1>Hi &amp; welcome</h1><p>Code:&nbsp;<b>123456</b></p><p>&#12371;&#12435;</p></body></html>",
      ),
    ).toBe("Hi & welcome\nCode: 123456\nこん");
  });

  it("folds runs of blank lines and spaces", () => {
    expect(htmlText("<p>a</p>\n\n\n<p>  b   c </p>")).toBe("a\n\nb c");
  });

  it("renders the project's Japanese sign-up mail as readable text with the code", () => {
    const { emailMessage } = customMessageFor("CustomMessage_SignUp", "ja", { code: "123456" });
    const text = htmlText(emailMessage);
    expect(text).toContain("確認コード\n\n123456");
    expect(text).not.toMatch(/[<>]/);
  });
});
