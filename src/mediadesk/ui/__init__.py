"""The PySide6 desktop shell of MediaDesk.

Widgets lay out, bind fields and forward intent to `mediadesk.services` through the task runner
(`mediadesk.ui.tasks`). This package is the only one (with `mediadesk.app`) that imports PySide6;
it never imports `mediadesk.store` nor SQLAlchemy.
"""
