"""The search benchmark: a fixed French query mix, timed on our engine and on the recipe of the peer platforms.

Run by `carrefour bench search --size N` and by `scripts/load_site.py`; never by the test suite.
"""
