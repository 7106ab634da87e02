"""Heard: anonymous, bilingual feedback for police community-engagement events."""
