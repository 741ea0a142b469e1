"""What is stored and how: the engine's tables and schema migrations, the write path of a step,
workflow state as JSON, and encryption of protected fields with their keys."""
