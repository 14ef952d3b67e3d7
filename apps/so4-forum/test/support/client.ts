/** The response a page request got, with the body read. */
export interface PageResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  readonly location: string | null;
}

/**
 * A cookie-keeping HTTP client that behaves like a browser submitting forms (without JavaScript,
 * or as htmx does with `HX-Request`), for the page tests.
 */
export class BrowserClient {
  readonly #base: string;
  readonly cookies = new Map<string, string>();
  #csrf: string | undefined;

  constructor(base: string) {
    this.#base = base;
  }

  get csrfToken(): string | undefined {
    return this.#csrf;
  }

  #remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async request(
    method: string,
    path: string,
    options: {
      form?: Record<string, string>;
      htmx?: boolean;
      headers?: Record<string, string>;
      withCsrf?: boolean;
    } = {},
  ): Promise<PageResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    if (options.htmx) headers["hx-request"] = "true";
    let body: string | undefined;
    if (options.form) {
      const form = { ...options.form };
      if (options.withCsrf !== false && this.#csrf && form._csrf === undefined)
        form._csrf = this.#csrf;
      body = new URLSearchParams(form).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    }
    const response = await fetch(new URL(path, this.#base), {
      method,
      headers,
      redirect: "manual",
      ...(body === undefined ? {} : { body }),
    });
    this.#remember(response);
    const text = await response.text();
    const token =
      /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ??
      /<meta name="csrf-token" content="([^"]+)"/.exec(text)?.[1];
    if (token) this.#csrf = token;
    return {
      status: response.status,
      headers: response.headers,
      body: text,
      location: response.headers.get("location"),
    };
  }

  get(path: string, options: { htmx?: boolean } = {}): Promise<PageResponse> {
    return this.request("GET", path, options);
  }

  post(
    path: string,
    form: Record<string, string>,
    options: { htmx?: boolean; withCsrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<PageResponse> {
    return this.request("POST", path, { ...options, form });
  }

  /** Registers through the form and follows the redirect. */
  async register(
    email: string,
    name: string,
    password = "correct horse battery",
  ): Promise<PageResponse> {
    await this.get("/register");
    return this.post("/register", { email, name, password });
  }

  async login(email: string, password: string): Promise<PageResponse> {
    await this.get("/login");
    return this.post("/login", { email, password });
  }
}

/** JSON API calls with an optional bearer token. */
export async function api(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; json: any }> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(new URL(path, base), {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: text ? JSON.parse(text) : undefined,
  };
}
