"""Wingwatch: the Reflex app module, REST API, domain services and models."""
