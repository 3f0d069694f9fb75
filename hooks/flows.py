"""Checks that every flow step's guidance link leads to a section that exists. Logic: safeguide.build.integration."""

from safeguide.build import integration


def on_page_content(html, page, config, files):
    return integration.record_anchors(html, page, config)


def on_env(env, config, files):
    integration.check_flow_links(config)
    return env
