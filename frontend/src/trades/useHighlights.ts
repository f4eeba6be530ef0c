// Remembers which rows arrived live (by key) so tables can highlight them for a while.
import { useCallback, useEffect, useRef, useState } from "react";

export function useHighlights(durationMs = 10_000): { isNew: (key: string) => boolean; mark: (key: string) => void } {
  const [keys, setKeys] = useState<ReadonlySet<string>>(new Set());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  useEffect(() => {
    const all = timers.current;
    return () => all.forEach((t) => clearTimeout(t));
  }, []);

  const mark = useCallback(
    (key: string) => {
      setKeys((prev) => new Set(prev).add(key));
      const old = timers.current.get(key);
      if (old) clearTimeout(old);
      timers.current.set(
        key,
        setTimeout(() => {
          timers.current.delete(key);
          setKeys((prev) => {
            const next = new Set(prev);
            next.delete(key);
            return next;
          });
        }, durationMs),
      );
    },
    [durationMs],
  );

  const isNew = useCallback((key: string) => keys.has(key), [keys]);
  return { isNew, mark };
}
