"""Upward: a Slack bot that runs reverse-mentoring programmes."""
