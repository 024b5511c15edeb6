"""One module per page. Each registers its route through `add_pages` in app/app.py."""
