"""safeguide: one national baseline of safeguarding guidance, one branded site per partnership."""

__version__ = "0.1.0"
