// React hook for a paginated list route (Page[T]): first page on filter change, "load more" via next_offset, live upserts.
import { useCallback, useEffect, useRef, useState } from "react";
import { errorMessage } from "./useApi";

export interface PageResult<T> {
  items: T[];
  next_offset?: number | null;
}

export interface PagedState<T> {
  items: T[];
  nextOffset: number | null;
  loading: boolean;
  error: string | null;
  loadMore: () => void;
  reload: () => void;
  /** Puts a live item first, or replaces the item with the same key in place. */
  upsert: (item: T, keyOf: (item: T) => string) => void;
  remove: (key: string, keyOf: (item: T) => string) => void;
  /** Rewrites every item (from the latest state, so updates in one batch do not overwrite each other). */
  mapItems: (fn: (item: T) => T) => void;
}

export function usePaged<T>(
  load: (offset: number, signal: AbortSignal) => Promise<PageResult<T>>,
  key: string,
): PagedState<T> {
  const [items, setItems] = useState<T[]>([]);
  const [nextOffset, setNextOffset] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const controllerRef = useRef<AbortController | null>(null);

  const fetchPage = useCallback((offset: number, append: boolean) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    setLoading(true);
    loadRef
      .current(offset, controller.signal)
      .then((page) => {
        if (controller.signal.aborted) return;
        setItems((prev) => (append ? [...prev, ...page.items] : page.items));
        setNextOffset(page.next_offset ?? null);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setError(errorMessage(err));
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
  }, []);

  useEffect(() => {
    fetchPage(0, false);
    return () => controllerRef.current?.abort();
  }, [key, tick, fetchPage]);

  const loadMore = useCallback(() => {
    if (nextOffset !== null) fetchPage(nextOffset, true);
  }, [nextOffset, fetchPage]);

  const reload = useCallback(() => setTick((t) => t + 1), []);

  const upsert = useCallback((item: T, keyOf: (item: T) => string) => {
    const k = keyOf(item);
    setItems((prev) => {
      const index = prev.findIndex((p) => keyOf(p) === k);
      if (index === -1) return [item, ...prev];
      const next = prev.slice();
      next[index] = item;
      return next;
    });
  }, []);

  const remove = useCallback((k: string, keyOf: (item: T) => string) => {
    setItems((prev) => prev.filter((p) => keyOf(p) !== k));
  }, []);

  const mapItems = useCallback((fn: (item: T) => T) => setItems((prev) => prev.map(fn)), []);

  return { items, nextOffset, loading, error, loadMore, reload, upsert, remove, mapItems };
}
