"""The one public page: a provider's workplace offer (Zeeuws-Vlaanderen, seed 000)."""
