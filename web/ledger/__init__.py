"""The ledger page for the financiële administratie (issue 3 item 5)."""
