// Small typed fetch wrapper for /api/v1: bearer token on every call, typed by the OpenAPI paths, ApiError on failure.
import { ApiError, detailText } from "./errors";
import type { GetPath, GetResult, PathParamsOf, PostBody, PostPath, PostResult, QueryOf } from "./paths";

export type TokenScope = "read" | "control";

export interface ApiClientOptions {
  /** The bearer token for a scope (the control token for /control/*), or null when there is none. */
  getToken: (scope: TokenScope) => string | null;
  /** Called on a 401 (the auth layer logs out for the read scope). */
  onUnauthorized?: (scope: TokenScope, error: ApiError) => void;
  fetchImpl?: typeof fetch;
  baseUrl?: string;
}

type QueryValue = string | number | boolean | null | undefined;

export type GetOptions<P extends GetPath> = {
  query?: QueryOf<P>;
  signal?: AbortSignal;
} & ([PathParamsOf<P>] extends [never] ? { path?: undefined } : { path: PathParamsOf<P> });

type GetArgs<P extends GetPath> = [PathParamsOf<P>] extends [never] ? [options?: GetOptions<P>] : [options: GetOptions<P>];

export interface ApiClient {
  get<P extends GetPath>(path: P, ...args: GetArgs<P>): Promise<GetResult<P>>;
  post<P extends PostPath>(path: P, body: PostBody<P>, scope?: TokenScope): Promise<PostResult<P>>;
}

/** Replaces `{name}` segments with URL-encoded values and appends the non-empty query parameters. */
export function buildUrl(
  baseUrl: string,
  template: string,
  pathParams?: Record<string, string | number>,
  query?: Record<string, QueryValue>,
): string {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = pathParams?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const qs = search.toString();
  return `${baseUrl}${path}${qs ? `?${qs}` : ""}`;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl ?? "";

  async function request<T>(url: string, init: RequestInit, scope: TokenScope): Promise<T> {
    const token = options.getToken(scope);
    if (!token) throw new ApiError(401, scope === "control" ? "no control token entered" : "not logged in");
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${token}`);
    headers.set("Accept", "application/json");
    const doFetch = options.fetchImpl ?? fetch;
    const response = await doFetch(url, { ...init, headers });
    const text = await response.text();
    let body: unknown = null;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = null;
      }
    }
    if (!response.ok) {
      const error = new ApiError(response.status, detailText(body, response.statusText || "request failed"));
      if (response.status === 401) options.onUnauthorized?.(scope, error);
      throw error;
    }
    return body as T;
  }

  return {
    get(path, ...args) {
      const opts = args[0];
      const url = buildUrl(
        baseUrl,
        path,
        opts?.path as Record<string, string> | undefined,
        opts?.query as Record<string, QueryValue> | undefined,
      );
      const scope: TokenScope = path.startsWith("/api/v1/control/") ? "control" : "read";
      return request(url, { method: "GET", signal: opts?.signal ?? null }, scope);
    },
    post(path, body, scope = "control") {
      return request(
        buildUrl(baseUrl, path),
        { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } },
        scope,
      );
    },
  };
}
