from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from core import login_throttle
from core import views as core_views
from core.api import auth, files
from core.api.schema import SCHEMA_RENDERERS

auth_patterns = [
    re_path(r"^token/?$", auth.TokenView.as_view(), name="token"),
    re_path(r"^token/refresh/?$", auth.TokenRefresh.as_view(), name="token-refresh"),
    re_path(r"^logout/?$", auth.LogoutView.as_view(), name="logout"),
    re_path(r"^me/?$", auth.MeView.as_view(), name="me"),
]

# The admin's login under the API's password-guessing limits (core.login_throttle).
admin.site.login_form = login_throttle.AdminLoginForm

urlpatterns = [
    path("admin/login/", login_throttle.admin_login),
    # No public site here (the staff's frontend is separate): the root leads to the back office.
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/v1/auth/", include(auth_patterns)),
    path("api/v1/crm/", include("crm_project.api_router")),
    re_path(
        r"^api/v1/schema/?$",
        SpectacularAPIView.as_view(renderer_classes=SCHEMA_RENDERERS),
        name="schema",
    ),
    re_path(r"^api/docs/?$", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    re_path(r"^api/redoc/?$", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    re_path(r"^api/v1/files/?$", files.FileUploadView.as_view(), name="file-upload"),
    re_path(
        r"^api/v1/files/(?P<pk>[^/]+)/?$", files.FileDownloadView.as_view(), name="file-detail"
    ),
    re_path(r"^api(/.*)?$", core_views.api_not_found),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.not_found
handler500 = core_views.server_error
