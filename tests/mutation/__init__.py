"""Mutation testing of homework masters: plausible wrong solutions, each caught by its question."""
