from sales.views import LeadViewSet, OpportunityViewSet


def register(router) -> None:
    router.register("leads", LeadViewSet, basename="lead")
    router.register("opportunities", OpportunityViewSet, basename="opportunity")
