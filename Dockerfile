# syntax=docker/dockerfile:1
#
# polar-mcp container image: a static binary on distroless, running as non-root.
#
#   docker build -t polar-mcp \
#     --build-arg VERSION="$(git describe --tags --always)" \
#     --build-arg COMMIT="$(git rev-parse HEAD)" \
#     --build-arg DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)" .
#   docker run -i --rm -e POLAR_MCP_ROLE=agent polar-mcp stdio --demo
#
# cmd/polar-mcp/docker_test.go runs this file's `go build` line as written and
# checks the binary it makes is static and serves MCP; keep the two in step.

ARG GO_VERSION=1.26.8

# Build on the builder's own platform and cross-compile: no emulation needed.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
# go.mod replaces santhosh-tekuri/jsonschema and google/jsonschema-go with patched copies (their
# READMEs say why): `go mod download` reads the copies' go.mod files.
COPY internal/third_party/jsonschema/go.mod internal/third_party/jsonschema/
COPY internal/third_party/jsonschema-go/go.mod internal/third_party/jsonschema-go/
RUN go mod download
COPY . .
ARG TARGETOS=linux
ARG TARGETARCH=amd64
ARG VERSION=dev
ARG COMMIT=unknown
ARG DATE=unknown
# The connection store's SQLite driver is pure Go (modernc.org/sqlite): CGO stays off.
RUN CGO_ENABLED=0 GOOS="$TARGETOS" GOARCH="$TARGETARCH" go build -trimpath -buildvcs=false -ldflags "-s -w -X github.com/polar-mcp/polar-mcp/internal/buildinfo.version=$VERSION -X github.com/polar-mcp/polar-mcp/internal/buildinfo.commit=$COMMIT -X github.com/polar-mcp/polar-mcp/internal/buildinfo.date=$DATE" -o /out/polar-mcp ./cmd/polar-mcp

# distroless/static: CA certificates, tzdata and a nonroot user (65532), no shell.
FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=dev
ARG COMMIT=unknown
ARG DATE=unknown
LABEL org.opencontainers.image.title="polar-mcp" \
      org.opencontainers.image.description="MCP server answering billing questions from a Polar.sh organization" \
      org.opencontainers.image.source="https://github.com/polar-mcp/polar-mcp" \
      org.opencontainers.image.url="https://github.com/polar-mcp/polar-mcp" \
      org.opencontainers.image.documentation="https://github.com/polar-mcp/polar-mcp#install" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="$VERSION" \
      org.opencontainers.image.revision="$COMMIT" \
      org.opencontainers.image.created="$DATE" \
      io.modelcontextprotocol.server.name="io.github.polar-mcp/polar-mcp"
COPY --from=build /out/polar-mcp /usr/local/bin/polar-mcp
USER nonroot:nonroot
# The working directory is writable by nonroot: the default SQLite connection
# store (polar-mcp.db) lands here unless POLAR_MCP_DATABASE_URL says otherwise.
WORKDIR /home/nonroot
# `polar-mcp http` in a container needs POLAR_MCP_LISTEN=0.0.0.0:8080 (its default is loopback).
EXPOSE 8080
ENTRYPOINT ["polar-mcp"]
CMD ["stdio"]
