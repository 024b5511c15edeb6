"""Indicator catalogue data: one immutable v<N>.json per version, plus locations.json.

Loaded and checked by app/services/catalogue.py. Never edit a released version file: add a new one.
"""
