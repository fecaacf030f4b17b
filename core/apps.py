from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    # Its own msgid: the theme's "System" (follow the OS colours) is another word in Chinese.
    verbose_name = pgettext_lazy("app", "System")

    def ready(self):
        from core import tokens

        tokens.connect_signals()  # a changed or deleted user leaves the token-user cache
