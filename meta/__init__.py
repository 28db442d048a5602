"""Everything Meta-specific, in plain Python: the Graph client, OAuth, signatures, metrics.

Imports nothing from the Django apps; settings are read through meta.conf.
"""
