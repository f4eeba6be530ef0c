// Tests of the halt/resume confirmation: a reason is required; the right endpoint is called with the control token.
import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { AuthProvider } from "../auth/AuthContext";
import { TradingPanel } from "./TradingPanel";
import { TRADING_ACTIVE, mockFetch } from "../test/fetchMock";
import type { TradingState } from "../api/types";

const HALTED: TradingState = { state: "halted", halted: true, reason: "manual", source: "dashboard", since: "2024-03-01T12:05:00Z" };

function setup(state: TradingState, tokens: { read: string; control?: string }) {
  sessionStorage.setItem("arbees.readToken", tokens.read);
  if (tokens.control) sessionStorage.setItem("arbees.controlToken", tokens.control);
  const mock = mockFetch((req) => {
    if (req.url === "/api/v1/control/halt") return { body: HALTED };
    if (req.url === "/api/v1/control/resume") return { body: TRADING_ACTIVE };
    return undefined;
  });
  const onChange = vi.fn();
  render(
    <AuthProvider fetchImpl={mock.fetch}>
      <TradingPanel state={state} onChange={onChange} />
    </AuthProvider>,
  );
  return { ...mock, onChange };
}

describe("TradingPanel", () => {
  it("shows the state badge", () => {
    setup(TRADING_ACTIVE, { read: "r", control: "c" });
    expect(screen.getByTestId("trading-state-badge").textContent).toBe("ACTIVE");
  });

  it("halts only after a reason is entered, with the control token on POST /control/halt", async () => {
    const { requests, onChange } = setup(TRADING_ACTIVE, { read: "r", control: "c" });
    await userEvent.click(screen.getByTestId("halt-button"));
    const confirm = screen.getByTestId("confirm-button") as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await userEvent.type(screen.getByTestId("confirm-reason-input"), "   ");
    expect(confirm.disabled).toBe(true);
    await userEvent.click(confirm);
    expect(requests).toHaveLength(0);

    await userEvent.type(screen.getByTestId("confirm-reason-input"), "odd prices");
    expect(confirm.disabled).toBe(false);
    await userEvent.click(confirm);
    await waitFor(() => expect(onChange).toHaveBeenCalledWith(HALTED));
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe("/api/v1/control/halt");
    expect(requests[0]?.method).toBe("POST");
    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer c");
    expect(JSON.parse(requests[0]?.body ?? "{}")).toEqual({ reason: "odd prices" });
    expect(screen.queryByTestId("confirm-dialog")).toBeNull();
  });

  it("resumes through POST /control/resume", async () => {
    const { requests, onChange } = setup(HALTED, { read: "r", control: "c" });
    expect(screen.getByTestId("trading-state-badge").textContent).toBe("HALTED");
    await userEvent.click(screen.getByTestId("resume-button"));
    await userEvent.type(screen.getByTestId("confirm-reason-input"), "all clear");
    await userEvent.click(screen.getByTestId("confirm-button"));
    await waitFor(() => expect(onChange).toHaveBeenCalledWith(TRADING_ACTIVE));
    expect(requests[0]?.url).toBe("/api/v1/control/resume");
  });

  it("asks for the control token when none was entered, then uses it", async () => {
    const { requests } = setup(TRADING_ACTIVE, { read: "r" });
    expect(screen.getByTestId("halt-button").textContent).toContain("needs control token");
    await userEvent.click(screen.getByTestId("halt-button"));
    await userEvent.type(screen.getByTestId("confirm-reason-input"), "stop");
    expect((screen.getByTestId("confirm-button") as HTMLButtonElement).disabled).toBe(true);
    await userEvent.type(screen.getByTestId("confirm-control-token-input"), "late-ctl");
    await userEvent.click(screen.getByTestId("confirm-button"));
    await waitFor(() => expect(requests).toHaveLength(1));
    expect(requests[0]?.headers.get("Authorization")).toBe("Bearer late-ctl");
    expect(sessionStorage.getItem("arbees.controlToken")).toBe("late-ctl");
  });

  it("shows the refusal when the control token is wrong, without logging out", async () => {
    sessionStorage.setItem("arbees.readToken", "r");
    sessionStorage.setItem("arbees.controlToken", "wrong");
    const { fetch } = mockFetch(() => ({ status: 401, body: { detail: "invalid control token" } }));
    render(
      <AuthProvider fetchImpl={fetch}>
        <TradingPanel state={TRADING_ACTIVE} onChange={() => undefined} />
      </AuthProvider>,
    );
    await userEvent.click(screen.getByTestId("halt-button"));
    await userEvent.type(screen.getByTestId("confirm-reason-input"), "stop");
    await userEvent.click(screen.getByTestId("confirm-button"));
    await waitFor(() => expect(screen.getByTestId("confirm-error").textContent).toContain("invalid control token"));
    expect(sessionStorage.getItem("arbees.readToken")).toBe("r");
    expect(sessionStorage.getItem("arbees.controlToken")).toBeNull();
  });
});
