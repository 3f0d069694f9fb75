"""The whole guidance on one page and as a PDF (after hooks/versions.py, so it carries the pages as finished). Logic: safeguide.build.downloads."""

from safeguide.build import downloads


def on_files(files, config):
    return downloads.add_page(files, config)


def on_env(env, config, files):
    downloads.build(env, config, files)
    return env
