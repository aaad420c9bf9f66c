"""The search keeps no table of its own: its functions and indexes are on the other apps'
tables (search.database). The module is here so that `post_migrate` is sent for the app."""
