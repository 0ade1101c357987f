"""Outbound delivery: the Notifier that stores keyed messages, and the loop that sends them."""
