import { AdminGetUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import type { AppClientConfig } from "../../../common/local-config";
import { CONFIRMATION_CODE_TTL_MS } from "../../../emulator/codes";
import { type TestEmulator, config, latestCode, otherCode, outboxFor, poolId, signUpConfirmed, startTestEmulator, testClock, uniqueEmail } from "../emulator/support";
import { CookieJar, PASSWORD, parseSignInForm } from "./alb-stack";

/**
 * The managed login's self-service sign-up, reached from the sign-in page's "Create an account":
 * /signup → /confirmUser (+ /resendcode) → back to /login of the same authorization request.
 * Everything over plain HTTP, as a browser without JavaScript would do it.
 */

const albClient = config.userPool.clients.find((client) => client.name === "tobira-alb") as AppClientConfig & { clientSecret: string };
const CALLBACK = albClient.callbackUrls[0]!;
const clock = testClock();
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator({ now: clock.now });
});
afterAll(async () => {
  await t.stop();
});

const REQUEST = {
  client_id: albClient.clientId,
  redirect_uri: CALLBACK,
  response_type: "code",
  scope: "openid",
  state: "state-signup",
};
const requestQuery = (overrides: Record<string, string> = {}) => new URLSearchParams({ ...REQUEST, ...overrides }).toString();

const url = (pathAndQuery: string) => new URL(pathAndQuery, t.emulator.url).toString();

function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_match, code: string) => String.fromCharCode(Number(code))).replace(/&amp;/g, "&");
}

/** The href of the link with this text. */
function linkHref(html: string, text: string): string {
  const href = new RegExp(`<a href="([^"]+)">${text}</a>`).exec(html)?.[1];
  if (href === undefined) throw new Error(`no link "${text}" on the page`);
  return unescapeHtml(href);
}

async function post(jar: CookieJar, action: string, fields: Record<string, string>): Promise<Response> {
  return jar.fetch(url(action), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Opens the sign-up page from the sign-in page's link, as a person would. */
async function openSignUpPage(jar = new CookieJar()) {
  const login = await jar.fetch(url(`/login?${requestQuery()}`));
  const page = await jar.fetch(url(linkHref(await login.text(), "Create an account")));
  expect(page.status).toBe(200);
  const html = await page.text();
  return { jar, page, html, form: parseSignInForm(html) };
}

async function submitSignUp(email: string, password = PASSWORD) {
  const { jar, form } = await openSignUpPage();
  const response = await post(jar, form.action, { _csrf: form.csrf, username: email, password });
  return { jar, response };
}

/** Signs up on the page and follows the redirect to the confirm page. */
async function openConfirmPage(email: string) {
  const { jar, response } = await submitSignUp(email);
  expect(response.status).toBe(303);
  const page = await jar.fetch(url(response.headers.get("location")!));
  const html = await page.text();
  return { jar, html, form: parseSignInForm(html) };
}

function confirm(jar: CookieJar, form: { action: string; csrf: string }, email: string, code: string) {
  return post(jar, form.action, { _csrf: form.csrf, username: email, code });
}

const userStatus = async (email: string) => t.cognito.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }));
const attribute = (user: Awaited<ReturnType<typeof userStatus>>, name: string) => user.UserAttributes?.find((entry) => entry.Name === name)?.Value;

describe("the sign-up page", () => {
  it("is linked from the sign-in page with the same authorization request", async () => {
    const login = await fetch(url(`/login?${requestQuery()}`));
    const href = new URL(linkHref(await login.text(), "Create an account"), t.emulator.url);
    expect(href.pathname).toBe("/signup");
    expect(Object.fromEntries(href.searchParams)).toEqual(REQUEST);
  });

  it("is an accessible form with labelled fields, the password policy, a CSRF token and a way back to sign in", async () => {
    const { page, html } = await openSignUpPage();
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(html).toContain("<h1>Create an account</h1>");
    expect(html).toContain('<label for="username">Email</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('aria-describedby="password-rules"');
    expect(html).toContain('id="password-rules">At least 8 characters, with a lowercase letter, an uppercase letter, a number and a symbol.</p>');
    expect(html).toMatch(/<input type="hidden" name="_csrf" value="[\w-]{43}">/);
    expect(new URL(linkHref(html, "Sign in"), t.emulator.url).search).toBe(`?${requestQuery()}`);
  });

  it("shows an error page, never a redirect, for an authorization request it cannot trust", async () => {
    const response = await fetch(url(`/signup?${requestQuery({ redirect_uri: "https://evil.example/cb" })}`), { redirect: "manual" });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    expect(await response.text()).toContain("redirect_mismatch");
  });
});

describe("signing up", () => {
  it("creates an unconfirmed user as SignUp does, emails a code, and continues to the confirm page", async () => {
    const email = uniqueEmail("page-signup");
    const { response } = await submitSignUp(email);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!, t.emulator.url);
    expect(location.pathname).toBe("/confirmUser");
    expect(Object.fromEntries(location.searchParams)).toEqual({ ...REQUEST, username: email });
    const user = await userStatus(email);
    expect(user.UserStatus).toBe("UNCONFIRMED");
    expect(user.Username).not.toBe(email); // the pool signs in by email: the internal name is the sub
    expect(attribute(user, "email")).toBe(email);
    expect(attribute(user, "email_verified")).toBe("false");
    const [message] = await outboxFor(t.emulator.url, email);
    expect(message).toMatchObject({ to: email, subject: "Confirm your Tobira account" });
    expect(message!.code).toMatch(/^\d{6}$/);
  });

  it("refuses an email that already has an account with Cognito's message, and no second code", async () => {
    const email = uniqueEmail("page-taken");
    await signUpConfirmed(t, email);
    const before = (await outboxFor(t.emulator.url, email)).length;
    const { response } = await submitSignUp(email);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('role="alert">An account with the given email already exists.</p>');
    expect(html).toContain(`value="${email}"`);
    expect(await outboxFor(t.emulator.url, email)).toHaveLength(before);
  });

  it("shows the password policy's error for a password it refuses, and creates no user", async () => {
    const email = uniqueEmail("page-weak");
    const { response } = await submitSignUp(email, "Correct-Horse");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Password did not conform with policy: Password must have numeric characters");
    await expect(userStatus(email)).rejects.toMatchObject({ name: "UserNotFoundException" });
  });

  it("refuses a username that is not an email, as the pool's username attribute requires", async () => {
    const { response } = await submitSignUp("not-an-email");
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Username should be an email.");
  });

  it("refuses a post without the CSRF cookie (a cross-site form) and creates no user", async () => {
    const email = uniqueEmail("page-csrf");
    const { form } = await openSignUpPage();
    const response = await post(new CookieJar(), form.action, { _csrf: form.csrf, username: email, password: PASSWORD });
    expect(response.status).toBe(403);
    await expect(userStatus(email)).rejects.toMatchObject({ name: "UserNotFoundException" });
  });

  it("escapes what it shows: markup in the state or the email cannot inject HTML into the sign-up or confirm page", async () => {
    const jar = new CookieJar();
    const page = await jar.fetch(url(`/signup?${requestQuery({ state: `"><script>alert(1)</script>` })}`));
    const html = await page.text();
    expect(html).not.toContain("<script>");
    const form = parseSignInForm(html);
    const markup = `"><script>alert(2)</script>@x.io`;
    const response = await post(jar, form.action, { _csrf: form.csrf, username: markup, password: "weak" });
    const answer = await response.text();
    expect(response.status).toBe(400);
    expect(answer).not.toContain("<script>");
    expect(answer).toContain('value="&#34;&#62;&#60;script&#62;alert(2)&#60;&#47;script&#62;@x.io"');
    const confirmPage = await (await jar.fetch(url(`/confirmUser?${requestQuery()}&${new URLSearchParams({ username: markup })}`))).text();
    expect(confirmPage).not.toContain("<script>");
    expect(confirmPage).toContain('value="&#34;&#62;&#60;script&#62;alert(2)&#60;&#47;script&#62;@x.io"');
  });

  it("answers a form body it cannot read with the error page, not a 500", async () => {
    const { jar, form } = await openSignUpPage();
    const fields = Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`f${index}`, "x"]));
    const response = await post(jar, form.action, { _csrf: form.csrf, ...fields });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("invalid_request");
  });
});

describe("confirming", () => {
  it("is an accessible form for the email and the code, with a resend button", async () => {
    const { html } = await openConfirmPage(uniqueEmail("page-confirm"));
    expect(html).toContain("<h1>Confirm your account</h1>");
    expect(html).toContain('<label for="code">Confirmation code</label>');
    expect(html).toContain('autocomplete="one-time-code"');
    expect(html).toMatch(/<button type="submit" class="secondary" formaction="[^"]+" formnovalidate>Resend code<\/button>/);
  });

  it("confirms with the emailed code as ConfirmSignUp does and returns to the sign-in page of the same request with a notice", async () => {
    const email = uniqueEmail("page-confirm");
    const { jar, form } = await openConfirmPage(email);
    const response = await confirm(jar, form, email, await latestCode(t.emulator.url, email));
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!, t.emulator.url);
    expect(location.pathname).toBe("/login");
    expect(Object.fromEntries(location.searchParams)).toEqual({ ...REQUEST, notice: "confirmed" });
    const user = await userStatus(email);
    expect(user.UserStatus).toBe("CONFIRMED");
    expect(attribute(user, "email_verified")).toBe("true");

    const login = await jar.fetch(location.toString());
    const html = await login.text();
    expect(html).toContain('<p class="notice" role="status">Account confirmed — sign in</p>');
    expect(parseSignInForm(html).action).toBe(`/login?${requestQuery()}`);
  });

  it("lets the new account sign in on the same request: the callback gets a code and the original state", async () => {
    const email = uniqueEmail("page-signin");
    const { jar, form } = await openConfirmPage(email);
    const confirmed = await confirm(jar, form, email, await latestCode(t.emulator.url, email));
    const login = await jar.fetch(url(confirmed.headers.get("location")!));
    const signIn = parseSignInForm(await login.text());
    const response = await post(jar, signIn.action, { _csrf: signIn.csrf, username: email, password: PASSWORD });
    expect(response.status).toBe(302);
    const callback = new URL(response.headers.get("location")!);
    expect(`${callback.origin}${callback.pathname}`).toBe(CALLBACK);
    expect(callback.searchParams.get("state")).toBe(REQUEST.state);
    expect(callback.searchParams.get("code")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps a wrong code on the page with Cognito's message and the user unconfirmed", async () => {
    const email = uniqueEmail("page-wrong");
    const { jar, form } = await openConfirmPage(email);
    const response = await confirm(jar, form, email, otherCode(await latestCode(t.emulator.url, email)));
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
    const html = await response.text();
    expect(html).toContain('role="alert">Invalid verification code provided, please try again.</p>');
    expect(html).toContain('aria-invalid="true"');
    expect((await userStatus(email)).UserStatus).toBe("UNCONFIRMED");
  });

  it("refuses a code older than 24 hours with Cognito's expired-code message", async () => {
    const email = uniqueEmail("page-expired");
    const { jar, form } = await openConfirmPage(email);
    const code = await latestCode(t.emulator.url, email);
    clock.advance(CONFIRMATION_CODE_TTL_MS + 1000);
    const response = await confirm(jar, form, email, code);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Invalid code provided, please request a code again.");
    expect((await userStatus(email)).UserStatus).toBe("UNCONFIRMED");
  });

  it("refuses a confirmation post without the CSRF cookie", async () => {
    const email = uniqueEmail("page-confirm-csrf");
    const { form } = await openConfirmPage(email);
    const response = await confirm(new CookieJar(), form, email, await latestCode(t.emulator.url, email));
    expect(response.status).toBe(403);
    expect((await userStatus(email)).UserStatus).toBe("UNCONFIRMED");
  });

  it("resends a new code that replaces the old one, telling where it went", async () => {
    const email = uniqueEmail("page-resend");
    const { jar, html } = await openConfirmPage(email);
    const first = await latestCode(t.emulator.url, email);
    const resend = async (from: string) => {
      const action = /formaction="([^"]+)"/.exec(from)![1]!;
      const response = await post(jar, unescapeHtml(action), { _csrf: parseSignInForm(from).csrf, username: email, code: "" });
      expect(response.status).toBe(200);
      return response.text();
    };
    let page = await resend(html);
    expect(page).toMatch(/role="status">A new code was sent to \w\*\*\*@e\*\*\*\.<\/p>/);
    expect(await outboxFor(t.emulator.url, email)).toHaveLength(2);
    let second = await latestCode(t.emulator.url, email);
    // Codes are random: should the new one repeat the old (one time in a million), ask again, so
    // that the refusal of the old code below is always checked.
    for (let again = 0; second === first && again < 3; again += 1) {
      page = await resend(page);
      second = await latestCode(t.emulator.url, email);
    }
    expect(second).not.toBe(first);
    const form = parseSignInForm(page);
    expect((await confirm(jar, form, email, first)).status).toBe(400);
    expect((await confirm(jar, form, email, second)).status).toBe(303);
  });

  it("answers a resend for an account that is already confirmed with Cognito's message", async () => {
    const email = uniqueEmail("page-resend-done");
    await signUpConfirmed(t, email);
    const jar = new CookieJar();
    const page = await (await jar.fetch(url(`/confirmUser?${requestQuery()}&username=${encodeURIComponent(email)}`))).text();
    const response = await post(jar, `/resendcode?${requestQuery()}`, { _csrf: parseSignInForm(page).csrf, username: email });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("User is already confirmed.");
  });
});
