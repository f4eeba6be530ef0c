// The typed error thrown by the API client: HTTP status plus the server's `detail` message.
export class ApiError extends Error {
  readonly status: number;
  readonly detail: string;

  constructor(status: number, detail: string) {
    super(`${status}: ${detail}`);
    this.name = "ApiError";
    this.status = status;
    this.detail = detail;
  }
}

type ValidationItem = { loc?: unknown[]; msg?: string };

/** Turns a FastAPI `detail` (a string, or a list of validation errors) into one readable message. */
export function detailText(body: unknown, fallback: string): string {
  if (body === null || typeof body !== "object" || !("detail" in body)) return fallback;
  const detail = (body as { detail: unknown }).detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((item: ValidationItem) => {
        const where = Array.isArray(item.loc) ? item.loc.join(".") : "";
        return where ? `${where}: ${item.msg ?? "invalid"}` : (item.msg ?? "invalid");
      })
      .join("; ");
  }
  return fallback;
}
