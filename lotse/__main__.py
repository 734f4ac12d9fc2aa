"""Allows ``python -m lotse`` (used by the frozen app and by tests)."""

from lotse.cli.main import main

raise SystemExit(main())
