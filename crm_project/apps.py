"""App configurations of the project itself."""

from django.contrib.admin.apps import AdminConfig


class CrmAdminConfig(AdminConfig):
    """``django.contrib.admin`` whose ``admin.site`` is the back office's own site."""

    default_site = "crm_project.backoffice.CrmAdminSite"
