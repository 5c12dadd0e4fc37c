#!/usr/bin/env bash
# Start everything on 127.0.0.1: Redis (the one at REDIS_URL, or an embedded one that keeps its data on disk
# with the append-only file), the action server, the Rasa server (its conversations kept in that Redis) and
# the handoff service. Stopped and started again, nothing is lost. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
AKARI_PORT=${AKARI_PORT:-8080}
DATA=${AKARI_DATA_DIR:-$PWD/data}
export PYTHONPATH="$PWD" SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3 RASA_TELEMETRY_ENABLED=false
mkdir -p logs "$DATA/redis"
chmod 700 "$DATA"
PIDS=""
trap 'kill $PIDS 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

# --- the data key: made once, readable only by its owner ----------------------------------------------
if [ -z "${AKARI_DATA_KEY:-}" ]; then
  if [ ! -s "$DATA/akari.key" ]; then
    (umask 077; .venv-handoff/bin/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" > "$DATA/akari.key")
    echo "created the data key in $DATA/akari.key (mode 0600): keep it, stored messages need it"
  fi
  AKARI_DATA_KEY=$(cat "$DATA/akari.key")
fi
export AKARI_DATA_KEY

# --- Redis --------------------------------------------------------------------------------------------
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
redis_answers() { .venv-handoff/bin/python -c "import redis; redis.Redis.from_url('$1', socket_connect_timeout=2).ping()" 2>/dev/null; }
if ! redis_answers "$REDIS_URL"; then
  EMBEDDED_PORT=${EMBEDDED_REDIS_PORT:-6390}
  # appendfsync always: a message she was told we have is on disk, even if Redis is killed a moment later
  # (AKARI_REDIS_FSYNC=everysec trades up to a second of writes for throughput).
  echo "no Redis at $REDIS_URL: starting an embedded one on 127.0.0.1:$EMBEDDED_PORT (data in $DATA/redis, append-only file)"
  .venv-handoff/bin/redis-server --bind 127.0.0.1 --port "$EMBEDDED_PORT" --dir "$DATA/redis" --save "" \
    --appendonly yes --appendfsync "${AKARI_REDIS_FSYNC:-always}" > logs/redis.log 2>&1 &
  PIDS="$PIDS $!"
  REDIS_URL="redis://127.0.0.1:$EMBEDDED_PORT/0"
  for _ in $(seq 1 100); do redis_answers "$REDIS_URL" && break; sleep 0.2; done
fi
redis_answers "$REDIS_URL" || { echo "Redis did not start; see logs/redis.log"; exit 1; }
echo "$REDIS_URL" > "$DATA/redis.url"  # so `python -m handoff users …` finds this Redis by itself
export REDIS_URL

# --- Rasa keeps every conversation's context in that Redis (db 1), so a Rasa restart forgets nothing ----
.venv-handoff/bin/python scripts/rasa_endpoints.py "$REDIS_URL" "$ACTION_PORT" > "$DATA/endpoints.yml"
SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --actions bot.actions --port "$ACTION_PORT" > logs/actions.log 2>&1 &
PIDS="$PIDS $!"
.venv/bin/rasa run --model bot/models --enable-api --interface 127.0.0.1 --port "$RASA_PORT" \
  --endpoints "$DATA/endpoints.yml" --credentials credentials.yml > logs/rasa.log 2>&1 &
RASA_PID=$!
PIDS="$PIDS $RASA_PID"
printf 'starting Rasa (model load takes ~30 s)'
for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:$RASA_PORT/status" >/dev/null 2>&1; then break; fi
  kill -0 $RASA_PID 2>/dev/null || { echo; echo "Rasa failed to start; see logs/rasa.log"; exit 1; }
  printf '.'; sleep 1
done
echo

# --- the handoff service --------------------------------------------------------------------------------
RASA_URL="http://127.0.0.1:$RASA_PORT" ACTION_SERVER_URL="http://127.0.0.1:$ACTION_PORT" AKARI_PORT="$AKARI_PORT" \
  .venv-handoff/bin/python -m handoff > logs/handoff.log 2>&1 &
PIDS="$PIDS $!"

cat <<MSG
Akari is running.
  Web chat:                               http://127.0.0.1:$AKARI_PORT/
  Counselor console:                      http://127.0.0.1:$AKARI_PORT/console  (health: /healthz)
  Rasa server (REST channel + HTTP API):  http://127.0.0.1:$RASA_PORT
  Action server:                          http://127.0.0.1:$ACTION_PORT
  Redis:                                  $REDIS_URL (data key: ${AKARI_DATA_DIR:-data}/akari.key unless AKARI_DATA_KEY is set)
Add a counselor (finds this Redis and key by itself):
  echo 'a long password here' | .venv-handoff/bin/python -m handoff users add aoi --role counselor
Logs: logs/. Ctrl-C stops everything.
MSG
wait -n $PIDS
