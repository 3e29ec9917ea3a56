"""One-use keys on every form that writes, so that a form sent twice writes once (ADR 0014).

`keys` is the app's surface: the `idempotent` view decorator, the hidden field's token and the claim
that `records.ledger_port` makes in the transaction of each write.
"""
