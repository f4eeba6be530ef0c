// Keeps the read and control tokens in sessionStorage (entered once per browser session).
const READ_KEY = "arbees.readToken";
const CONTROL_KEY = "arbees.controlToken";

export interface Tokens {
  read: string | null;
  control: string | null;
}

export function loadTokens(storage: Storage = sessionStorage): Tokens {
  return { read: storage.getItem(READ_KEY), control: storage.getItem(CONTROL_KEY) };
}

export function saveTokens(tokens: Tokens, storage: Storage = sessionStorage): void {
  for (const [key, value] of [
    [READ_KEY, tokens.read],
    [CONTROL_KEY, tokens.control],
  ] as const) {
    if (value) storage.setItem(key, value);
    else storage.removeItem(key);
  }
}

export function clearTokens(storage: Storage = sessionStorage): void {
  storage.removeItem(READ_KEY);
  storage.removeItem(CONTROL_KEY);
}
