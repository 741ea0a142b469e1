"""The `trede` command line. Each module in this package contributes one command."""
