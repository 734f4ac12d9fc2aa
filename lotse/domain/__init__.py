"""Lotse's domain: every field of a record and its rule, defined once (Qt-free, storage-free).

- :mod:`lotse.domain.fields`: the limits (dates, minutes, head counts …) and :class:`Field`,
  the definition one attribute carries: kind, German label, records key, rule.
- :mod:`lotse.domain.entities`: the record types (family, contact, referral, reminder,
  group offer and session) as dataclasses whose attributes carry their :class:`Field`.
- :mod:`lotse.domain.mapping`: the one mapper between a form's input, a database row and
  a records-file record.

The records reader and writer, the form checks and the window's widgets take their rules
from here; nothing here imports the database or Qt.
"""
