import pytest
from rest_framework.test import APIClient

from conftest import client_for


@pytest.fixture
def agent_client(make_user) -> APIClient:
    """A second superuser ("agent"), to tell authors apart."""
    return client_for(make_user("agent", superuser=True))
