"""Turns the baseline into one partnership's site: settings, branding, overlay pages. Logic: safeguide.build.integration."""

from safeguide.build import integration


def on_config(config):
    return integration.configure(config)


def on_files(files, config):
    return integration.files(files, config)


def on_serve(server, config, builder):
    integration.watch(server, config)
    return server
