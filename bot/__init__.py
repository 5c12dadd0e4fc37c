"""Akari's Rasa assistant: NLU data, triage, the support directory and custom actions."""
