// Announces every new fill from the stream with a toast, on whatever page is open.
import { useStreamEvents } from "../stream/StreamContext";
import { formatPrice, formatQuantity } from "../format/format";
import { shortId } from "./Status";
import { useToast } from "./Toasts";

export function FillToaster() {
  const push = useToast();
  useStreamEvents(["fill"], (event) => {
    const f = event.data;
    push(
      `Fill ${f.side.toUpperCase()} ${formatQuantity(f.quantity)} @ ${formatPrice(f.price)} · ${f.venue} ${shortId(f.market_id)}/${shortId(f.outcome_id)}`,
      "good",
    );
  });
  return null;
}
