"""The build code of annlab's site, as one MkDocs plugin (see :mod:`annlab_site.plugin`)."""
