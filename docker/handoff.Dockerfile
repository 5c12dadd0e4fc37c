FROM python:3.11.7-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PYTHONPATH=/app
COPY requirements/handoff.txt requirements/handoff.txt
RUN pip install -r requirements/handoff.txt
COPY handoff handoff
COPY bot/__init__.py bot/triage.py bot/lexicon.py bot/extract.py bot/textnorm.py bot/
COPY bot/support bot/support
CMD ["python", "-m", "handoff"]
