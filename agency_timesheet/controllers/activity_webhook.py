"""The activity webhooks' HTTP endpoint (JSON in, JSON out).

``POST /agency/activity/person/<user id>/<source>`` (the person's token) or
``POST /agency/activity/company/<company id>/<source>`` (the company's token,
authors matched by email), source one of github, gitlab, jira, asana,
generic. No session and no CSRF token: the signature or token of each
source is the proof (activity_events.verify). A body announced over
MAX_PAYLOAD_BYTES is refused unread; a refused delivery answers 4xx with a
one-line reason and writes nothing (models/agency_activity_event.py).
"""

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..activity_events import MAX_PAYLOAD_BYTES

HEADERS = (
    "X-Hub-Signature-256",
    "X-Gitlab-Token",
    "X-Hook-Signature",
    "X-Hook-Secret",
    "X-Agency-Token",
)


class ActivityWebhook(http.Controller):
    @http.route(
        "/agency/activity/<string:scope>/<int:owner_id>/<string:source>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def agency_activity(self, scope, owner_id, source, **params):
        httprequest = request.httprequest
        length = httprequest.content_length
        if length is not None and length > MAX_PAYLOAD_BYTES:
            return self._answer(
                413, {"ok": False, "reason": f"payload over {MAX_PAYLOAD_BYTES} bytes"}
            )
        # A body without Content-Length (chunked) is measured once read
        # (load() refuses it then).
        body = httprequest.get_data()
        headers = {
            name: httprequest.headers.get(name)
            for name in HEADERS
            if httprequest.headers.get(name)
        }
        if params.get("token") and "X-Agency-Token" not in headers:
            headers["X-Agency-Token"] = params["token"]  # Jira cannot set headers
        # No session: the endpoint's token is the proof; notifications are
        # sent as the system (it has a sender address).
        Event = request.env(user=SUPERUSER_ID)["agency.activity.event"]
        status, answer = Event._agency_receive(scope, owner_id, source, body, headers)
        if status >= 400:
            request.env.cr.rollback()  # nothing half-written
        response = self._answer(status, answer)
        if answer.get("X-Hook-Secret"):
            response.headers["X-Hook-Secret"] = answer["X-Hook-Secret"]
        return response

    def _answer(self, status, answer):
        return request.make_json_response(answer, status=status)
