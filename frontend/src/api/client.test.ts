// Tests of the API client: bearer header, URL building, typed errors with `detail`, 401 handling per scope.
import { describe, expect, it, vi } from "vitest";
import { buildUrl, createApiClient } from "./client";
import { ApiError } from "./errors";
import { TRADING_ACTIVE, mockFetch } from "../test/fetchMock";

describe("buildUrl", () => {
  it("fills path parameters (encoded) and skips empty query values", () => {
    expect(buildUrl("", "/api/v1/games/{game_id}/history", { game_id: "nba/1 2" }, { since: "", max_points: 10, x: undefined })).toBe(
      "/api/v1/games/nba%2F1%202/history?max_points=10",
    );
  });
});

describe("createApiClient", () => {
  it("sends the read token as a bearer header and returns the JSON", async () => {
    const { fetch, requests } = mockFetch(() => ({ body: TRADING_ACTIVE }));
    const client = createApiClient({ fetchImpl: fetch, getToken: (s) => (s === "read" ? "r-token" : "c-token") });
    await expect(client.get("/api/v1/trading-state")).resolves.toEqual(TRADING_ACTIVE);
    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer r-token");
    expect(requests[0]?.url).toBe("/api/v1/trading-state");
  });

  it("uses the control token for /control/* posts, with a JSON body", async () => {
    const { fetch, requests } = mockFetch(() => ({ body: { ...TRADING_ACTIVE, halted: true, state: "halted" } }));
    const client = createApiClient({ fetchImpl: fetch, getToken: (s) => (s === "read" ? "r-token" : "c-token") });
    await client.post("/api/v1/control/halt", { reason: "test" });
    expect(requests[0]?.method).toBe("POST");
    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer c-token");
    expect(JSON.parse(requests[0]?.body ?? "{}")).toEqual({ reason: "test" });
  });

  it("throws an ApiError carrying the server's detail", async () => {
    const { fetch } = mockFetch(() => ({ status: 404, body: { detail: "unknown game 'x'" } }));
    const client = createApiClient({ fetchImpl: fetch, getToken: () => "t" });
    const error = await client.get("/api/v1/games/{game_id}", { path: { game_id: "x" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).detail).toBe("unknown game 'x'");
  });

  it("joins FastAPI validation details into one message", async () => {
    const { fetch } = mockFetch(() => ({
      status: 422,
      body: { detail: [{ loc: ["query", "limit"], msg: "Input should be less than or equal to 1000" }] },
    }));
    const client = createApiClient({ fetchImpl: fetch, getToken: () => "t" });
    await expect(client.get("/api/v1/fills", { query: { limit: 5000 } })).rejects.toMatchObject({
      status: 422,
      detail: "query.limit: Input should be less than or equal to 1000",
    });
  });

  it("calls onUnauthorized with the scope on a 401 (the auth layer logs out) and still throws", async () => {
    const { fetch } = mockFetch(() => ({ status: 401, body: { detail: "invalid token" } }));
    const onUnauthorized = vi.fn();
    const client = createApiClient({ fetchImpl: fetch, getToken: () => "t", onUnauthorized });
    await expect(client.get("/api/v1/risk")).rejects.toMatchObject({ status: 401, detail: "invalid token" });
    expect(onUnauthorized).toHaveBeenCalledWith("read", expect.any(ApiError));
  });

  it("does not call the server without a token", async () => {
    const { fetch } = mockFetch(() => ({ body: {} }));
    const client = createApiClient({ fetchImpl: fetch, getToken: () => null });
    await expect(client.post("/api/v1/control/resume", { reason: "r" })).rejects.toMatchObject({ status: 401 });
    expect(fetch).not.toHaveBeenCalled();
  });
});
