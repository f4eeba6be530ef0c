// Small dot + label showing whether the live stream is connected, reconnecting or off.
import { useStreamStatus } from "../stream/StreamContext";

const LABELS = {
  connecting: "Connecting",
  open: "Live",
  reconnecting: "Reconnecting",
  closed: "Offline",
  unauthorized: "Refused",
} as const;

export function StreamIndicator() {
  const status = useStreamStatus();
  return (
    <span className={`stream-indicator stream-${status}`} data-testid="stream-indicator" data-status={status}>
      <span className="dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
