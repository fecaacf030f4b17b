from accounts.views import AccountViewSet


def register(router) -> None:
    router.register("accounts", AccountViewSet, basename="account")
