// Tests of the login flow: token verified with /trading-state, kept in sessionStorage, refused tokens stay out.
import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { AuthProvider, useAuth } from "../auth/AuthContext";
import { LoginPage } from "./LoginPage";
import { TRADING_ACTIVE, mockFetch } from "../test/fetchMock";

function Gate() {
  const { loggedIn, logout } = useAuth();
  return loggedIn ? (
    <button type="button" onClick={() => logout()}>
      inside
    </button>
  ) : (
    <LoginPage />
  );
}

describe("login", () => {
  it("verifies the read token, then stores both tokens in sessionStorage", async () => {
    const { fetch, requests } = mockFetch((req) =>
      req.url === "/api/v1/trading-state" && req.headers.get("Authorization") === "Bearer good" ? { body: TRADING_ACTIVE } : undefined,
    );
    render(
      <AuthProvider fetchImpl={fetch}>
        <Gate />
      </AuthProvider>,
    );
    await userEvent.type(screen.getByTestId("login-token-input"), "good");
    await userEvent.type(screen.getByTestId("login-control-token-input"), "ctl");
    await userEvent.click(screen.getByTestId("login-submit"));
    await screen.findByText("inside");
    expect(requests[0]?.url).toBe("/api/v1/trading-state");
    expect(sessionStorage.getItem("arbees.readToken")).toBe("good");
    expect(sessionStorage.getItem("arbees.controlToken")).toBe("ctl");

    await userEvent.click(screen.getByText("inside"));
    expect(screen.getByTestId("login-form")).toBeTruthy();
    expect(sessionStorage.getItem("arbees.readToken")).toBeNull();
    expect(sessionStorage.getItem("arbees.controlToken")).toBeNull();
  });

  it("shows the server's reason and stores nothing when the token is refused", async () => {
    const { fetch } = mockFetch(() => ({ status: 401, body: { detail: "invalid token" } }));
    render(
      <AuthProvider fetchImpl={fetch}>
        <Gate />
      </AuthProvider>,
    );
    await userEvent.type(screen.getByTestId("login-token-input"), "bad");
    await userEvent.click(screen.getByTestId("login-submit"));
    await waitFor(() => expect(screen.getByTestId("login-error").textContent).toContain("invalid token"));
    expect(sessionStorage.getItem("arbees.readToken")).toBeNull();
  });

  it("starts logged in from sessionStorage, and a 401 on a later call logs out", async () => {
    sessionStorage.setItem("arbees.readToken", "expired");
    const { fetch } = mockFetch(() => ({ status: 401, body: { detail: "invalid token" } }));
    function Caller() {
      const { loggedIn, client } = useAuth();
      if (!loggedIn) return <LoginPage />;
      return (
        <button type="button" onClick={() => void client.get("/api/v1/risk").catch(() => undefined)}>
          call
        </button>
      );
    }
    render(
      <AuthProvider fetchImpl={fetch}>
        <Caller />
      </AuthProvider>,
    );
    await userEvent.click(screen.getByText("call"));
    await screen.findByTestId("login-form");
    expect(screen.getByText(/Session ended: invalid token/)).toBeTruthy();
    expect(sessionStorage.getItem("arbees.readToken")).toBeNull();
  });
});
