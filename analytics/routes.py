from analytics.views import AnalyticsViewSet


def register(router) -> None:
    router.register("analytics", AnalyticsViewSet, basename="analytics")
