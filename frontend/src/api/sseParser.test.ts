// Tests of the SSE parser: chunks split anywhere, multi-line data, comments/pings, ids, CRLF, retry.
import { describe, expect, it } from "vitest";
import { SseParser, type SseMessage } from "./sseParser";

function collect() {
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser({
    onMessage: (m) => messages.push(m),
    onComment: (c) => comments.push(c),
    onRetry: (ms) => retries.push(ms),
  });
  return { parser, messages, comments, retries };
}

const STREAM =
  'event: hello\ndata: {"server_time":"2024-03-01T00:00:00Z"}\n\n' +
  ": ping\n\n" +
  'event: fill\ndata: {"venue":"kalshi",\ndata: "price":"0.45"}\nid: 1-0\n\n';

describe("SseParser", () => {
  it("parses events, multi-line data, ids and ping comments", () => {
    const { parser, messages, comments } = collect();
    parser.push(STREAM);
    expect(messages).toEqual([
      { event: "hello", data: '{"server_time":"2024-03-01T00:00:00Z"}', id: null },
      { event: "fill", data: '{"venue":"kalshi",\n"price":"0.45"}', id: "1-0" },
    ]);
    expect(comments).toEqual(["ping"]);
    expect(parser.lastEventId).toBe("1-0");
  });

  it("gives the same result whatever the chunking (split mid-line, mid-field, byte by byte)", () => {
    const whole = collect();
    whole.parser.push(STREAM);
    for (const size of [1, 2, 3, 7, 13]) {
      const split = collect();
      for (let i = 0; i < STREAM.length; i += size) split.parser.push(STREAM.slice(i, i + size));
      expect(split.messages).toEqual(whole.messages);
      expect(split.comments).toEqual(whole.comments);
    }
  });

  it("keeps an incomplete event until its blank line arrives", () => {
    const { parser, messages } = collect();
    parser.push("event: price\ndata: {\"a\":");
    expect(messages).toHaveLength(0);
    parser.push("1}\n");
    expect(messages).toHaveLength(0);
    parser.push("\n");
    expect(messages).toEqual([{ event: "price", data: '{"a":1}', id: null }]);
  });

  it("accepts CRLF and CR line ends, also when a CRLF is split across chunks", () => {
    const { parser, messages } = collect();
    parser.push("event: a\r");
    parser.push("\ndata: 1\r\n\r");
    parser.push("\nevent: b\rdata: 2\r\r");
    expect(messages).toEqual([
      { event: "a", data: "1", id: null },
      { event: "b", data: "2", id: null },
    ]);
  });

  it("defaults the event name, strips one leading space only, ignores unknown fields, reads retry", () => {
    const { parser, messages, retries } = collect();
    parser.push("data:  two spaces\nfoo: bar\nretry: 2500\nretry: x\n\n");
    expect(messages).toEqual([{ event: "message", data: " two spaces", id: null }]);
    expect(retries).toEqual([2500]);
  });

  it("does not dispatch an event without data, and drops a partial event on reset", () => {
    const { parser, messages } = collect();
    parser.push("event: nothing\n\n");
    parser.push("event: x\ndata: partial\n");
    parser.reset();
    parser.push("data: after\n\n");
    expect(messages).toEqual([{ event: "message", data: "after", id: null }]);
  });
});
