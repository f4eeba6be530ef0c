// App shell: header with brand, nav (collapsing to a menu on phones), stream indicator and logout; page outlet below.
import { useState } from "react";
import { NavLink, Outlet, useLocation } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { StreamIndicator } from "./StreamIndicator";
import { ErrorBoundary } from "./ErrorBoundary";

const LINKS = [
  { to: "/", label: "Overview", id: "nav-overview", end: true },
  { to: "/games", label: "Live games", id: "nav-games", end: false },
  { to: "/trades", label: "Trades", id: "nav-trades", end: false },
  { to: "/positions", label: "Positions", id: "nav-positions", end: false },
  { to: "/matches", label: "Matches", id: "nav-matches", end: false },
] as const;

export function Layout() {
  const { logout } = useAuth();
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const [lastPath, setLastPath] = useState(location.pathname);
  if (lastPath !== location.pathname) {
    setLastPath(location.pathname);
    setOpen(false);
  }

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Arbees</span>
        <button
          type="button"
          className="nav-toggle"
          aria-expanded={open}
          aria-controls="main-nav"
          onClick={() => setOpen((o) => !o)}
          data-testid="nav-toggle"
        >
          ☰ <span className="sr-only">Menu</span>
        </button>
        <nav id="main-nav" className={`nav ${open ? "nav-open" : ""}`} aria-label="Main">
          {LINKS.map((link) => (
            <NavLink key={link.to} to={link.to} end={link.end} data-testid={link.id} className="nav-link">
              {link.label}
            </NavLink>
          ))}
        </nav>
        <div className="topbar-right">
          <StreamIndicator />
          <button type="button" className="btn btn-small" onClick={() => logout()} data-testid="logout-button">
            Log out
          </button>
        </div>
      </header>
      <main className="content">
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </main>
    </div>
  );
}
