from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("System")

    def ready(self):
        from core import tokens

        tokens.connect_signals()  # a changed or deleted user leaves the token-user cache
