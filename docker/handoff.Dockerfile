# The handoff service: the one part that faces the internet (Python 3.11, pinned in requirements/handoff.txt).
# It imports pure modules of bot/ (triage, lexicon, languages, the support directory), never rasa.
FROM python:3.11.7-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PYTHONPATH=/app PYTHONUNBUFFERED=1
COPY requirements/handoff.txt requirements/handoff.txt
RUN pip install -r requirements/handoff.txt \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin akari
COPY handoff handoff
COPY bot bot
USER akari
EXPOSE 8080
CMD ["python", "-m", "handoff"]
