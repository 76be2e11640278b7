using System.Text.Json;
using OpenList.DriverHost.Config;
using OpenList.DriverHost.Drivers.Relay;

namespace OpenList.DriverHost.Relay;

/// <summary>
/// Reads the <c>relay</c> section (README "Run your own relay"). Every problem is reported with its JSON path and a
/// fix. Client secrets come only from <c>client_secret_env</c> (an environment variable) or <c>client_secret_file</c>;
/// a literal <c>client_secret</c> is an error. Secrets are resolved only when the relay is enabled, and no message
/// ever holds a secret's value (variable names and file paths only).
/// </summary>
internal static class RelaySettingsReader
{
    private const string Section = "relay";

    public static RelaySettings Read(JsonElement? section, string configDirectory, IssueCollector issues)
    {
        if (section is not { } element)
        {
            return new RelaySettings();
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            issues.Error(Section, $"expected an object, got {JsonPath.Describe(element.ValueKind)}", "write relay as { \"enabled\": true, \"public_url\": \"https://relay.example.com\", \"providers\": { … } }");
            return new RelaySettings();
        }

        var reader = new JsonObjectReader(element, Section, issues);
        var enabled = reader.Bool("enabled", false);
        var publicUrl = Url(reader, "public_url", issues) ?? "";
        var origins = Origins(reader, issues);
        var limits = Limits(reader.Raw("rate_limits"), reader.PathOf("rate_limits"), new RelayRateLimits(), issues);
        var providers = Providers(reader, enabled, limits, configDirectory, issues);
        reader.WarnAboutUnknownKeys();

        if (enabled && providers.Count == 0)
        {
            issues.Warning(reader.PathOf("providers"), "the relay is enabled but serves no provider, so /relay stays off", $"add a provider under relay.providers ({Known()})");
        }

        return new RelaySettings { Enabled = enabled, PublicUrl = publicUrl, AllowedOrigins = origins, RateLimits = limits, Providers = providers };
    }

    private static ValueList<RelayProviderSettings> Providers(JsonObjectReader reader, bool enabled, RelayRateLimits defaults, string configDirectory, IssueCollector issues)
    {
        var path = reader.PathOf("providers");
        if (reader.Raw("providers") is not { } providers)
        {
            return ValueList.Empty<RelayProviderSettings>();
        }

        if (providers.ValueKind != JsonValueKind.Object)
        {
            issues.Error(path, $"expected an object keyed by provider, got {JsonPath.Describe(providers.ValueKind)}", $"write providers as {{ \"alicloud\": {{ \"client_id\": \"…\", \"client_secret_env\": \"RELAY_ALICLOUD_SECRET\" }} }}; known providers: {Known()}");
            return ValueList.Empty<RelayProviderSettings>();
        }

        var list = new List<RelayProviderSettings>();
        foreach (var property in providers.EnumerateObject())
        {
            var itemPath = JsonPath.Property(path, property.Name);
            if (!RelayUpstreamCatalog.All.TryGetValue(property.Name, out var kind))
            {
                issues.Error(itemPath, $"unknown relay provider \"{property.Name}\"", $"use one of {Known()} (prefixes are lower-case, as in the URL /relay/<prefix>/renewapi)");
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                issues.Error(itemPath, $"expected an object, got {JsonPath.Describe(property.Value.ValueKind)}", "write { \"client_id\": \"…\", \"client_secret_env\": \"…\" }");
                continue;
            }

            if (Provider(property.Value, itemPath, kind, enabled, defaults, configDirectory, issues) is { } provider)
            {
                list.Add(provider);
            }
        }

        return list.ToValueList();
    }

    private static RelayProviderSettings? Provider(JsonElement element, string path, RelayUpstreamKind kind, bool enabled, RelayRateLimits defaults, string configDirectory, IssueCollector issues)
    {
        var reader = new JsonObjectReader(element, path, issues);
        var clientId = reader.String("client_id", "").Trim();
        var secretEnv = reader.String("client_secret_env", "").Trim();
        var secretFile = reader.String("client_secret_file", "").Trim();
        if (reader.Raw("client_secret") is not null)
        {
            // The value is never echoed: it is exactly what must not be in this file.
            issues.Error(
                reader.PathOf("client_secret"),
                "a client secret written into drivers.json is not accepted (the file is edited, copied and shared by hand)",
                "remove it, put the secret in an environment variable named by client_secret_env or in a file named by client_secret_file, and rotate the secret if this file was shared");
        }

        var apiBase = Url(reader, "api_base_url", issues);
        var authorize = Url(reader, "authorize_url", issues);
        var redirect = Url(reader, "redirect_uri", issues);
        var limits = Limits(reader.Raw("rate_limits"), reader.PathOf("rate_limits"), defaults, issues);
        reader.WarnAboutUnknownKeys();

        if (clientId.Length == 0)
        {
            issues.Report(!enabled, reader.PathOf("client_id"), "client_id is required", $"the app id of your own {kind.Prefix} app (register <public_url>/relay/{kind.Prefix}/callback with the provider)");
        }

        if (secretEnv.Length > 0 && secretFile.Length > 0)
        {
            issues.Error(path, "both client_secret_env and client_secret_file are set", "keep one of them");
        }

        var secret = enabled ? Secret(reader, kind, secretEnv, secretFile, configDirectory, issues) : null;
        var keys = new RelayClientKeys(
            clientId,
            secret,
            apiBase is null ? kind.DefaultApiBaseUrl : new Uri(apiBase),
            authorize is null ? null : new Uri(authorize),
            redirect is null ? null : new Uri(redirect));
        return new RelayProviderSettings(kind.Prefix, keys, limits);
    }

    private static string? Secret(JsonObjectReader reader, RelayUpstreamKind kind, string secretEnv, string secretFile, string configDirectory, IssueCollector issues)
    {
        if (secretEnv.Length > 0)
        {
            var value = Environment.GetEnvironmentVariable(secretEnv)?.Trim();
            if (string.IsNullOrEmpty(value))
            {
                issues.Error(reader.PathOf("client_secret_env"), $"the environment variable {secretEnv} is not set or empty", $"export {secretEnv}=<your {kind.Prefix} app secret> before starting the host, or use client_secret_file");
                return null;
            }

            return value;
        }

        if (secretFile.Length > 0)
        {
            var full = Path.GetFullPath(secretFile, configDirectory);
            try
            {
                var value = File.ReadAllText(full).Trim();
                if (value.Length == 0)
                {
                    issues.Error(reader.PathOf("client_secret_file"), $"the secret file {full} is empty", "write the app secret into it (one line)");
                    return null;
                }

                return value;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                issues.Error(reader.PathOf("client_secret_file"), $"cannot read the secret file {full} ({Describe(e)})", "give a readable file holding the app secret, such as a Docker or systemd secret under /run/secrets");
                return null;
            }
        }

        if (kind.SecretRequired)
        {
            issues.Error(reader.PathOf("client_secret_env"), $"{kind.Prefix} needs the app secret", "set client_secret_env to the name of an environment variable holding it, or client_secret_file to a file holding it");
        }

        return null;
    }

    private static RelayRateLimits Limits(JsonElement? section, string path, RelayRateLimits defaults, IssueCollector issues)
    {
        if (section is not { } element)
        {
            return defaults;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            issues.Error(path, $"expected an object, got {JsonPath.Describe(element.ValueKind)}", "write rate_limits as { \"per_ip_per_minute\": 60, \"per_token_per_minute\": 6 }");
            return defaults;
        }

        var reader = new JsonObjectReader(element, path, issues);
        var perIp = NonNegative(reader, "per_ip_per_minute", defaults.PerIpPerMinute, issues);
        var perToken = NonNegative(reader, "per_token_per_minute", defaults.PerTokenPerMinute, issues);
        reader.WarnAboutUnknownKeys();
        return new RelayRateLimits(perIp, perToken);
    }

    private static int NonNegative(JsonObjectReader reader, string key, int defaultValue, IssueCollector issues)
    {
        var value = reader.Int(key, defaultValue);
        if (value >= 0)
        {
            return value;
        }

        issues.Error(reader.PathOf(key), "must not be negative", "give requests per minute, or 0 for no limit");
        return defaultValue;
    }

    private static ValueList<string> Origins(JsonObjectReader reader, IssueCollector issues)
    {
        var items = reader.Array("allowed_origins");
        if (items is null)
        {
            return ValueList.Empty<string>();
        }

        var origins = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = JsonPath.Index(reader.PathOf("allowed_origins"), i);
            if (items[i].ValueKind == JsonValueKind.String && RelayOrigins.TryNormalize(items[i].GetString(), out var origin))
            {
                origins.Add(origin);
                continue;
            }

            issues.Error(itemPath, "not an origin", "write scheme://host[:port] with no path, such as https://openlist.example.com");
        }

        return origins.ToValueList();
    }

    /// <summary>An absolute http(s) URL without query or fragment, trailing slash removed; null when empty or bad (with an error).</summary>
    private static string? Url(JsonObjectReader reader, string key, IssueCollector issues)
    {
        var text = reader.String(key, "").Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0)
        {
            return uri.AbsoluteUri.TrimEnd('/');
        }

        issues.Error(reader.PathOf(key), $"\"{text}\" is not an absolute http(s) URL without query or credentials", "write it like https://relay.example.com, or leave it empty for the default");
        return null;
    }

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "not found",
        UnauthorizedAccessException => "permission denied",
        _ => "not readable",
    };

    private static string Known() => string.Join(", ", RelayUpstreamCatalog.All.Keys);
}
