"""Logs and metrics: what an operator watches; imports nothing of the service."""
