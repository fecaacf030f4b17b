"""The back office: list, search, filters, the comment inline and the close action."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from accounts.tests.factories import make_account
from cases.models import Case, CaseComment, CaseStatus
from cases.tests.factories import make_case, make_case_in, make_contact

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/cases/case/"


def change_url(case) -> str:
    return f"{CHANGELIST}{case.pk}/change/"


def form_data(case, **changes) -> dict:
    """The change form as the browser posts it, with an empty comment inline."""
    data = {
        "account": str(case.account_id),
        "contact": str(case.contact_id or ""),
        "subject": case.subject,
        "description": case.description or "",
        "type": case.type,
        "priority": case.priority,
        "status": case.status,
        "resolution": case.resolution or "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_changelist_search_and_filters(staff):
    make_case(make_account(name="北京科技有限公司"), subject="系统登录问题", priority="high")
    make_case_in(
        CaseStatus.IN_PROGRESS,
        make_account(name="上海贸易有限公司"),
        subject="发票错误",
        type="complaint",
    )

    assert staff.get(CHANGELIST).status_code == 200
    by_account = staff.get(CHANGELIST, {"q": "上海"})
    assert [c.case_no for c in by_account.context["cl"].result_list] == ["CAS002"]
    by_number = staff.get(CHANGELIST, {"q": "CAS001"})
    assert [c.case_no for c in by_number.context["cl"].result_list] == ["CAS001"]
    by_subject = staff.get(CHANGELIST, {"q": "发票"})
    assert [c.case_no for c in by_subject.context["cl"].result_list] == ["CAS002"]
    for params in ({"status__exact": "new"}, {"priority__exact": "high"}, {"type__exact": "issue"}):
        response = staff.get(CHANGELIST, params)
        assert [c.case_no for c in response.context["cl"].result_list] == ["CAS001"], params


def test_change_form_shows_comments_inline(staff):
    case = make_case()
    CaseComment.objects.create(case=case, content="已收到反馈", created_by=None)
    response = staff.get(change_url(case))
    assert response.status_code == 200
    assert "已收到反馈" in response.content.decode()


def test_create_through_the_service_numbers_the_case(staff):
    account = make_account()
    data = form_data(Case(account=account, subject="新反馈", type="question", priority="low"))
    del data["status"]
    response = staff.post(f"{CHANGELIST}add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    case = Case.objects.get()
    assert (case.case_no, case.status, case.created_by.username) == ("CAS001", "new", "admin")


def test_status_change_follows_the_flow(staff):
    case = make_case()
    refused = staff.post(change_url(case), form_data(case, status="resolved"))
    assert refused.status_code == 200  # the form again, with the reason
    assert refused.context["adminform"].form.errors["status"]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NEW

    allowed = staff.post(change_url(case), form_data(case, status="in_progress"))
    assert allowed.status_code == 302
    row = Case.objects.get(pk=case.pk)
    assert row.status == CaseStatus.IN_PROGRESS and row.response_time is not None


def test_contact_of_another_account_is_refused(staff):
    case = make_case()
    stranger = make_contact(make_account(name="上海贸易有限公司"))
    response = staff.post(change_url(case), form_data(case, contact=str(stranger.pk)))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["contact"]


def test_comment_added_inline_goes_through_the_service(staff):
    case = make_case()
    data = form_data(
        case,
        **{
            "comments-TOTAL_FORMS": "1",
            "comments-0-content": "后台回复",
            "comments-0-case": str(case.pk),
        },
    )
    response = staff.post(change_url(case), data)
    assert response.status_code == 302
    comment = CaseComment.objects.get()
    assert (comment.content, comment.created_by.username) == ("后台回复", "admin")
    assert Case.objects.get(pk=case.pk).response_time == comment.created_at


def test_closed_case_is_read_only(staff):
    case = make_case_in(CaseStatus.CLOSED)
    assert staff.get(change_url(case)).status_code == 200  # view only
    response = staff.post(change_url(case), form_data(case, subject="改"))
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).subject == "系统登录问题"


def test_close_action_asks_for_resolution_then_closes_through_the_service(staff):
    account = make_account()
    open_case = make_case(account)
    resolved = make_case_in(CaseStatus.RESOLVED, account)
    already = make_case_in(CaseStatus.CLOSED, account)
    before = Case.objects.get(pk=already.pk)
    selected = [str(c.pk) for c in (open_case, resolved, already)]

    confirm = staff.post(CHANGELIST, {"action": "close_selected", ACTION_CHECKBOX_NAME: selected})
    assert confirm.status_code == 200
    assert "close_selected" in confirm.content.decode()
    assert Case.objects.filter(status=CaseStatus.CLOSED).count() == 1

    done = staff.post(
        CHANGELIST,
        {
            "action": "close_selected",
            ACTION_CHECKBOX_NAME: selected,
            "apply": "1",
            "resolution": "批量关闭：重复反馈",
            "satisfaction": "4",
        },
    )
    assert done.status_code == 302
    for case in (open_case, resolved):
        row = Case.objects.get(pk=case.pk)
        assert row.status == CaseStatus.CLOSED
        assert row.closed_at is not None and row.resolution_time is not None
        assert (row.resolution, row.satisfaction) == ("批量关闭：重复反馈", 4)
        assert row.updated_by.username == "admin"
    untouched = Case.objects.get(pk=already.pk)
    assert (untouched.resolution, untouched.closed_at, untouched.updated_at) == (
        before.resolution,
        before.closed_at,
        before.updated_at,
    )


def test_close_action_reports_cases_it_cannot_close(staff):
    case = make_case()  # no resolution yet
    response = staff.post(
        CHANGELIST,
        {"action": "close_selected", ACTION_CHECKBOX_NAME: [str(case.pk)], "apply": "1"},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("CAS001" in m for m in messages)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.NEW


def test_close_action_validates_satisfaction(staff):
    case = make_case_in(CaseStatus.RESOLVED)
    response = staff.post(
        CHANGELIST,
        {
            "action": "close_selected",
            ACTION_CHECKBOX_NAME: [str(case.pk)],
            "apply": "1",
            "satisfaction": "9",
        },
    )
    assert response.status_code == 200  # the form again
    assert response.context["form"].errors["satisfaction"]
    assert Case.objects.get(pk=case.pk).status == CaseStatus.RESOLVED
