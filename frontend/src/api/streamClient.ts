// Reads GET /api/v1/stream with fetch + ReadableStream (bearer header), reconnecting with backoff; dispatches typed events.
import { SseParser } from "./sseParser";
import { decodeStreamEvent, type StreamEvent } from "./streamEvents";

export type StreamStatus = "connecting" | "open" | "reconnecting" | "closed" | "unauthorized";

export interface StreamOptions {
  url?: string;
  token: string;
  onEvent: (event: StreamEvent) => void;
  onStatus?: (status: StreamStatus) => void;
  onUnauthorized?: () => void;
  fetchImpl?: typeof fetch;
  /** Reconnect after this long without any byte (the server pings every 10 s). */
  idleTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface StreamHandle {
  close: () => void;
}

/** Exponential backoff with jitter: min·2^attempt, capped, ±20 %. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function openStream(options: StreamOptions): StreamHandle {
  const url = options.url ?? "/api/v1/stream";
  const doFetch = options.fetchImpl ?? fetch;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const minBackoff = options.minBackoffMs ?? 1_000;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  let closed = false;
  let attempt = 0;
  let retryHint: number | null = null;
  let lastEventId: string | null = null;
  let controller: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let idleTimer: ReturnType<typeof setTimeout> | null = null;

  const setStatus = (status: StreamStatus) => options.onStatus?.(status);

  const armIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => controller?.abort(), idleTimeoutMs);
  };

  async function connectOnce(): Promise<"retry" | "stop"> {
    controller = new AbortController();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${options.token}`,
      Accept: "text/event-stream",
    };
    if (lastEventId) headers["Last-Event-ID"] = lastEventId;
    const parser = new SseParser({
      onMessage: (message) => {
        attempt = 0;
        const event = decodeStreamEvent(message);
        if (event) options.onEvent(event);
      },
      onRetry: (ms) => {
        retryHint = ms;
      },
    });
    try {
      armIdle();
      const response = await doFetch(url, { headers, signal: controller.signal, cache: "no-store" });
      if (response.status === 401) {
        setStatus("unauthorized");
        options.onUnauthorized?.();
        return "stop";
      }
      if (!response.ok || !response.body) return "retry";
      setStatus("open");
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        armIdle();
        parser.push(decoder.decode(value, { stream: true }));
        lastEventId = parser.lastEventId ?? lastEventId;
      }
      return "retry";
    } catch {
      return "retry";
    } finally {
      if (idleTimer) clearTimeout(idleTimer);
      parser.reset();
    }
  }

  async function run(): Promise<void> {
    setStatus("connecting");
    while (!closed) {
      const outcome = await connectOnce();
      if (closed || outcome === "stop") return;
      setStatus("reconnecting");
      const delay = Math.max(retryHint ?? 0, backoffDelay(attempt, minBackoff, maxBackoff));
      attempt += 1;
      await new Promise<void>((resolve) => {
        retryTimer = setTimeout(resolve, delay);
      });
    }
  }

  void run();

  return {
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (idleTimer) clearTimeout(idleTimer);
      controller?.abort();
      setStatus("closed");
    },
  };
}
