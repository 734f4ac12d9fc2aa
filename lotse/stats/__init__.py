"""Anonymous statistics over the vault's records (statistics.md), computed once, in SQL.

:mod:`lotse.stats.period` parses periods, :mod:`lotse.stats.figures` computes every total
and breakdown, :mod:`lotse.stats.suppression` makes them fit for publication, and
:mod:`lotse.stats.periods_closed` freezes the figures of reported periods. Every report
format, the CLI and the GUI take their numbers from here and never count again.
"""
