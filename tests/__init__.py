"""Cross-add-on tests, run by `make test` with pytest-odoo.

These files live outside any add-on, so Odoo does not tag their classes by
itself: decorate every Odoo test class here with @tagged("post_install",
"-at_install") (it sets the tags Odoo's test base class needs).
"""
