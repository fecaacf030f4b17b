from activities.views import ActivityViewSet


def register(router) -> None:
    router.register("activities", ActivityViewSet, basename="activity")
