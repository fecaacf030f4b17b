from contacts.views import ContactViewSet


def register(router) -> None:
    router.register("contacts", ContactViewSet, basename="contact")
