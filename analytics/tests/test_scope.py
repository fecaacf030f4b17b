"""A rep's analytics read exactly the records core.ownership lets them see."""

import pytest

from accounts.tests.factories import make_account
from activities.models import Activity
from activities.tests.factories import make_activity
from analytics import selectors
from core.ownership import visible_to
from sales.models import Opportunity
from sales.tests.factories import make_opportunity

pytestmark = pytest.mark.django_db

VIEW = ("sales.view_opportunity", "activities.view_activity", "analytics.view_analytics")


def test_records_under_accounts_are_scoped_like_the_ownership_rule(make_user):
    rep = make_user("rep", perms=VIEW)
    other = make_user("other", perms=VIEW)
    mine, theirs = make_account(by=rep), make_account(by=other)
    make_opportunity(account=mine, by=other)  # on my account, owned by someone else
    make_opportunity(account=theirs, by=rep)  # owned by me, on someone else's account
    make_opportunity(account=theirs, by=other)  # neither: not mine to see
    make_activity(account=mine, by=other)
    make_activity(account=theirs, by=rep)  # activities follow their account only
    rep = type(rep).objects.get(pk=rep.pk)

    for selected, model in (
        (selectors.live_opportunities(rep), Opportunity),
        (selectors.live_activities(rep), Activity),
    ):
        expected = set(visible_to(model.objects.all(), rep).values_list("pk", flat=True))
        assert set(selected.values_list("pk", flat=True)) == expected
    assert selectors.live_opportunities(rep).count() == 2
    assert selectors.live_activities(rep).count() == 1
