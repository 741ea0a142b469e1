"""Beheer screen: users, roles, teams and settings of the beheerder's own gemeente."""
