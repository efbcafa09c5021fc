import unittest

from demo_service.api import app


class TestApp(unittest.TestCase):
    def test_versions(self):
        status = []
        body = app.init_application()({}, lambda s, h: status.append(s))
        self.assertEqual(["200 OK"], status)
        self.assertIn(b"v1", body[0])
