"""Command-line commands: ``flask --app wsgi demo`` and ``flask --app wsgi users …``."""


def init_app(app):
    """Register the command groups."""
    from leasing.accounts.cli import users
    from leasing.bookings.cli import bookings
    from leasing.demo import demo
    from leasing.leases.cli import leases
    from leasing.sublets.cli import sublets

    app.cli.add_command(users)
    app.cli.add_command(demo)
    app.cli.add_command(leases)
    app.cli.add_command(sublets)
    app.cli.add_command(bookings)
