// Shared small pieces: loading/error boxes, a status badge, signed money, and a "load more" button.
import type { ReactNode } from "react";
import { formatMoney, formatSignedMoney, signClass } from "../format/format";

export function Loading({ what = "Loading" }: { what?: string }) {
  return <div className="muted loading">{what}…</div>;
}

export function ErrorBox({ error, onRetry }: { error: string; onRetry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      {error}
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Badge({ tone, children, testId }: { tone: string; children: ReactNode; testId?: string }) {
  return (
    <span className={`badge badge-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

export function Money({ value, signed = false }: { value: string | null | undefined; signed?: boolean }) {
  if (!signed) return <span className="num">{formatMoney(value)}</span>;
  return <span className={`num ${signClass(value)}`}>{formatSignedMoney(value)}</span>;
}

export function LoadMore({ nextOffset, loading, onClick }: { nextOffset: number | null; loading: boolean; onClick: () => void }) {
  if (nextOffset === null) return null;
  return (
    <div className="load-more">
      <button type="button" className="btn" onClick={onClick} disabled={loading} data-testid="load-more">
        {loading ? "Loading…" : "Load more"}
      </button>
    </div>
  );
}

/** A venue instrument "market / outcome", long ids shortened (full id in the tooltip). */
export function Instrument({ market, outcome }: { market: string; outcome: string }) {
  return (
    <span className="mono" title={`${market} / ${outcome}`}>
      {shortId(market)} / {shortId(outcome)}
    </span>
  );
}

export function shortId(id: string, max = 24): string {
  return id.length <= max ? id : `${id.slice(0, 10)}…${id.slice(-8)}`;
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="muted empty">{children}</div>;
}
