"""Helpers and factories the tests share; never imported from a test module."""
