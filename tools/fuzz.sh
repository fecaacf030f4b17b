#!/usr/bin/env bash
# Contract fuzzing: schemathesis against the project's own OpenAPI schema on a live server,
# every check on, a bounded number of examples per operation. Fails on any server error or
# any response that breaks the schema.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.venv/bin}
PORT=${FUZZ_PORT:-8765}
EXAMPLES=${FUZZ_EXAMPLES:-25}
WORKDIR=$(mktemp -d)
trap 'kill "${SERVER_PID:-0}" 2>/dev/null || true; rm -rf "$WORKDIR"' EXIT

export DATABASE_URL=${FUZZ_DATABASE_URL:-sqlite:///$WORKDIR/fuzz.sqlite3}
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY=fuzzing-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_MEDIA_ROOT=$WORKDIR/media
export THROTTLE_USER_RATE=1000000/min THROTTLE_ANON_RATE=1000000/min THROTTLE_AUTH_RATE=1000000/min
export ACCESS_LOG_LEVEL=WARNING

"$BIN/python" manage.py migrate --noinput -v0
TOKEN=$("$BIN/python" manage.py shell -c "
from core.models import User
from rest_framework_simplejwt.tokens import AccessToken
user, _ = User.objects.get_or_create(username='fuzzer', defaults={'is_superuser': True, 'is_staff': True})
print(AccessToken.for_user(user))" | tail -n 1 | tr -d '[:space:]')
"$BIN/python" manage.py generate_demo_data --accounts 20 --seed 7 >/dev/null 2>&1 || true

"$BIN/python" manage.py runserver "127.0.0.1:$PORT" --noreload --insecure >"$WORKDIR/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/v1/schema" && break
  sleep 1
done

status=0
"$BIN/schemathesis" run "http://127.0.0.1:$PORT/api/v1/schema" \
  --checks all \
  --max-examples "$EXAMPLES" \
  --header "Authorization: Bearer $TOKEN" \
  --request-timeout 30 \
  --generation-deterministic \
  --no-color \
  "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (tail) ---"
  tail -50 "$WORKDIR/server.log"
fi
exit "$status"
