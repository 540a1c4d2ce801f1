"""Importing articles: raw text, HTML pages and feeds become content entries.

The modules are layered: `decode` (bytes -> text), `rules` (the readable
furniture and metadata rules), `dates`, `text`, `html`, `feed` (-> `Article`),
`entry` (`Article` -> file text), `fetch` (http(s) inputs), `store` (what
`content/` holds, writing without clobbering) and `importer`, which walks the
inputs and writes the entries. Nothing here prints.
"""

from briefgen.ingest.article import Article

__all__ = ["Article"]
