// Tests of the stream reader: bearer header, typed events from chunked bodies, reconnect with Last-Event-ID, 401 stop.
import { afterEach, describe, expect, it, vi } from "vitest";
import { backoffDelay, openStream, type StreamStatus } from "./streamClient";
import type { StreamEvent } from "./streamEvents";

function bodyOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

afterEach(() => vi.useRealTimers());

describe("openStream", () => {
  it("dispatches typed events, reconnects after the body ends and resumes from the last id", async () => {
    const calls: Headers[] = [];
    const events: StreamEvent[] = [];
    const statuses: StreamStatus[] = [];
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      calls.push(new Headers(init?.headers));
      if (calls.length === 1) {
        return new Response(
          bodyOf([
            'event: hello\ndata: {"server_time":"2024-03-01T00:00:00Z"}\n\n: pi',
            'ng\n\nevent: fill\ndata: {"venue":"kalshi","price":"0.45"}\nid: 7-0\n\nevent: unknown\ndata: {}\n\n',
          ]),
          { status: 200 },
        );
      }
      return new Promise<Response>(() => undefined); // second connection stays open
    });
    const handle = openStream({
      token: "tok",
      fetchImpl: fetchImpl as unknown as typeof fetch,
      onEvent: (e) => events.push(e),
      onStatus: (s) => statuses.push(s),
      minBackoffMs: 1,
      maxBackoffMs: 2,
    });
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    handle.close();
    expect(calls[0]?.get("Authorization")).toBe("Bearer tok");
    expect(calls[1]?.get("Last-Event-ID")).toBe("7-0");
    expect(events.map((e) => e.type)).toEqual(["hello", "fill"]);
    expect(events[1]).toMatchObject({ type: "fill", id: "7-0", data: { venue: "kalshi", price: "0.45" } });
    expect(statuses).toEqual(["connecting", "open", "reconnecting", "closed"]);
  });

  it("stops and reports when the server refuses the token", async () => {
    const onUnauthorized = vi.fn();
    const statuses: StreamStatus[] = [];
    const fetchImpl = vi.fn(async () => new Response('{"detail":"invalid token"}', { status: 401 }));
    openStream({
      token: "bad",
      fetchImpl: fetchImpl as unknown as typeof fetch,
      onEvent: () => undefined,
      onStatus: (s) => statuses.push(s),
      onUnauthorized,
      minBackoffMs: 1,
    });
    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(statuses).toEqual(["connecting", "unauthorized"]);
  });
});

describe("backoffDelay", () => {
  it("grows exponentially and is capped", () => {
    const mid = () => 0.5;
    expect(backoffDelay(0, 1000, 30000, mid)).toBe(1000);
    expect(backoffDelay(3, 1000, 30000, mid)).toBe(8000);
    expect(backoffDelay(10, 1000, 30000, mid)).toBe(30000);
    expect(backoffDelay(0, 1000, 30000, () => 0)).toBe(800);
  });
});
