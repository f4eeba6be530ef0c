// One shared /api/v1/stream connection per session: its status and a subscription to typed events for every page.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { openStream, type StreamStatus } from "../api/streamClient";
import type { StreamEvent, StreamTopic } from "../api/streamEvents";
import { useAuth } from "../auth/AuthContext";

type Listener = (event: StreamEvent) => void;

interface StreamValue {
  status: StreamStatus;
  subscribe: (listener: Listener) => () => void;
}

const StreamContext = createContext<StreamValue | null>(null);

export function StreamProvider({ children, fetchImpl }: { children: ReactNode; fetchImpl?: typeof fetch }) {
  const { tokens, logout } = useAuth();
  const [status, setStatus] = useState<StreamStatus>("closed");
  const listeners = useRef(new Set<Listener>());
  const token = tokens.read;

  useEffect(() => {
    if (!token) return undefined;
    const handle = openStream({
      token,
      fetchImpl,
      onStatus: setStatus,
      onUnauthorized: () => logout("Session ended: the stream refused the token"),
      onEvent: (event) => {
        for (const listener of listeners.current) listener(event);
      },
    });
    return () => handle.close();
  }, [token, fetchImpl, logout]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  const value = useMemo<StreamValue>(() => ({ status, subscribe }), [status, subscribe]);
  return <StreamContext.Provider value={value}>{children}</StreamContext.Provider>;
}

export function useStreamStatus(): StreamStatus {
  return useContext(StreamContext)?.status ?? "closed";
}

/** Calls `handler` for each stream event of the given topics (the latest handler; no resubscription per render). */
export function useStreamEvents<T extends StreamTopic>(
  topics: readonly T[],
  handler: (event: Extract<StreamEvent, { type: T }>) => void,
): void {
  const subscribe = useContext(StreamContext)?.subscribe;
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  const key = topics.join(",");
  useEffect(() => {
    if (!subscribe) return undefined;
    const wanted = new Set<string>(key.split(","));
    return subscribe((event) => {
      if (wanted.has(event.type)) handlerRef.current(event as Extract<StreamEvent, { type: T }>);
    });
  }, [subscribe, key]);
}
