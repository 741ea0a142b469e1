"""Management reports for the teamleider: the quarterly report, downloads and publications."""
