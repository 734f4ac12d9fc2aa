"""The visible notice of a bad machine policy: which lines are wrong, and what applies.

A bad policy file must never be silently ignored (issue 5): the unlock window and the
first-start wizard show each problem of :attr:`lotse.policy.Policy.problems` (already
translated, ``FILE:LINE: message``) and say that the safe built-in values apply instead.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from lotse.i18n import _
from lotse.policy import current_policy

NOTICE_STYLE = (
    "background: #fff4e5; color: #5f370e; border: 1px solid #f0b45b; border-radius: 3px;"
    "padding: 6px 8px;"
)


def policy_problem_text(problems: list[str]) -> str:
    """The notice as plain text (for tests and screen readers); empty if all is well."""
    if not problems:
        return ""
    return "\n".join(
        [
            _("Die Richtlinie des Administrators enthält Fehler:"),
            *(f"• {problem}" for problem in problems),
            _("Lotse verwendet für diese Einträge die sicheren Standardwerte."),
        ]
    )


class PolicyNotice(QLabel):
    """A banner listing the problems of the policy in force; hidden when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policy_notice")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStyleSheet(NOTICE_STYLE)
        self.retranslate()

    def retranslate(self) -> None:
        problems = current_policy().problems
        self.plain_text = policy_problem_text(problems)
        self.setAccessibleName(self.plain_text)
        self.setVisible(bool(problems))
        if not problems:
            self.clear()
            return
        items = "".join(f"<li>{escape(problem)}</li>" for problem in problems)
        self.setText(
            f"<b>{escape(_('Die Richtlinie des Administrators enthält Fehler:'))}</b>"
            f"<ul style='margin: 2px 0 2px -20px;'>{items}</ul>"
            f"{escape(_('Lotse verwendet für diese Einträge die sicheren Standardwerte.'))}"
        )
