# Production image: gunicorn serving the app, data loaded once before workers fork.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    BAROMETER_DATA_DIR=/app/data \
    WEB_CONCURRENCY=2 \
    PORT=8050

WORKDIR /app
COPY pyproject.toml README.md ./
COPY barometer_dash ./barometer_dash
RUN pip install -e ".[redis]" && useradd --create-home --uid 10001 barometer
COPY app.py ./
COPY assets ./assets
COPY data ./data

USER barometer
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=4)" || exit 1
CMD ["sh", "-c", "exec gunicorn app:server --preload --workers ${WEB_CONCURRENCY} --bind 0.0.0.0:${PORT} --access-logfile -"]
