import type { ErrorBody } from "./types.js";

/**
 * Calls to the server's JSON API with the per-start token. The token arrives in the page's
 * URL (`/?token=…`, printed by `biograd serve`); it is kept in sessionStorage and removed
 * from the address bar so it does not end up in bookmarks or screenshots.
 */
const KEY = "biograd.token";

export function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get("token");
  if (fromUrl) {
    sessionStorage.setItem(KEY, fromUrl);
    url.searchParams.delete("token");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(KEY);
}

/** An error answer: the server's one-line message and the form field it is about. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field: string | null,
  ) {
    super(message);
  }
}

export class Api {
  constructor(private readonly token: string) {}

  async get<T>(path: string): Promise<T> {
    return this.call<T>(path, { method: "GET" });
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  }

  async upload<T>(file: File, sheet?: string): Promise<T> {
    const query = sheet ? `?sheet=${encodeURIComponent(sheet)}` : "";
    return this.call<T>(`/api/uploads${query}`, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream", "X-Filename": safeHeader(file.name) },
      body: file,
    });
  }

  async remove(path: string): Promise<void> {
    await this.call<unknown>(path, { method: "DELETE" });
  }

  /** A URL that carries the token itself: EventSource and download links cannot set headers. */
  url(path: string): string {
    const sep = path.includes("?") ? "&" : "?";
    return `${path}${sep}token=${encodeURIComponent(this.token)}`;
  }

  private async call<T>(path: string, init: RequestInit): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${this.token}`);
    let response: Response;
    try {
      response = await fetch(path, { ...init, headers });
    } catch {
      throw new ApiError("the biograd server does not answer (was it stopped?)", 0, null);
    }
    const text = await response.text();
    const body = text === "" ? null : parse(text);
    if (!response.ok) {
      const error = (body as ErrorBody | null)?.error;
      throw new ApiError(
        error?.message ?? `the server answered ${response.status} ${response.statusText}`,
        response.status,
        error?.field ?? null,
      );
    }
    return body as T;
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Header values must be Latin-1: other characters of a file name become "_". */
function safeHeader(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, "_");
}
