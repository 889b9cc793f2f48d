"""reportlab documents built from plain report data (no Qt, no SQL). Filled by the printed
documents issue."""
