"""The process designer's use cases: deploys under four eyes and model tests."""
