"""The region's languages: which locales Wingwatch speaks, and CLDR formats for each (Babel).

Plain Python, no web imports, so services, views and states can all use it.
"""
