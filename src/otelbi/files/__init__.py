"""Files: a tabular model and its CSV, XLSX and PDF writers.

A `Table` is read once: its rows are an iterator, so each writer streams it. Every writer is
a generator of byte chunks that returns the number of data rows it wrote.
"""
