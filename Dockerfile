# Production image: gunicorn with gunicorn.conf.py; datasets opened before the workers fork.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    BAROMETER_DATA_DIR=/app/data \
    BAROMETER_BIND=0.0.0.0:8050 \
    BAROMETER_WORKERS=2

WORKDIR /app
COPY pyproject.toml README.md ./
COPY barometer_dash ./barometer_dash
RUN pip install -e ".[redis]" && useradd --create-home --uid 10001 barometer
COPY app.py gunicorn.conf.py ./
COPY assets ./assets
COPY data ./data
# The serving copy (memory-mapped by every worker) is built here, not at each start:
# the running container may not write to its data folder.
RUN barometer prepare --data-dir /app/data

USER barometer
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8050/healthz', timeout=4)" || exit 1
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
