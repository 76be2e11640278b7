# OpenList.DriverHost container image (README "Deploy").
#
#   docker build -t driverhost .
#   docker run -d --name driverhost -p 5244:5244 -v driverhost-data:/data driverhost
#
# /data holds drivers.json, state.db (tokens, locks, sign key) and the default Local folder; it is the only
# state. Nothing secret is baked into the image: tokens live in /data/drivers.json and the state store.
# tests/docker/dockerfile-check.sh lints this file and runs the same publish command outside Docker.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# global.json is left out on purpose: it pins the SDK band used on development machines, while the image
# brings whichever .NET 10 SDK it has. The csproj files are copied first so the restore layer is cached.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/WebDav/WebDav.csproj src/WebDav/
COPY src/Drivers/Drivers.csproj src/Drivers/
COPY src/DriverHost/DriverHost.csproj src/DriverHost/
RUN dotnet restore src/DriverHost/DriverHost.csproj
COPY src/ src/
RUN dotnet publish src/DriverHost -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl only serves the HEALTHCHECK below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data \
    && chown app:app /data
WORKDIR /app
COPY --from=build /app ./
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    DOTNET_NOLOGO=1
# The non-root user the .NET images ship (uid 1654).
USER app
VOLUME /data
EXPOSE 5244
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:5244/healthz || exit 1
ENTRYPOINT ["dotnet", "/app/driverhost.dll"]
CMD ["serve", "--config", "/data/drivers.json", "--listen", "http://0.0.0.0:5244"]
