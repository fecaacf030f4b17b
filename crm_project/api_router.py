"""The one router for /api/v1/crm: each domain app registers its viewsets here."""

from accounts.views import AccountViewSet
from core.api.routers import OptionalSlashRouter

router = OptionalSlashRouter()
router.register("accounts", AccountViewSet, basename="account")

urlpatterns = router.urls
