import { ConfirmSignUpCommand, SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { AppClientConfig } from "../../../common/local-config";
import { type TestEmulator, bff, config, latestCode, outboxFor, secretHash, startTestEmulator, uniqueEmail } from "../emulator/support";
import { CookieJar, PASSWORD, parseSignInForm } from "./alb-stack";

/**
 * The managed login in English and Japanese (the `lang` parameter, else Accept-Language), and its
 * "Forgot your password?" pages: the email → a reset code through the CustomMessage trigger → the
 * code and a new password → back to sign in. Everything over plain HTTP, as a browser without
 * JavaScript would do it.
 */

const albClient = config.userPool.clients.find((client) => client.name === "tobira-alb") as AppClientConfig & { clientSecret: string };
const CALLBACK = albClient.callbackUrls[0]!;
const NEW_PASSWORD = "Another-Horse-7";
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(async () => {
  await t.stop();
});

const REQUEST = { client_id: albClient.clientId, redirect_uri: CALLBACK, response_type: "code", scope: "openid", state: "state-i18n" };
const requestQuery = (overrides: Record<string, string> = {}) => new URLSearchParams({ ...REQUEST, ...overrides }).toString();
const url = (pathAndQuery: string) => new URL(pathAndQuery, t.emulator.url).toString();
const unescapeHtml = (text: string) => text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&");

function linkHref(html: string, text: string): string {
  const href = new RegExp(`<a href="([^"]+)">${text}</a>`).exec(html)?.[1];
  if (href === undefined) throw new Error(`no link "${text}" on the page`);
  return unescapeHtml(href);
}

function post(jar: CookieJar, action: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return jar.fetch(url(action), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A confirmed user, signed up through the API with the given locale attribute. */
async function confirmedUser(locale?: string): Promise<string> {
  const email = uniqueEmail("ml-i18n");
  await t.cognito.send(
    new SignUpCommand({
      ClientId: bff.clientId,
      Username: email,
      Password: PASSWORD,
      SecretHash: secretHash(email),
      ...(locale === undefined ? {} : { UserAttributes: [{ Name: "locale", Value: locale }] }),
    }),
  );
  const code = await latestCode(t.emulator.url, email);
  await t.cognito.send(new ConfirmSignUpCommand({ ClientId: bff.clientId, Username: email, ConfirmationCode: code, SecretHash: secretHash(email) }));
  return email;
}

describe("the managed login's language", () => {
  test("a Japanese browser (Accept-Language) gets the sign-in page in Japanese, with lang=ja", async () => {
    const page = await fetch(url(`/login?${requestQuery()}`), { headers: { "accept-language": "ja-JP,ja;q=0.9,en;q=0.8" } });
    const html = await page.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain("<h1>サインイン</h1>");
    expect(html).toContain('<label for="username">メールアドレス</label>');
    expect(html).toContain(">パスワードをお忘れですか？</a>");
    expect(html).not.toMatch(/>Sign in<|Create an account/);
  });

  test("an English browser gets English", async () => {
    const html = await (await fetch(url(`/login?${requestQuery()}`), { headers: { "accept-language": "en-US,en;q=0.9" } })).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("<h1>Sign in</h1>");
    expect(html).toContain(">Forgot your password?</a>");
  });

  test("lang=ja wins over the browser and is carried on every link, so the sign-up page is Japanese too", async () => {
    const english = { "accept-language": "en" };
    const login = await (await fetch(url(`/login?${requestQuery({ lang: "ja" })}`), { headers: english })).text();
    expect(login).toContain('<html lang="ja">');
    const signUpHref = new URL(linkHref(login, "アカウントを作成"), t.emulator.url);
    expect(signUpHref.searchParams.get("lang")).toBe("ja");
    const signUp = await (await fetch(url(signUpHref.pathname + signUpHref.search), { headers: english })).text();
    expect(signUp).toContain("<h1>アカウントの作成</h1>");
    expect(signUp).toContain("8 文字以上で、英小文字・英大文字・数字・記号をそれぞれ 1 文字以上含めてください。");
  });

  test("an unsupported lang is ignored (and dropped from the links): the browser's language applies", async () => {
    const html = await (await fetch(url(`/login?${requestQuery({ lang: "fr" })}`), { headers: { "accept-language": "ja" } })).text();
    expect(html).toContain('<html lang="ja">');
    expect(new URL(linkHref(html, "アカウントを作成"), t.emulator.url).searchParams.has("lang")).toBe(false);
  });

  test("Cognito's error after a wrong password is shown in Japanese", async () => {
    const email = await confirmedUser("ja");
    const jar = new CookieJar();
    const form = parseSignInForm(await (await jar.fetch(url(`/login?${requestQuery({ lang: "ja" })}`))).text());
    const refused = await post(jar, form.action, { _csrf: form.csrf, username: email, password: "Wrong-Horse-1" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("メールアドレスまたはパスワードが正しくありません。");
  });

  test("the error page for an untrusted request is Japanese for a Japanese browser", async () => {
    const response = await fetch(url(`/login?${requestQuery({ redirect_uri: "https://evil.example/cb" })}`), { headers: { "accept-language": "ja" } });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain("リクエストされたページでエラーが発生しました。");
  });
});

/** Opens "Forgot your password?" from the sign-in page, as a person would. */
async function openForgotPage(jar: CookieJar, overrides: Record<string, string> = {}, linkText = "Forgot your password\\?") {
  const login = await (await jar.fetch(url(`/login?${requestQuery(overrides)}`))).text();
  const page = await jar.fetch(url(linkHref(login, linkText)));
  expect(page.status).toBe(200);
  const html = await page.text();
  return { html, form: parseSignInForm(html) };
}

describe("Forgot your password?", () => {
  test("the whole journey in Japanese: email → a Japanese reset mail (CustomMessage_ForgotPassword) → code and new password → signed in with it", async () => {
    const email = await confirmedUser("ja");
    const jar = new CookieJar();
    const { html, form } = await openForgotPage(jar, { lang: "ja" }, "パスワードをお忘れですか？");
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain("<h1>パスワードをお忘れですか？</h1>");
    expect(form.action).toContain("lang=ja");

    const sent = await post(jar, form.action, { _csrf: form.csrf, username: email });
    expect(sent.status).toBe(303);
    const resetPage = await jar.fetch(url(sent.headers.get("location")!));
    const resetHtml = await resetPage.text();
    expect(resetHtml).toContain("このメールアドレスのアカウントがある場合は、コードを送信しました。");
    expect(resetHtml).toContain('<label for="password">新しいパスワード</label>');

    const [mail] = await outboxFor(t.emulator.url, email);
    expect(mail!.subject).toBe("Tobira パスワード再設定のご案内");
    expect(mail!.html).toContain(mail!.code);

    const resetForm = parseSignInForm(resetHtml);
    const done = await post(jar, resetForm.action, { _csrf: resetForm.csrf, username: email, code: mail!.code, password: NEW_PASSWORD });
    expect(done.status).toBe(303);
    const back = new URL(done.headers.get("location")!, t.emulator.url);
    expect(back.pathname).toBe("/login");
    expect(back.searchParams.get("notice")).toBe("reset");
    const login = await (await jar.fetch(back.toString())).text();
    expect(login).toContain("パスワードを再設定しました。新しいパスワードでサインインしてください。");

    const signInForm = parseSignInForm(login);
    const signedIn = await post(jar, signInForm.action, { _csrf: signInForm.csrf, username: email, password: NEW_PASSWORD });
    expect(signedIn.status).toBe(302);
    expect(signedIn.headers.get("location")).toMatch(new RegExp(`^${CALLBACK}\\?code=`));
  });

  test("answers an unknown email exactly as a known one, and sends nothing (no account enumeration)", async () => {
    const known = await confirmedUser();
    const unknown = uniqueEmail("ml-ghost");
    const answers = [];
    for (const email of [known, unknown]) {
      const jar = new CookieJar();
      const { form } = await openForgotPage(jar);
      const response = await post(jar, form.action, { _csrf: form.csrf, username: email });
      const location = new URL(response.headers.get("location")!, t.emulator.url);
      const page = (await (await jar.fetch(location.toString())).text()).replace(/value="[^"]*"/g, "");
      answers.push({ status: response.status, path: location.pathname, sent: location.searchParams.get("sent"), page });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(await outboxFor(t.emulator.url, unknown)).toEqual([]);
  });

  test("refuses a request without the form's CSRF token: 403, and no code is sent", async () => {
    const email = await confirmedUser();
    const jar = new CookieJar();
    await openForgotPage(jar);
    const before = (await outboxFor(t.emulator.url, email)).length;
    const refused = await post(jar, `/forgotPassword?${requestQuery()}`, { username: email });
    expect(refused.status).toBe(403);
    expect(await outboxFor(t.emulator.url, email)).toHaveLength(before);
  });

  test("refuses a reset without the form's CSRF token: 403, and the password stays", async () => {
    const email = await confirmedUser();
    const jar = new CookieJar();
    const { form } = await openForgotPage(jar);
    await post(jar, form.action, { _csrf: form.csrf, username: email });
    const code = await latestCode(t.emulator.url, email);
    const refused = await post(jar, `/confirmForgotPassword?${requestQuery()}`, { username: email, code, password: NEW_PASSWORD });
    expect(refused.status).toBe(403);
    const loginForm = parseSignInForm(await (await jar.fetch(url(`/login?${requestQuery()}`))).text());
    expect((await post(jar, loginForm.action, { _csrf: loginForm.csrf, username: email, password: PASSWORD })).status).toBe(302);
  });

  test("a wrong code is refused with Cognito's message, in the page's language, and the password stays", async () => {
    const email = await confirmedUser("ja");
    const jar = new CookieJar();
    const { form } = await openForgotPage(jar, { lang: "ja" }, "パスワードをお忘れですか？");
    const sent = await post(jar, form.action, { _csrf: form.csrf, username: email });
    const resetForm = parseSignInForm(await (await jar.fetch(url(sent.headers.get("location")!))).text());
    const code = await latestCode(t.emulator.url, email);
    const wrong = code === "000000" ? "111111" : "000000";
    const refused = await post(jar, resetForm.action, { _csrf: resetForm.csrf, username: email, code: wrong, password: NEW_PASSWORD });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("確認コードが正しくありません。もう一度お試しください。");
  });

  test("a new password that breaks the pool's policy is refused, and the code is not used up", async () => {
    const email = await confirmedUser();
    const jar = new CookieJar();
    const { form } = await openForgotPage(jar);
    const sent = await post(jar, form.action, { _csrf: form.csrf, username: email });
    const resetForm = parseSignInForm(await (await jar.fetch(url(sent.headers.get("location")!))).text());
    const code = await latestCode(t.emulator.url, email);
    const weak = await post(jar, resetForm.action, { _csrf: resetForm.csrf, username: email, code, password: "short" });
    expect(weak.status).toBe(400);
    expect((await post(jar, resetForm.action, { _csrf: resetForm.csrf, username: email, code, password: NEW_PASSWORD })).status).toBe(303);
  });
});
