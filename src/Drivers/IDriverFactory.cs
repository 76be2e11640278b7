using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenList.DriverHost.Drivers.Resilience;
using OpenList.DriverHost.Drivers.Tokens;

namespace OpenList.DriverHost.Drivers;

/// <summary>Creates driver instances for one <c>driver</c> name and validates their <c>addition</c> settings.</summary>
public interface IDriverFactory
{
    /// <summary>The <c>driver</c> value in a storage record, spelled exactly as OpenList spells it.</summary>
    string Name { get; }

    /// <summary>The settings this driver reads from <c>addition</c>.</summary>
    IReadOnlyList<DriverSetting> Settings { get; }

    /// <summary>Every problem with <paramref name="addition"/>, as (key, message) pairs; empty when it is usable.</summary>
    IReadOnlyList<DriverSettingError> Validate(JsonElement addition, DriverContext context);

    /// <summary>Builds an instance. <paramref name="addition"/> has passed <see cref="Validate"/>.</summary>
    IStorageDriver Create(JsonElement addition, DriverContext context);

    /// <summary>
    /// The <c>webdav_policy</c> a storage of this driver gets when its record has none, in OpenList's spelling
    /// (<c>302_redirect</c>, <c>native_proxy</c>, <c>use_proxy_url</c>). OpenList defaults to <c>302_redirect</c>
    /// except for drivers it marks <c>PreferProxy</c>, whose storages default to <c>native_proxy</c>.
    /// </summary>
    string DefaultWebDavPolicy => "302_redirect";
}

/// <summary>One setting a driver reads, with the metadata that drives validation, docs and redaction.</summary>
/// <param name="Key">The JSON key in <c>addition</c>.</param>
/// <param name="Help">One line for users.</param>
/// <param name="Required">Whether it must be present and non-empty.</param>
/// <param name="Default">Default value as text, when any.</param>
/// <param name="Sensitive">Secrets: never logged, never shown.</param>
public sealed record DriverSetting(string Key, string Help, bool Required = false, string? Default = null, bool Sensitive = false);

/// <summary>A problem with one setting.</summary>
public sealed record DriverSettingError(string Key, string Message);

/// <summary>What a driver instance may use from its host.</summary>
/// <param name="MountPath">Where the storage is mounted, for messages.</param>
/// <param name="ConfigDirectory">The folder of drivers.json: relative paths in settings resolve against it.</param>
public sealed record DriverContext(string MountPath, string ConfigDirectory, ILoggerFactory LoggerFactory, TimeProvider TimeProvider)
{
    /// <summary>Where this mount's tokens are saved (the host's state store, keyed by mount path).</summary>
    public ITokenStore Tokens { get; init; } = new InMemoryTokenStore();

    /// <summary>The host's shared connection pool; null gives the driver a pool of its own.</summary>
    public HttpMessageHandler? HttpHandler { get; init; }

    /// <summary>Rate limiters shared by every mount of one account; a host passes one registry to all drivers.</summary>
    public SharedRateLimiters? RateLimiters { get; init; }

    /// <summary>Where uploads of unknown length are spooled (server.temp_dir).</summary>
    public string TempDirectory { get; init; } = Path.GetTempPath();

    /// <summary>An HttpClient for the driver's API and link calls; timeouts belong to the driver's resilience pipeline.</summary>
    public HttpClient CreateHttpClient() => HttpHandler is { } shared
        ? new HttpClient(shared, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan }
        : new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };
}
