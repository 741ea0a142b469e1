"""Process models: safe parsing, validation and deployed versions of .bpmn/.dmn bundles, and
moving running cases onto another version."""
