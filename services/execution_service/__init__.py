"""execution_service: places approved intents on the venue (or the paper engine) and records the outcome."""
