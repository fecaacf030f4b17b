"""PUT and PATCH are both partial updates (CONTRACT.md §1): only the fields sent change, the
answer's data is null, and the record names its creator and its last editor."""

import pytest
from djangorestframework_camel_case.util import camelize

from core.tests.api import CRM, RESOURCES, data_of

pytestmark = pytest.mark.django_db

# resource: (fields the record is made with and keeps, a PUT body, a PATCH body)
CHANGES = {
    "accounts": (
        {"phone": "13800138001", "region": "华北"},
        {"name": "北京科技有限公司（更新）", "contactPerson": "王五", "creditLimit": 1500000},
        {"industry": "制造"},
    ),
    "contacts": (
        {"mobile": "13900139001"},
        {
            "name": "李四（更新）",
            "position": "采购总监",
            "phone": "13900139002",
            "email": "lisi-updated@example.com",
        },
        {"position": "总监"},
    ),
    "activities": (
        {"priority": "high"},
        {
            "subject": "产品演示会议（更新）",
            "location": "公司会议室B",
            "status": "completed",
            "outcome": "客户对产品很感兴趣，需要提供详细方案",
        },
        {"location": "公司会议室C"},
    ),
    "cases": (
        {"description": "原描述"},
        {"subject": "无法登录", "priority": "urgent"},
        {"type": "complaint"},
    ),
    "leads": (
        {"company": "科技公司", "phone": "13800138001"},
        {"score": 85, "status": "qualified"},
        {"source": "referral"},
    ),
    "opportunities": (
        {"description": "keep me", "estimated_amount": 5},
        {"name": "renamed"},
        {"probability": 40},
    ),
    "campaigns": ({"budget": 100000}, {"status": "active", "actualCost": 80000}, {"name": "改名"}),
}


@pytest.mark.parametrize("resource", CHANGES)
def test_put_and_patch_change_only_the_fields_sent(resource, make_user, as_user):
    make, _not_found, _methods = RESOURCES[resource]
    kept, put, patch = CHANGES[resource]
    record = make(by=make_user("creator"), **kept)
    editor = as_user(make_user("editor", superuser=True))
    url = f"{CRM}/{resource}/{record.pk}"

    response = editor.put(url, put, format="json")

    assert response.status_code == 200
    assert response.json() == {"code": 200, "message": "success", "data": None}
    expected = camelize(kept) | put
    shown = data_of(editor.get(url))
    assert {field: shown[field] for field in expected} == expected
    assert (shown["createdBy"], shown["updatedBy"]) == ("creator", "editor")

    assert data_of(editor.patch(url, patch, format="json")) is None
    expected |= patch
    shown = data_of(editor.get(url))
    assert {field: shown[field] for field in expected} == expected
