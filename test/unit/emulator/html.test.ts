import { escapeHtml } from "../../../emulator/hosted/html";

test("escapes every character that can open markup or leave an attribute", () => {
  expect(escapeHtml(`<a href="x" onclick='y'>&\`=/</a>`)).toBe("&#60;a href&#61;&#34;x&#34; onclick&#61;&#39;y&#39;&#62;&#38;&#96;&#61;&#47;&#60;&#47;a&#62;");
});
