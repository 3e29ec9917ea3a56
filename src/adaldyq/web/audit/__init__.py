"""Read models against the ledger: `adaldyq ledger audit-views` and the alarm oversight roles see."""
