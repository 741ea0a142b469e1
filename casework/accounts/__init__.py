"""Accounts, roles and teams of a gemeente: created and changed by its beheerder."""
