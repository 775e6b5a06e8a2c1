"""Data-quality checks both warehouse domains share: declared checks and the runner.

A domain lists its checks in its own package (`otelbi.aw.quality_checks`); `checks` holds
the declarative pieces and `runner` runs a list of them and reports for a job execution.
"""
