"""Scheduled jobs: definitions, the claim that makes each tick run once, runs, scheduling.

Domain jobs live with their domain (`otelbi.aw.jobs`, `otelbi.wwi.jobs`); this package is the
machinery every service shares.
"""
