"""WSGI entry point of the demo-service API."""

import json


def _app(environ, start_response):
    body = json.dumps({"versions": [{"id": "v1", "status": "CURRENT"}]})
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body.encode()]


def init_application():
    return _app
