"""``flask --app wsgi demo`` (being written)."""

import click


@click.command("demo")
def demo():
    """Load the Oulu demo data."""
