using System.Text.Json;

namespace OpenList.DriverHost.Config;

/// <summary>Reads the <c>storages</c> array: OpenList's flat keys, then the driver's own checks of <c>addition</c>.</summary>
internal sealed class StorageRecordReader
{
    private readonly AdditionValidator _additions;
    private readonly IssueCollector _issues;

    public StorageRecordReader(AdditionValidator additions, IssueCollector issues)
    {
        _additions = additions;
        _issues = issues;
    }

    public ValueList<StorageRecord> Read(JsonObjectReader root)
    {
        var items = root.Array("storages");
        if (items is null)
        {
            _issues.Warning("storages", "no storages configured; the WebDAV root will be empty", "add a storage, such as { \"mount_path\": \"/local\", \"driver\": \"Local\", \"addition\": { \"root_folder_path\": \"./data\" } }");
            return ValueList.Empty<StorageRecord>();
        }

        var storages = new List<StorageRecord>();
        var firstIndexByMount = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var path = JsonPath.Index("storages", i);
            if (items[i].ValueKind != JsonValueKind.Object)
            {
                _issues.Error(path, $"expected an object, got {JsonPath.Describe(items[i].ValueKind)}", "write each storage as { \"mount_path\": …, \"driver\": …, \"addition\": { … } }");
                continue;
            }

            var storage = ReadOne(items[i], path, out var mountPathValid);
            if (mountPathValid)
            {
                if (firstIndexByMount.TryGetValue(storage.MountPath, out var first))
                {
                    _issues.Error($"{path}.mount_path", $"duplicate mount path \"{storage.MountPath}\" (also storages[{first}])", "give each storage its own mount_path");
                }
                else
                {
                    firstIndexByMount[storage.MountPath] = i;
                }
            }

            storages.Add(storage);
        }

        return storages.ToValueList();
    }

    private StorageRecord ReadOne(JsonElement element, string path, out bool mountPathValid)
    {
        var reader = new JsonObjectReader(element, path, _issues);
        var id = reader.Long("id", 0);
        var rawMountPath = reader.StringOrNull("mount_path");
        var driver = reader.String("driver", "");
        var disabled = reader.Bool("disabled", false);
        var order = reader.Int("order", 0);
        var remark = reader.String("remark", "");
        var cacheExpiration = reader.Int("cache_expiration", 30);
        var customCachePolicies = reader.String("custom_cache_policies", "");
        var webdavPolicy = reader.StringOrNull("webdav_policy");
        var downProxyUrl = reader.String("down_proxy_url", "");
        var proxyUserAgents = reader.StringOrNull("proxy_user_agents");
        var ignoreSystemFiles = reader.Bool("ignore_system_files", false);
        var orderBy = reader.String("order_by", "");
        var orderDirection = reader.String("order_direction", "");
        var extractFolder = reader.String("extract_folder", "");
        var webProxy = reader.Bool("web_proxy", false);
        var proxyRange = reader.Bool("proxy_range", false);
        var enableSign = reader.Bool("enable_sign", false);
        var disableProxySign = reader.Bool("disable_proxy_sign", false);
        var disableIndex = reader.Bool("disable_index", false);
        var status = reader.String("status", "");
        var modified = reader.Time("modified");
        var addition = ReadAddition(reader);
        reader.WarnAboutUnknownKeys();

        if (id < 0)
        {
            _issues.Error(reader.PathOf("id"), "id is negative", "remove id or use a positive number");
        }

        mountPathValid = ConfigPaths.TryNormalizeMountPath(rawMountPath, out var mountPath, out var mountError);
        if (!mountPathValid)
        {
            _issues.Error(reader.PathOf("mount_path"), mountError!, "use an absolute path without .. such as /115");
        }

        if (cacheExpiration < 0)
        {
            _issues.Error(reader.PathOf("cache_expiration"), $"cache_expiration is negative ({cacheExpiration})", "use minutes >= 0 (0 disables the listing cache)");
        }

        var policy = ReadPolicy(webdavPolicy, driver, reader.PathOf("webdav_policy"));
        ValidateProxyUrl(policy, downProxyUrl, reader.PathOf("down_proxy_url"));
        CheckChoice(orderBy, reader.PathOf("order_by"), "", "name", "size", "modified");
        CheckChoice(orderDirection, reader.PathOf("order_direction"), "", "asc", "desc");
        CheckChoice(extractFolder, reader.PathOf("extract_folder"), "", "front", "back");
        WarnAboutCachePolicies(customCachePolicies, reader.PathOf("custom_cache_policies"));

        var validMountPath = mountPath ?? "/";
        if (driver.Length == 0)
        {
            _issues.Error(reader.PathOf("driver"), "driver is missing", $"add \"driver\": one of {_additions.KnownDriverList}");
        }
        else if (addition is { } additionElement)
        {
            _additions.Validate(driver, additionElement, validMountPath, disabled, reader.PathOf("driver"), reader.PathOf("addition"));
        }

        return new StorageRecord
        {
            Id = id,
            MountPath = validMountPath,
            Driver = driver,
            Disabled = disabled,
            Order = order,
            Remark = remark,
            CacheExpiration = cacheExpiration,
            CustomCachePolicies = customCachePolicies,
            WebDavPolicy = policy,
            DownProxyUrl = downProxyUrl,
            ProxyUserAgents = proxyUserAgents,
            IgnoreSystemFiles = ignoreSystemFiles,
            OrderBy = orderBy,
            OrderDirection = orderDirection,
            ExtractFolder = extractFolder,
            WebProxy = webProxy,
            ProxyRange = proxyRange,
            EnableSign = enableSign,
            DisableProxySign = disableProxySign,
            DisableIndex = disableIndex,
            Status = status,
            Modified = modified,
            Addition = addition ?? StorageRecord.EmptyObject,
        };
    }

    /// <summary><c>addition</c> as an object, or as a JSON-encoded object string (OpenList's export form).</summary>
    private JsonElement? ReadAddition(JsonObjectReader reader)
    {
        var path = reader.PathOf("addition");
        const string fix = "write addition as an object { … } or as a string holding a JSON object";
        if (reader.Raw("addition") is not { } value)
        {
            return StorageRecord.EmptyObject;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            return value.Clone();
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            _issues.Error(path, $"expected an object or a JSON string, got {JsonPath.Describe(value.ValueKind)}", fix);
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return StorageRecord.EmptyObject;
        }

        try
        {
            using var document = JsonDocument.Parse(text, ConfigLoader.DocumentOptions);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document.RootElement.Clone();
            }

            _issues.Error(path, $"the string holds {JsonPath.Describe(document.RootElement.ValueKind)}, not a JSON object", fix);
        }
        catch (JsonException ex)
        {
            // The position only: the text may hold tokens.
            _issues.Error(path, $"the string is not valid JSON (position {ex.BytePositionInLine + 1})", fix);
        }

        return null;
    }

    /// <summary>The record's <c>webdav_policy</c>; absent, the driver's default (OpenList's, per driver).</summary>
    private WebDavPolicy ReadPolicy(string? text, string driver, string path)
    {
        if (text is null)
        {
            return _additions.DefaultPolicyOf(driver) is { } name && WebDavPolicyNames.TryParse(name, out var preferred)
                ? preferred
                : WebDavPolicy.Redirect302;
        }

        if (text.Length == 0)
        {
            _issues.Warning(path, "empty webdav_policy behaves as native_proxy (as in OpenList)", "write \"native_proxy\" explicitly");
            return WebDavPolicy.NativeProxy;
        }

        if (WebDavPolicyNames.TryParse(text, out var policy))
        {
            return policy;
        }

        _issues.Error(path, $"unknown webdav_policy \"{text}\"", "use 302_redirect, use_proxy_url or native_proxy");
        return WebDavPolicy.Redirect302;
    }

    private void ValidateProxyUrl(WebDavPolicy policy, string downProxyUrl, string path)
    {
        var firstLine = downProxyUrl.Split('\n')[0].Trim();
        if (firstLine.Length == 0)
        {
            if (policy == WebDavPolicy.UseProxyUrl)
            {
                _issues.Error(path, "webdav_policy is use_proxy_url but down_proxy_url is empty", "set down_proxy_url to the proxy's base URL, or choose another webdav_policy");
            }

            return;
        }

        if (!Uri.TryCreate(firstLine, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            _issues.Error(path, "down_proxy_url is not an http(s) URL", "use the proxy's base URL, such as https://proxy.example.com");
        }
    }

    private void CheckChoice(string value, string path, params string[] allowed)
    {
        if (!allowed.Contains(value, StringComparer.Ordinal))
        {
            var key = path[(path.LastIndexOf('.') + 1)..];
            _issues.Error(path, $"unknown {key} \"{value}\"", $"use one of {string.Join(", ", allowed.Where(a => a.Length > 0))}, or \"\"");
        }
    }

    private void WarnAboutCachePolicies(string policies, string path)
    {
        var lines = policies.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in lines)
        {
            var colon = line.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(line.AsSpan(colon + 1), out var minutes) || minutes < 0)
            {
                _issues.Warning(path, $"rule \"{line}\" is not glob:minutes; it is ignored", "write one rule per line, such as /movies/**:120");
            }
        }
    }
}
