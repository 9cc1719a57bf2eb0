"""The explorer: a static site built from the catalog, and a loopback server over it.

    build_site(catalog, outdir)   write the site (HTML, CSS, JS, data as JSON/CSV)
    create_app(site_dir)          the read-only ASGI app serving a built site and a JSON API
"""

from dlrev.web.app import create_app, secure_app
from dlrev.web.site import BuildResult, build_site, site_files

__all__ = ["build_site", "site_files", "BuildResult", "create_app", "secure_app"]
