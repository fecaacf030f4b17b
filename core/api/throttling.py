"""Rate limits whose rates are read at request time, so settings can change them."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class _SettingsRateMixin:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_SettingsRateMixin, AnonRateThrottle):
    pass


class UserThrottle(_SettingsRateMixin, UserRateThrottle):
    pass


class ScopedThrottle(_SettingsRateMixin, ScopedRateThrottle):
    pass
