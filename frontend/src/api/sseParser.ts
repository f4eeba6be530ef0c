// Incremental parser of the text/event-stream format: feeds on arbitrary chunks, emits events, comments and retry hints.
export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

export interface SseHandlers {
  onMessage: (message: SseMessage) => void;
  onComment?: (text: string) => void;
  onRetry?: (ms: number) => void;
}

export class SseParser {
  private buffer = "";
  private pendingCR = false;
  private dataLines: string[] = [];
  private eventType = "";
  private sawData = false;
  /** The last `id:` seen (persists across events, as the spec says). */
  lastEventId: string | null = null;

  constructor(private readonly handlers: SseHandlers) {}

  /** Feeds a decoded chunk; complete lines are processed, a partial last line is kept for the next chunk. */
  push(chunk: string): void {
    let text = chunk;
    if (this.pendingCR) {
      // A "\r" ended the previous chunk: it was a line end; skip the "\n" of a split "\r\n".
      if (text.startsWith("\n")) text = text.slice(1);
      this.pendingCR = false;
    }
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const ch = this.buffer[i];
      if (ch !== "\n" && ch !== "\r") continue;
      this.line(this.buffer.slice(start, i));
      if (ch === "\r") {
        if (i + 1 === this.buffer.length) this.pendingCR = true;
        else if (this.buffer[i + 1] === "\n") i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** Drops a partial event at the end of a stream (the spec discards it). */
  reset(): void {
    this.buffer = "";
    this.pendingCR = false;
    this.dataLines = [];
    this.eventType = "";
    this.sawData = false;
  }

  private line(line: string): void {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.startsWith(":")) {
      this.handlers.onComment?.(line.slice(1).replace(/^ /, ""));
      return;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "data":
        this.dataLines.push(value);
        this.sawData = true;
        break;
      case "event":
        this.eventType = value;
        break;
      case "id":
        if (!value.includes("\0")) this.lastEventId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  private dispatch(): void {
    if (this.sawData) {
      this.handlers.onMessage({
        event: this.eventType || "message",
        data: this.dataLines.join("\n"),
        id: this.lastEventId,
      });
    }
    this.dataLines = [];
    this.eventType = "";
    this.sawData = false;
  }
}
