"""A vault's identity towards other vaults: its keys, its contact card, sealing to a card.

- :mod:`lotse.cards.keys`: the vault's Ed25519 signing key and X25519 encryption key,
  kept in the ``secret`` table;
- :mod:`lotse.cards.card`: the contact card (``lotse.card/1``): who holds the vault, its
  public keys and a fingerprint to compare by phone, self-signed;
- :mod:`lotse.cards.sealed`: :func:`~lotse.cards.sealed.seal` a payload to a card and
  :func:`~lotse.cards.sealed.open_sealed` what was sealed to this vault
  (``lotse.sealed/1``), used by encrypted statistics packages and by handovers;
- :mod:`lotse.cards.address_book`: the cards this vault received.

Qt-free; below the statistics and records, above the vault's database.
"""
