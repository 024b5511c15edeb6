"""Indicator catalogue data: one immutable v<N>.json per version (English), its translations
v<N>.<locale>.json (sr-Cyrl is generated from sr-Latn, never a file), plus locations.json.

Loaded and checked by app/services/catalogue.py. Never edit a released version file: add a new one.
"""
