/**
 * A small cookie-keeping JSON client over fetch, for driving the BFF like a browser would
 * (minus the browser): cookies from `Set-Cookie` are kept and sent back, JSON in and out.
 * It sends no Origin or Sec-Fetch-Site unless a test passes them.
 */

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, otherwise undefined. */
  body: T;
  text: string;
  /** The raw Set-Cookie header lines of this answer. */
  setCookies: string[];
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as is instead of JSON.stringify(body) (malformed-body tests). */
  rawBody?: string;
}

export class HttpClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    readonly baseUrl: string,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  get<T = unknown>(path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.request<T>("GET", path, undefined, options);
  }

  post<T = unknown>(path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.request<T>("POST", path, body, options);
  }

  delete<T = unknown>(path: string, body?: unknown, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    return this.request<T>("DELETE", path, body, options);
  }

  /** The value of a kept cookie, if any. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  cookieNames(): string[] {
    return [...this.cookies.keys()];
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  clearCookies(): void {
    this.cookies.clear();
  }

  /** A new client with the same cookies (a second tab, or a copy an attacker replays). */
  fork(): HttpClient {
    const copy = new HttpClient(this.baseUrl, this.defaultHeaders);
    for (const [name, value] of this.cookies) copy.cookies.set(name, value);
    return copy;
  }

  async request<T = unknown>(method: string, path: string, body: unknown, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { accept: "application/json", ...this.defaultHeaders };
    let payload: string | undefined;
    if (options.rawBody !== undefined) {
      payload = options.rawBody;
      headers["content-type"] = "application/json";
    } else if (body !== undefined || (method !== "GET" && method !== "HEAD")) {
      payload = JSON.stringify(body ?? {});
      headers["content-type"] = "application/json";
    }
    Object.assign(headers, options.headers);
    for (const [name, value] of Object.entries(headers)) if (value === "") delete headers[name];
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    const response = await this.fetchOnce(new URL(path, this.baseUrl), { method, headers, body: payload, redirect: "manual" });
    const setCookies = response.headers.getSetCookie();
    this.keepCookies(setCookies);
    const text = await response.text();
    let parsed: unknown;
    if ((response.headers.get("content-type") ?? "").includes("json") && text !== "") parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T, text, setCookies };
  }

  /**
   * fetch, retried once when a pooled keep-alive connection turns out to be closed (a server
   * restart in a test) — what browsers do too.
   */
  private async fetchOnce(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, init);
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code !== "UND_ERR_SOCKET" && code !== "ECONNRESET") throw error;
      return fetch(url, init);
    }
  }

  private keepCookies(lines: string[]): void {
    for (const line of lines) {
      const [pair, ...attributes] = line.split(";");
      const separator = pair!.indexOf("=");
      if (separator <= 0) continue;
      const name = pair!.slice(0, separator).trim();
      const value = pair!.slice(separator + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key, attributeValue = ""] = attribute.split("=").map((part) => part.trim());
        if (key?.toLowerCase() === "max-age") return Number(attributeValue) <= 0;
        if (key?.toLowerCase() === "expires") return Date.parse(attributeValue) <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}
