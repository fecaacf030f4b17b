"""The one router for /api/v1/crm.

Each domain app that serves resources has a ``routes.py`` with ``register(router)``; adding an
app to CRM_APPS is all it takes to mount it.
"""

from importlib import import_module
from importlib.util import find_spec

from core.api.routers import OptionalSlashRouter

CRM_APPS = ("accounts", "contacts", "activities", "cases", "sales", "campaigns", "analytics")

router = OptionalSlashRouter()
for app in CRM_APPS:
    if find_spec(f"{app}.routes") is not None:
        import_module(f"{app}.routes").register(router)

urlpatterns = router.urls
