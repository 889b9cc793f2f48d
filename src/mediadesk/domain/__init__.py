"""Plain value types and enums shared by every layer (no I/O, no Qt, no SQL)."""
