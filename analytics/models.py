"""Analytics owns no data; this table-less model carries its permission and its admin page."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Dashboard(models.Model):
    """Never queried: it exists so ``analytics.view_analytics`` is a real Django permission
    (grantable to groups) and the staff dashboard has a place in the admin."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_analytics", _("Can view analytics"))]
        verbose_name = _("analytics dashboard")
        verbose_name_plural = _("analytics dashboard")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
