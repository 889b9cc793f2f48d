"""MediaDesk: offline-first desktop application for French social mediators."""

__version__ = "0.1.0"
