"""Version history, "What changed", the review report, the draft / replaced-version banners, the urgent page's
"Who to call now" and a replaced release's old numbers. Logic: safeguide.build.integration."""

from safeguide.build import integration


def on_nav(nav, config, files):
    integration.record_nav(nav, config)
    return nav


def on_page_content(html, page, config, files):
    return integration.record_text(html, page, config)


def on_env(env, config, files):
    integration.finish_version_pages(env, config, files)
    return env


def on_post_build(config):
    integration.write_page_texts(config)


def on_post_page(output, page, config):
    return integration.finish_output(output, page, config)
