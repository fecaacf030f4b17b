"""Work done in the benchmark's own process, with Django configured for the benchmark
database: its users and tokens, sample ids, SQL statement counts and a query plan."""

import datetime
import os
import sys

from bench.config import ROOT, Config
from bench.probes import REP, Probe


def setup_django(config: Config) -> None:
    # The requests counted in this process would each write an access-log line.
    os.environ.update(config.django_env(ANALYTICS_CACHE_SECONDS="0", ACCESS_LOG_LEVEL="WARNING"))
    os.environ.pop("REDIS_URL", None)  # the in-process cache is local memory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm_project.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


REP_PERMISSIONS = [
    ("accounts", "view_account"),
    ("contacts", "view_contact"),
    ("activities", "view_activity"),
    ("cases", "view_case"),
    ("sales", "view_lead"),
    ("sales", "view_opportunity"),
    ("campaigns", "view_campaign"),
    ("analytics", "view_analytics"),
]


def bench_users() -> dict:
    """The users the benchmark acts as: a superuser (sees everything), a load user, and one of
    the demo owners as a sales rep who may read everything but sees only their own records."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from rest_framework_simplejwt.tokens import AccessToken

    user_model = get_user_model()
    users = {}
    for username in ("bench_admin", "bench_load"):
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"is_superuser": True, "is_staff": True}
        )
        if created:
            user.set_unusable_password()
            user.save()
        users[username] = {"id": user.pk, "token": str(AccessToken.for_user(user))}
    rep = user_model.objects.get(username=REP)
    rep.user_permissions.add(
        *[
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in REP_PERMISSIONS
        ]
    )
    users[REP] = {"id": rep.pk, "token": str(AccessToken.for_user(rep))}
    return users


def pick_samples() -> dict:
    """Ids and values the requests use: an established account, a busy campaign, search terms."""
    from django.db.models import Count

    from accounts.models import Account
    from campaigns.models import Campaign

    account = Account.objects.order_by("-created_at", "-id")[1000]
    campaign = (
        Campaign.objects.annotate(deals=Count("opportunities"))
        .order_by("-deals", "id")
        .values("id")
        .first()
    )
    # A brand plus an industry word, as a user types part of a company name.
    return {
        "account_id": str(account.pk),
        "campaign_id": str(campaign["id"]),
        "name_term": "华信科技",
        "short_term": "华信",
        "today": datetime.datetime.now(datetime.UTC).date().isoformat(),
    }


def count_queries(probe: Probe, token: str) -> dict:
    """SQL statements of the request at page size 10 and 100 (lists), through Django."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    counts = {}
    variants = {"10": {}, "100": {"pageSize": 100}} if probe.kind == "list" else {"": {}}
    for name, extra in variants.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(probe.url(**extra))
        if response.status_code != 200:
            raise SystemExit(f"{probe.url()} answered {response.status_code}: {response.content!r}")
        counts[name] = len(queries.captured_queries)
    return counts


def explain_name_search(term: str) -> str:
    """The plan PostgreSQL runs for the name filter's count, as the API builds it."""
    from django.db import connection

    from accounts.filters import AccountFilterSet
    from accounts.models import Account

    queryset = AccountFilterSet({"name": term}, queryset=Account.objects.all()).qs
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) SELECT count(*) FROM ({sql}) AS q", params)  # noqa: S608
        return "\n".join(row[0] for row in cursor.fetchall())
