from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    # Its own msgid: the theme's "System" (follow the OS colours) is another word in Chinese.
    verbose_name = pgettext_lazy("app", "System")
