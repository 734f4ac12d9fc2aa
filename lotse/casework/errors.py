"""The error casework raises for input a navigator must correct (nothing is stored)."""

from __future__ import annotations

from lotse.errors import BadInputError


class CaseworkInputError(BadInputError):
    """One or more fields are invalid; ``details`` lists each problem, already translated."""
