"""The team lead's side of the statistics: received packages, their store, delivery.

- :mod:`lotse.team.store`: receiving, replacing, listing, removing and merging packages,
  with the rules both stores share;
- :mod:`lotse.team.pg_store`: the same store in a shared PostgreSQL database;
- :mod:`lotse.team.delivery`: who delivered for a period, who is missing, who conflicts.

Qt-free; the use cases (:mod:`lotse.usecases.team`) call it.
"""
