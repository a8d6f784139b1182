"""Admin for messages."""
