"""The end of a case: closing it with its result, and four-eyes destruction after its archive date."""
