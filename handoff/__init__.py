"""Akari's handoff service: channels, routing between the bot and counselors, the queue.

The only part facing the internet. It talks to Rasa over HTTP and never
imports rasa; it may use the project's pure modules (``bot.triage``,
``bot.support``) for the safety fallback when Rasa does not answer.
"""
