"""Inzage (AVG art. 15): everything held on one person, exported for the privacy officer."""
