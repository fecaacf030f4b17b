"""Record ownership: who may see (and so change) which rows.

A model declares ``ownership = Ownership(...)``. A user holding its ``view_all`` permission (or a
superuser) sees every row; anyone else sees the rows they own and the rows that belong to
accounts they own. Rows outside that scope behave as if they did not exist (404 / not-found
codes), so nothing leaks their existence.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class Ownership:
    view_all: str  # "app_label.codename" of the permission that lifts the scope
    owner: str | None = "owner"  # path to the owning user, if the row has one
    via_account: str | None = None  # path to the account whose owner also owns this row

    def scope(self, user) -> Q | None:
        """The filter for ``user``, or None when the user sees everything."""
        if user is None or user.is_superuser or user.has_perm(self.view_all):
            return None
        if not user.is_authenticated:
            return Q(pk__in=[])
        conditions = []
        if self.owner:
            conditions.append(Q(**{self.owner: user}))
        if self.via_account:
            conditions.append(Q(**{f"{self.via_account}__owner": user}))
        return reduce(or_, conditions)


def visible_to(queryset: QuerySet, user) -> QuerySet:
    """``queryset`` narrowed to what ``user`` may see (unchanged for unowned models)."""
    ownership = getattr(queryset.model, "ownership", None)
    if ownership is None:
        return queryset
    condition = ownership.scope(user)
    return queryset if condition is None else queryset.filter(condition)
