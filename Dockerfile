# chainkg: CLI, JSON API and web UI in one image. docker-compose.yml runs it against Neo4j;
# without NEO4J_URI it uses the embedded SQLite store in /srv/chainkg/data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CHAINKG_DB=/srv/chainkg/data/chainkg.db

WORKDIR /srv/chainkg
COPY . .
RUN pip install . \
    && useradd --system --create-home --home-dir /home/chainkg chainkg \
    && mkdir -p /srv/chainkg/data \
    && chown chainkg /srv/chainkg/data

USER chainkg
EXPOSE 8000
CMD ["chainkg", "serve", "--host", "0.0.0.0", "--port", "8000"]
