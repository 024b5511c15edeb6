"""Thin Reflex states: authenticate, authorise, call a service, shape what the page shows."""
