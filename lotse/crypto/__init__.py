"""Key derivation and key wrapping. The only place Lotse turns a passphrase into a key."""
