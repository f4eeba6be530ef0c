"""The dashboard's live stream: bus messages turned into SSE events."""
