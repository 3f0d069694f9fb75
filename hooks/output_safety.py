"""Front matter escaped for Material's templates; every built page checked for scripts we did not ship and
requests to other hosts. Logic: safeguide.build.integration and safeguide.build.html_check."""

from safeguide.build import integration


def on_page_markdown(markdown, page, config, files):
    integration.escape_front_matter(page)
    return markdown


def on_post_build(config):
    integration.check_built_html(config)
