"""Domain services: plain Python over SQLAlchemy sessions. No Reflex or web imports here."""
