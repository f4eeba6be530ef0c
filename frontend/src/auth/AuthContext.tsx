// Session auth state: tokens, the API client bound to them, login (verified against /trading-state) and logout.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { createApiClient, type ApiClient } from "../api/client";
import { clearTokens, loadTokens, saveTokens, type Tokens } from "./tokens";

export interface AuthValue {
  tokens: Tokens;
  loggedIn: boolean;
  hasControl: boolean;
  client: ApiClient;
  /** Verifies the read token with GET /trading-state, then stores both tokens for the session. */
  login: (read: string, control?: string) => Promise<void>;
  setControlToken: (control: string | null) => void;
  logout: (reason?: string) => void;
  /** Why the session ended (e.g. the server answered 401), shown on the login screen. */
  logoutReason: string | null;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children, fetchImpl }: { children: ReactNode; fetchImpl?: typeof fetch }) {
  const [tokens, setTokens] = useState<Tokens>(() => loadTokens());
  const [logoutReason, setLogoutReason] = useState<string | null>(null);
  const tokensRef = useRef(tokens);
  tokensRef.current = tokens;

  const update = useCallback((next: Tokens) => {
    tokensRef.current = next;
    saveTokens(next);
    setTokens(next);
  }, []);

  const logout = useCallback((reason?: string) => {
    clearTokens();
    tokensRef.current = { read: null, control: null };
    setTokens({ read: null, control: null });
    setLogoutReason(reason ?? null);
  }, []);

  const client = useMemo(
    () =>
      createApiClient({
        fetchImpl,
        getToken: (scope) => (scope === "control" ? tokensRef.current.control : tokensRef.current.read),
        onUnauthorized: (scope, error) => {
          if (scope === "read") logout(`Session ended: ${error.detail}`);
          else update({ ...tokensRef.current, control: null });
        },
      }),
    [fetchImpl, logout, update],
  );

  const login = useCallback(
    async (read: string, control?: string) => {
      const candidate = createApiClient({ fetchImpl, getToken: (scope) => (scope === "read" ? read : null) });
      await candidate.get("/api/v1/trading-state");
      setLogoutReason(null);
      update({ read, control: control ? control : null });
    },
    [fetchImpl, update],
  );

  const setControlToken = useCallback(
    (control: string | null) => update({ ...tokensRef.current, control: control || null }),
    [update],
  );

  const value = useMemo<AuthValue>(
    () => ({
      tokens,
      loggedIn: Boolean(tokens.read),
      hasControl: Boolean(tokens.control),
      client,
      login,
      setControlToken,
      logout,
      logoutReason,
    }),
    [tokens, client, login, setControlToken, logout, logoutReason],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth outside AuthProvider");
  return value;
}
