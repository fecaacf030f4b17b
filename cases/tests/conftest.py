import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken


@pytest.fixture
def agent_client(make_user) -> APIClient:
    """A second superuser ("agent"), to tell authors apart."""
    client = APIClient()
    token = AccessToken.for_user(make_user("agent", superuser=True))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client
