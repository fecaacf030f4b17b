from cases.views import CaseViewSet


def register(router) -> None:
    router.register("cases", CaseViewSet, basename="case")
