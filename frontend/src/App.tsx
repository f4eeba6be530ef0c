// Root component: providers, the login gate and the routes of the dashboard.
import { BrowserRouter, Navigate, Route, Routes } from "react-router-dom";
import { AuthProvider, useAuth } from "./auth/AuthContext";
import { StreamProvider } from "./stream/StreamContext";
import { ToastProvider } from "./components/Toasts";
import { FillToaster } from "./components/FillToaster";
import { Layout } from "./components/Layout";
import { LoginPage } from "./pages/LoginPage";
import { OverviewPage } from "./pages/OverviewPage";
import { GamesPage } from "./pages/GamesPage";
import { GamePage } from "./pages/GamePage";
import { TradesPage } from "./pages/TradesPage";
import { PositionsPage } from "./pages/PositionsPage";
import { MatchesPage } from "./pages/MatchesPage";

function Gate() {
  const { loggedIn } = useAuth();
  if (!loggedIn) return <LoginPage />;
  return (
    <StreamProvider>
      <FillToaster />
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<OverviewPage />} />
          <Route path="games" element={<GamesPage />} />
          <Route path="games/:gameId" element={<GamePage />} />
          <Route path="trades" element={<TradesPage />} />
          <Route path="positions" element={<PositionsPage />} />
          <Route path="matches" element={<MatchesPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </StreamProvider>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <ToastProvider>
          <Gate />
        </ToastProvider>
      </AuthProvider>
    </BrowserRouter>
  );
}
