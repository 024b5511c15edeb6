"""The default retention schedule (schedule.json), read by app/services/retention_schedule.py."""
