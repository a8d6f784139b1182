"""The WSGI application gunicorn serves.

Its request class survives a Content-Type header that cannot be parsed (such as
`charset*=BOGUS''x`): Django's own raises while building the request, before any
middleware can answer, and the server turns that into a 500. Here the request is built
with no body type, marked, and `MalformedRequestMiddleware` answers 400.
"""

import os

from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clc_audit.settings")


class TolerantWSGIRequest(WSGIRequest):
    malformed_content_type = False

    def _set_content_type_params(self, meta):
        try:
            super()._set_content_type_params(meta)
        except ValueError:
            self.content_type, self.content_params = "", {}
            self.malformed_content_type = True


class TolerantWSGIHandler(WSGIHandler):
    request_class = TolerantWSGIRequest


get_wsgi_application()  # sets Django up, as the server expects of this module
application = TolerantWSGIHandler()
