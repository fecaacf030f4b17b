"""Django model permissions on every endpoint, reads included."""

from rest_framework.permissions import DjangoModelPermissions


class ModelPermissions(DjangoModelPermissions):
    """view/add/change/delete by HTTP method; actions may name their own permissions.

    A viewset action can set ``required_permissions`` (a list of ``app.codename``) through
    ``@action(..., required_permissions=[...])``; they replace the method-based ones.
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        required = getattr(view, "required_permissions", None)
        if required is not None:
            return request.user.has_perms(required)
        return super().has_permission(request, view)
