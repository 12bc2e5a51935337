/**
 * A user agent without a browser, for portal tests over HTTP: it keeps cookies, follows nothing by itself,
 * and reads the `_csrf` the page puts in its forms.
 */
export class Visitor {
  readonly #cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, { method: 'GET', headers });
  }

  /** Posts a form as a browser on the portal's own page does (Origin set to the portal). */
  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.#send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(this.base).origin, ...headers },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Posts a multipart form (a file input) as a browser on the portal's own page does. */
  async postMultipart(path: string, form: FormData): Promise<Response> {
    return this.#send(path, { method: 'POST', headers: { origin: new URL(this.base).origin }, body: form });
  }

  cookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  async #send(path: string, init: RequestInit): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      if (!name) continue;
      const value = rest.join('=');
      if (/max-age=0/i.test(line) || value === '') this.#cookies.delete(name.trim());
      else this.#cookies.set(name.trim(), value);
    }
    return res;
  }
}

/** The `_csrf` value of the first form on a page. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** The unit's personal link in an email's text body. */
export const linkIn = (text: string | undefined) => /https?:\/\/\S+\/u\/[A-Za-z0-9_.-]+/.exec(text ?? '')?.[0];
