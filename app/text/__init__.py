"""Text across the region's scripts: Serbian transliteration and the folding that search uses.

Plain Python, no web imports, so services, views and build scripts can all use it.
"""
