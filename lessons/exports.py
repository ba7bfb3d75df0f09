"""Quiz exports for learning management systems (being written)."""
