"""Create a billing run's draft invoices: the moves first, then all their
lines in one ``account.move.line`` create (issue 19's benchmark).

Stock ``account.move.create`` with the lines inside the move values does,
after inserting them, two more passes over every line of every invoice: its
``_sync_invoice`` writes each new invoice's commercial partner on its lines
(one ``write`` per invoice, each re-running the invoice's dynamic lines,
taxes and totals), and ``is_manually_modified = False`` is a ``write`` on all
the invoices that re-runs the whole synchronisation once more. Both cost per
invoice line, so a weekend multiplier, which doubles the time lines, paid
them twice. Created empty, an invoice gets both passes on no lines; its lines
then go through stock's own ``account.move.line.create``, which computes
their partner, currency, account, taxes, distribution and totals and
synchronises the tax and payment term lines of all the invoices at once, as
any line added to a draft invoice is. The invoices are the same; nothing of
stock's is bypassed."""

from odoo import Command


def create_invoices(env, company, vals_list):
    """The draft invoices of vals_list (account.move values whose
    ``invoice_line_ids`` are Command.create commands), in company: created
    empty, then their lines in one create. Returns the moves, in order."""
    Move = env["account.move"].with_company(company)
    heads, lines = [], []
    for vals in vals_list:
        head = dict(vals)
        commands = head.pop("invoice_line_ids", [])
        heads.append(head)
        lines.append(commands)
    moves = Move.create(heads)
    line_vals = []
    for move, commands in zip(moves, lines, strict=True):
        for command in commands:
            if command[0] != Command.CREATE:
                raise ValueError(f"invoice line command {command!r} is not a create")
            line_vals.append({**command[2], "move_id": move.id})
    if line_vals:
        Move.env["account.move.line"].create(line_vals)
    return moves
