# The governance command in a container: `docker run --rm -v "$PWD:/work" IMAGE audit audit.yaml`.
# Two stages: the first builds this project's wheel; the second installs it with its
# dependencies from binary wheels (no compiler), plus the Pango libraries and fonts the PDF
# report needs and poppler's pdfsig for checking signatures, and runs as a non-root user.
ARG PYTHON_VERSION=3.12

FROM python:${PYTHON_VERSION}-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY governance ./governance
COPY policies ./policies
COPY templates ./templates
COPY schemas ./schemas
RUN python -m pip install --no-cache-dir "hatchling>=1.25" \
 && python -m pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /wheels .

FROM python:${PYTHON_VERSION}-slim-bookworm
# Debian's security updates are wanted, so the packages are not pinned to a version.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN python -m pip install --no-cache-dir --only-binary=:all: \
      "$(echo /wheels/governance_audit-*.whl)[model]" \
 && rm -rf /wheels \
 && useradd --create-home --uid 10001 --shell /usr/sbin/nologin governance
ENV PYTHONDONTWRITEBYTECODE=1 \
    XDG_CACHE_HOME=/tmp/.cache \
    MPLCONFIGDIR=/tmp/.matplotlib
USER 10001
WORKDIR /work
ENTRYPOINT ["governance"]
CMD ["--help"]
