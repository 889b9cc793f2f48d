"""The six-step interview as pure Python (no Qt, no SQL). Filled by the interview issue."""
