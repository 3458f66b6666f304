"""Serendip's novel-interest LLM component (see docs/models.md)."""
