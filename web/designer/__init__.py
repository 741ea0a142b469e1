"""The process designer (issue 7): versions, diffs, the modeler, four-eyes deploys, migration, model tests."""
