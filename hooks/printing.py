"""What every printed page says about itself (partnership, version, approval, address, print date). Logic: safeguide.build.printing."""

from safeguide.build import printing


def on_env(env, config, files):
    printing.add_to_templates(env, config)
    return env
