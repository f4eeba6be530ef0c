// Catches a render error in one page and shows it with a retry, instead of blanking the whole dashboard.
import { Component, type ErrorInfo, type ReactNode } from "react";

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<{ children: ReactNode; resetKey?: string }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidUpdate(prev: { resetKey?: string }) {
    if (prev.resetKey !== this.props.resetKey && this.state.error) this.setState({ error: null });
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error("dashboard page crashed", error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="error-box" role="alert" data-testid="page-error">
        This page failed: {this.state.error.message}
        <button type="button" className="btn btn-small" onClick={() => this.setState({ error: null })}>
          Retry
        </button>
      </div>
    );
  }
}
