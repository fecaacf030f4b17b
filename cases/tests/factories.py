"""Test data built through the same services the API uses (numbering and stamping included)."""

from accounts.models import Account
from accounts.tests.factories import make_account
from cases import services
from cases.models import Case, CaseStatus, CaseType
from contacts.tests.factories import make_contact

__all__ = ["make_case", "make_case_in", "make_contact"]


def make_case(account: Account | None = None, by=None, **fields) -> Case:
    fields.setdefault("subject", "系统登录问题")
    fields.setdefault("type", CaseType.ISSUE)
    return services.case_create(account=account or make_account(by=by), by=by, **fields)


# The service calls that walk a new case to each status along the flow.
_PATH = {
    CaseStatus.NEW: [],
    CaseStatus.IN_PROGRESS: [CaseStatus.IN_PROGRESS],
    CaseStatus.RESOLVED: [CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED],
    CaseStatus.CLOSED: [CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, CaseStatus.CLOSED],
}


def make_case_in(status: str, account: Account | None = None, by=None, **fields) -> Case:
    """A case moved to ``status`` through the service, as the API would do it."""
    case = make_case(account, by=by, **fields)
    for step in _PATH[status]:
        data = {"status": step}
        if step == CaseStatus.RESOLVED:
            data["resolution"] = "重置用户密码，问题已解决"
        case = services.case_update(case=case, data=data, by=by)
    return case
