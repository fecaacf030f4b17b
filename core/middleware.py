"""Request-wide settings for the API."""

from datetime import UTC

from django.utils import timezone


class ApiTimezoneMiddleware:
    """The API reads and writes UTC (``...Z``); the admin keeps the staff's TIME_ZONE.

    Date filters on a timestamp (``createdDateStart``) are therefore taken on its UTC date, the
    same date the client sees in ``createdAt``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            timezone.activate(UTC)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
