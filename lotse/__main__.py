"""Allows ``python -m lotse`` (used by the frozen app and by tests)."""

from lotse.entry import main

raise SystemExit(main())
