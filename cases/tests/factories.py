"""Test data built through the same services the API uses (numbering and stamping included)."""

from accounts.models import Account
from accounts.tests.factories import make_account
from cases import services
from cases.models import Case, CaseStatus, CaseType
from contacts.models import Contact
from contacts.services import contact_create


def make_contact(account: Account, by=None, **fields) -> Contact:
    fields.setdefault("name", "李四")
    return contact_create(account=account, by=by, **fields)


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
