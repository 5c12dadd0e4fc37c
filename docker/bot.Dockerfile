FROM python:3.10.13-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 TF_CPP_MIN_LOG_LEVEL=3 SQLALCHEMY_SILENCE_UBER_WARNING=1 RASA_TELEMETRY_ENABLED=false
COPY requirements/bot.txt requirements/bot.txt
RUN pip install -r requirements/bot.txt
COPY . .
