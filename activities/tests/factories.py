"""Test data built through the same services the API uses."""

from accounts.tests.factories import make_account
from activities.models import Activity
from activities.services import activity_create


def make_activity(account=None, by=None, **fields) -> Activity:
    fields.setdefault("type", "meeting")
    fields.setdefault("subject", "产品演示会议")
    return activity_create(account=account or make_account(by=by), by=by, **fields)
