"""`pipeline review`: a local web app to review a document's translations in its bilingual layout.

- ``store``: the catalogs as the app reads and writes them (through ``pipeline.catalog``,
  ``qa``, ``stats``, ``tm``; the project lock and compare-before-replace on every save);
- ``app``: the Starlette routes, the pages (Jinja2, ``templates/review/``) and the JSON API,
  behind the access token;
- ``server``: binding, the printed address, uvicorn, Ctrl-C.
"""
