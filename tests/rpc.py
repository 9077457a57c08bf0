"""JSON-RPC calls of the web client, from an HttpCase, as a real session.

The access tests (test_access_matrix.py, test_rpc_bypass.py) send what a client
sends: /web/dataset/call_kw in the session of a logged-in user.
"""

import json


def call_kw(case, login, model, method, args, kwargs):
    """One /web/dataset/call_kw request of `case` (an HttpCase) in a session of
    `login` (password = login; logged in once while the login stays the same):
    the decoded JSON-RPC answer, with its "result" or its "error"."""
    if getattr(case, "_rpc_login", None) != login:
        case.authenticate(login, login)
        case._rpc_login = login
    response = case.url_open(
        "/web/dataset/call_kw",
        data=json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs,
                },
            }
        ),
        headers={"Content-Type": "application/json"},
    )
    response.raise_for_status()
    return response.json()
