# The bot's image: Rasa Open Source 3.6 and its action server (Python 3.10, pinned in requirements/bot.txt).
# docker-compose.yml runs it as `train` (once), `actions`, `rasa-1` and `rasa-2`.
FROM python:3.10.13-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PYTHONPATH=/app TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    RASA_TELEMETRY_ENABLED=false
COPY requirements/bot.txt requirements/bot.txt
RUN pip install -r requirements/bot.txt \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin akari
COPY --chown=akari:akari . .
# The models volume takes this folder's owner the first time it is mounted, so `train` can write into it.
RUN mkdir -p bot/models && chown akari:akari /app bot/models
USER akari
