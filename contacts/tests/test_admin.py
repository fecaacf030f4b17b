"""The back office: contacts on their own and inline under their account."""

import pytest

from contacts.models import Contact
from contacts.tests.factories import make_contact

pytestmark = pytest.mark.django_db


def test_changelist_and_change_page_render(staff):
    contact = make_contact(name="李四")

    assert staff.get("/admin/contacts/contact/").status_code == 200
    assert staff.get("/admin/contacts/contact/", {"q": "李四"}).status_code == 200
    page = staff.get(f"/admin/contacts/contact/{contact.pk}/change/")
    assert page.status_code == 200


def test_account_page_lists_its_contacts_inline(staff):
    contact = make_contact(name="李四")
    make_contact(name="别家的人")

    page = staff.get(f"/admin/accounts/account/{contact.account_id}/change/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "李四" in html
    assert "别家的人" not in html


def test_admin_add_goes_through_the_service(staff, admin_user):
    account = make_contact().account

    response = staff.post(
        "/admin/contacts/contact/add/",
        {"account": str(account.pk), "name": "王五", "position": "经理"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get(name="王五")
    assert contact.created_by == admin_user
    assert contact.account == account


def test_admin_delete_is_soft_and_restore_brings_it_back(staff):
    contact = make_contact()

    staff.post(
        "/admin/contacts/contact/",
        {"action": "soft_delete_selected", "_selected_action": [str(contact.pk)]},
    )
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Contact.all_objects.filter(pk=contact.pk).exists()

    staff.post(
        "/admin/contacts/contact/?deleted=deleted",
        {"action": "restore_selected", "_selected_action": [str(contact.pk)]},
    )
    assert Contact.objects.filter(pk=contact.pk).exists()
