#!/usr/bin/env bash
# Start the action server and the Rasa server (REST channel + HTTP API) on
# 127.0.0.1 and say how to talk to them. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
RASA_PORT=${RASA_PORT:-5005}
ACTION_PORT=${ACTION_PORT:-5055}
export PYTHONPATH="$PWD" SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=3 RASA_TELEMETRY_ENABLED=false
mkdir -p logs

SANIC_HOST=127.0.0.1 .venv/bin/rasa run actions --actions bot.actions --port "$ACTION_PORT" > logs/actions.log 2>&1 &
ACTIONS_PID=$!
.venv/bin/rasa run --model bot/models --enable-api --interface 127.0.0.1 --port "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml > logs/rasa.log 2>&1 &
RASA_PID=$!
PIDS="$ACTIONS_PID $RASA_PID"
trap 'kill $PIDS 2>/dev/null; wait 2>/dev/null' EXIT INT TERM

printf 'starting Rasa (model load takes ~30 s)'
for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:$RASA_PORT/status" >/dev/null 2>&1; then break; fi
  kill -0 $RASA_PID 2>/dev/null || { echo; echo "Rasa failed to start; see logs/rasa.log"; exit 1; }
  printf '.'; sleep 1
done
echo

AKARI_PORT=${AKARI_PORT:-8080}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
redis_answers() { .venv-handoff/bin/python -c "import redis; redis.Redis.from_url('$1', socket_connect_timeout=2).ping()" 2>/dev/null; }
if ! redis_answers "$REDIS_URL"; then
  EMBEDDED_PORT=${EMBEDDED_REDIS_PORT:-6390}
  echo "no Redis at $REDIS_URL: starting an embedded one on 127.0.0.1:$EMBEDDED_PORT (data in logs/redis)"
  mkdir -p logs/redis
  .venv-handoff/bin/redis-server --bind 127.0.0.1 --port "$EMBEDDED_PORT" --dir logs/redis --save "" \
    --appendonly no > logs/redis.log 2>&1 &
  PIDS="$PIDS $!"
  REDIS_URL="redis://127.0.0.1:$EMBEDDED_PORT/0"
  for _ in $(seq 1 50); do redis_answers "$REDIS_URL" && break; sleep 0.2; done
fi
if redis_answers "$REDIS_URL"; then
  RASA_URL="http://127.0.0.1:$RASA_PORT" ACTION_SERVER_URL="http://127.0.0.1:$ACTION_PORT" AKARI_PORT="$AKARI_PORT" REDIS_URL="$REDIS_URL" \
    .venv-handoff/bin/python -m handoff > logs/handoff.log 2>&1 &
  PIDS="$PIDS $!"
  HANDOFF_LINE="  Web chat:                               http://127.0.0.1:$AKARI_PORT/
  Counselor console:                      http://127.0.0.1:$AKARI_PORT/console  (health: /healthz; Redis: $REDIS_URL)"
else
  HANDOFF_LINE="  Handoff service: not started, no Redis answers at $REDIS_URL"
fi

cat <<MSG
Akari is running.
  Rasa server (REST channel + HTTP API): http://127.0.0.1:$RASA_PORT
  Action server:                          http://127.0.0.1:$ACTION_PORT
$HANDOFF_LINE
Talk to it over HTTP:
  curl -s -XPOST http://127.0.0.1:$RASA_PORT/webhooks/rest/webhook \\
       -H 'Content-Type: application/json' -d '{"sender":"me","message":"こんばんは"}'
Or in the terminal (in another shell): make shell
Logs: logs/rasa.log, logs/actions.log. Ctrl-C stops everything.
MSG
wait -n $PIDS
