"""The load test of ``make bench``: staff browsing and entering data at once.

Run by bench/harness.py (locust headless, 50 users, 2 minutes, against the loopback server).
Reads dominate, as in a CRM: account lists and searches, details, contacts, activities, cases,
opportunities, the analytics overview; about one request in eight writes (create an account,
update another, log an activity). Every write that succeeded is recorded and, after the run,
looked up in the database by the harness. Any non-200 answer or an envelope code other than
200 is a failure.
"""

import datetime
import json
import os
import random
import uuid

from locust import FastHttpUser, between, events, task

INPUT = json.loads(open(os.environ["BENCH_LOAD_INPUT"]).read())  # noqa: SIM115
TODAY = datetime.date.fromisoformat(INPUT["today"])
ACCOUNT_IDS = INPUT["account_ids"]
# Updates go to distinct accounts, so each one's final state is known exactly.
UPDATE_POOL = list(ACCOUNT_IDS)
random.Random(7).shuffle(UPDATE_POOL)  # noqa: S311
WRITES = {"created_accounts": [], "updated_accounts": [], "created_activities": []}
CRM = "/api/v1/crm"


class StaffUser(FastHttpUser):
    wait_time = between(0.1, 0.6)

    def on_start(self):
        self.headers = {
            "Authorization": f"Bearer {INPUT['token']}",
            "X-Forwarded-Proto": "https",
            "Content-Type": "application/json",
        }

    def _call(self, method: str, path: str, *, name: str, body=None):
        kwargs = {"headers": self.headers, "name": name, "catch_response": True}
        if body is not None:
            kwargs["data"] = json.dumps(body, ensure_ascii=False).encode()
        with self.client.request(method, path, **kwargs) as response:
            try:
                payload = response.json()
            except ValueError:
                payload = None
            if response.status_code != 200 or not payload or payload.get("code") != 200:
                response.failure(f"{response.status_code}: {(response.text or '')[:200]}")
                return False, None
            response.success()
            return True, payload["data"]

    def _account(self) -> str:
        return random.choice(ACCOUNT_IDS)  # noqa: S311

    @task(6)
    def account_list(self):
        page = random.randint(1, 50)  # noqa: S311
        self._call("GET", f"{CRM}/accounts?page={page}", name="accounts page")

    @task(2)
    def account_search(self):
        self._call("GET", f"{CRM}/accounts?name={INPUT['name_term']}", name="accounts search")

    @task(2)
    def account_filter(self):
        self._call("GET", f"{CRM}/accounts?status=active&industry=信息技术", name="accounts filter")

    @task(4)
    def account_detail(self):
        self._call("GET", f"{CRM}/accounts/{self._account()}", name="account detail")

    @task(3)
    def contacts(self):
        self._call("GET", f"{CRM}/contacts?accountId={self._account()}", name="contacts")

    @task(2)
    def activities(self):
        start = TODAY - datetime.timedelta(days=random.randint(7, 60))  # noqa: S311
        self._call(
            "GET",
            f"{CRM}/activities?startDate={start}&endDate={TODAY}",
            name="activities by date",
        )

    @task(1)
    def cases(self):
        self._call("GET", f"{CRM}/cases?status=new", name="cases by status")

    @task(1)
    def opportunities(self):
        self._call(
            "GET",
            f"{CRM}/opportunities?estimatedAmountMin=500000&estimatedAmountMax=800000",
            name="opportunities by amount",
        )

    @task(1)
    def overview(self):
        self._call("GET", f"{CRM}/analytics/overview?period=month", name="analytics overview")

    @task(1)
    def create_account(self):
        name = f"压测客户-{uuid.uuid4().hex[:12]}"
        ok, data = self._call(
            "POST",
            f"{CRM}/accounts",
            name="create account",
            body={"name": name, "industry": "信息技术", "region": "华东", "phone": "021-55550000"},
        )
        if ok:
            WRITES["created_accounts"].append((data["id"], name))

    @task(1)
    def update_account(self):
        if not UPDATE_POOL:
            return
        account_id = UPDATE_POOL.pop()
        remarks = f"压测更新 {uuid.uuid4().hex[:12]}"
        ok, _data = self._call(
            "PUT", f"{CRM}/accounts/{account_id}", name="update account", body={"remarks": remarks}
        )
        if ok:
            WRITES["updated_accounts"].append((account_id, remarks))

    @task(1)
    def create_activity(self):
        subject = f"压测回访 {uuid.uuid4().hex[:12]}"
        start = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        ok, data = self._call(
            "POST",
            f"{CRM}/activities",
            name="create activity",
            body={
                "type": "call",
                "subject": subject,
                "accountId": self._account(),
                "startTime": start.isoformat().replace("+00:00", "Z"),
            },
        )
        if ok:
            WRITES["created_activities"].append((data["id"], subject))


@events.test_stop.add_listener
def _save_writes(**_kwargs):
    with open(os.environ["BENCH_WRITES"], "w") as handle:
        json.dump(WRITES, handle)
