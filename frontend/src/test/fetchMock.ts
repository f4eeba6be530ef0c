// Test helper: a fetch stand-in that answers by URL with JSON and records every request.
import { vi } from "vitest";

export interface RecordedRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | null;
}

export type Responder = (req: RecordedRequest) => { status?: number; body?: unknown } | undefined;

export function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? "" : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

export function mockFetch(responder: Responder) {
  const requests: RecordedRequest[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req: RecordedRequest = {
      url: String(input),
      method: init?.method ?? "GET",
      headers: new Headers(init?.headers),
      body: typeof init?.body === "string" ? init.body : null,
    };
    requests.push(req);
    const answer = responder(req) ?? { status: 404, body: { detail: `no mock for ${req.url}` } };
    return jsonResponse(answer.status ?? 200, answer.body);
  });
  return { fetch: fn as unknown as typeof fetch, requests };
}

export const TRADING_ACTIVE = {
  state: "active",
  halted: false,
  reason: "started",
  source: "cli",
  since: "2024-03-01T12:00:00Z",
};
