"""export_* --user: an export made for a user holds only what that user may see (record
ownership, as in the API); without --user the operator's export holds everything."""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.tests.factories import make_account
from contacts.tests.factories import make_contact
from sales.tests.factories import make_lead

pytestmark = pytest.mark.django_db

# command -> (the column naming each row, as the export writes it)
COMMANDS = {"export_accounts": "name", "export_contacts": "name", "export_leads": "name"}
MANAGER_PERMS = ("accounts.view_all_account", "sales.view_all_lead")


@pytest.fixture
def two_reps(make_user):
    """Rep A and rep B, each with an account (and a contact under it) and a lead."""
    a, b = make_user("rep-a"), make_user("rep-b")
    for user, tag in ((a, "A"), (b, "B")):
        account = make_account(by=user, name=f"客户{tag}")
        make_contact(account=account, by=user, name=f"联系人{tag}", mobile=f"1380000000{len(tag)}")
        make_lead(by=user, name=f"线索{tag}", email=f"{tag.lower()}@example.com")
    return a, b


def export(command: str, tmp_path, *args) -> set[str]:
    target = tmp_path / f"{command}.csv"
    out = StringIO()
    call_command(command, str(target), "--headers", "camel", *args, stdout=out)
    with open(target, encoding="utf-8-sig") as handle:
        return {row[COMMANDS[command]] for row in csv.DictReader(handle)}


@pytest.mark.parametrize("command", COMMANDS)
def test_an_export_for_a_user_holds_only_what_that_user_may_see(command, two_reps, tmp_path):
    names = export(command, tmp_path, "--user", "rep-a")
    assert len(names) == 1 and next(iter(names)).endswith("A")


@pytest.mark.parametrize("command", COMMANDS)
def test_without_user_and_for_managers_the_export_holds_everything(
    command, two_reps, tmp_path, make_user
):
    make_user("manager", perms=MANAGER_PERMS)
    everything = export(command, tmp_path)
    assert len(everything) == 2
    assert export(command, tmp_path, "--user", "manager") == everything


def test_an_unknown_user_is_refused(tmp_path):
    with pytest.raises(CommandError, match="nobody"):
        call_command("export_accounts", str(tmp_path / "x.csv"), "--user", "nobody")
