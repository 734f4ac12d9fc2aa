"""Case work services the window uses: families, follow-ups, search, reminders (Qt-free)."""
