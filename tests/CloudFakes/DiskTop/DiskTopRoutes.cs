using System.Globalization;
using Microsoft.Extensions.Primitives;
using OpenList.DriverHost.CloudFakes.Shared;

namespace OpenList.DriverHost.CloudFakes.DiskTop;

/// <summary>Maps every Disk.Top route (OAuth, /v1 API, upload service, signed links, admin) onto the fake's app.</summary>
internal static class DiskTopRoutes
{
    public static void Map(IEndpointRouteBuilder routes, DiskTopFake fake)
    {
        DiskTopOAuthEndpoints.Map(routes, fake);
        DiskTopUserEndpoints.Map(routes, fake);
        DiskTopFileEndpoints.Map(routes, fake);
        DiskTopManageEndpoint.Map(routes, fake);
        DiskTopDownloadEndpoints.Map(routes, fake);
        DiskTopUploadEndpoints.Map(routes, fake);
        DiskTopAdminEndpoints.Map(routes, fake);
    }

    /// <summary>
    /// An authenticated <c>/v1</c> route: Bearer token (401 when missing, unknown, expired or revoked), the form body
    /// for POST (form-urlencoded or multipart, as the curl examples send; JSON is 400), then the handler; its result
    /// becomes <c>{errno:0, errmsg:"ok", data}</c> and a <see cref="DiskTopException"/> the error envelope.
    /// The operation name (faults, request log) is <paramref name="pattern"/>.
    /// </summary>
    public static void MapApi(IEndpointRouteBuilder routes, DiskTopFake fake, string method, string pattern, Func<DiskTopCall, Task<object>> handler)
    {
        async Task Handle(HttpContext context)
        {
            try
            {
                var grant = Authenticate(fake, context.Request);
                var form = HttpMethods.IsPost(method) ? await ReadFormAsync(context.Request) : FormCollection.Empty;
                var data = await handler(new DiskTopCall(context, fake, grant, form));
                await DiskTopJson.WriteOkAsync(context, fake, data);
            }
            catch (DiskTopException error)
            {
                await DiskTopJson.WriteErrorAsync(context, fake, error.Status, error.Message, error.Details);
            }
        }

        routes.MapMethods(pattern, [method], Handle).WithMetadata(Operation(fake, pattern));
    }

    /// <param name="realStatus">True for signed links and the upload service, whose errors keep their HTTP status even with <see cref="DiskTopFake.ErrorsAsHttp200"/>.</param>
    public static FakeOperation Operation(DiskTopFake fake, string name, bool realStatus = false) => new(DiskTopFake.Provider, name, new DiskTopApiErrorWriter(fake, realStatus));

    public static FakeOperation OAuthOperation(string name) => new(DiskTopFake.Provider, name, DiskTopOAuthErrorWriter.Instance);

    /// <summary>
    /// A POST body as form fields. No body at all is an empty form; anything but form-urlencoded or multipart is 400.
    /// </summary>
    public static async Task<IFormCollection> ReadFormAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            try
            {
                return await request.ReadFormAsync(request.HttpContext.RequestAborted);
            }
            catch (InvalidDataException)
            {
                throw DiskTopErrors.BadRequest("malformed form body");
            }
        }

        if (request.ContentLength is null or 0 && string.IsNullOrEmpty(request.ContentType))
        {
            return FormCollection.Empty;
        }

        throw DiskTopErrors.BadRequest("the body must be application/x-www-form-urlencoded (or multipart/form-data)");
    }

    private static DiskTopAccessGrant Authenticate(DiskTopFake fake, HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header[Scheme.Length..].Trim() is not { Length: > 0 } token)
        {
            throw DiskTopErrors.InvalidToken("missing Authorization: Bearer header");
        }

        lock (fake.Gate)
        {
            if (!fake.AccessTokens.TryGetValue(token, out var grant) || grant.Revoked)
            {
                throw DiskTopErrors.InvalidToken("access token is not valid");
            }

            if (fake.Time.GetUtcNow() >= grant.ExpiresAt)
            {
                throw DiskTopErrors.InvalidToken("access token expired");
            }

            return grant;
        }
    }
}

/// <summary>An authenticated API call: who calls with which scopes, its query and form.</summary>
internal sealed class DiskTopCall(HttpContext http, DiskTopFake fake, DiskTopAccessGrant grant, IFormCollection form)
{
    public HttpContext Http { get; } = http;

    public DiskTopFake Fake { get; } = fake;

    public DiskTopAccessGrant Grant { get; } = grant;

    public DiskTopAccount Account => Grant.Account;

    public IFormCollection Form { get; } = form;

    public IQueryCollection Query => Http.Request.Query;

    public DateTimeOffset Now => Fake.Time.GetUtcNow();

    public CancellationToken Aborted => Http.RequestAborted;

    /// <summary>Sees the whole disk (files.read_all or files.write_all).</summary>
    public bool FullDisk => Grant.Has(DiskTopScopes.ReadAll) || Grant.Has(DiskTopScopes.WriteAll);

    public void RequireScope(string scope)
    {
        if (!Grant.Has(scope))
        {
            throw DiskTopErrors.Forbidden($"insufficient_scope: this API needs the {scope} scope");
        }
    }

    /// <summary>
    /// Where relative paths start: the disk root with files.read_all / files.write_all, else the app's sandbox
    /// ("/" = /我的应用数据/&lt;AppName&gt;). 403 without any files scope. Call under the lock.
    /// </summary>
    public DiskTopNode PathRoot()
    {
        if (FullDisk)
        {
            return Account.Root;
        }

        RequireScope(DiskTopScopes.AppData);
        return Fake.Sandbox(Account, Grant.ClientId);
    }

    /// <summary>Readable: inside the sandbox with files.app_data, anywhere with read_all / write_all. Call under the lock.</summary>
    public bool CanRead(DiskTopNode node) =>
        FullDisk || (Grant.Has(DiskTopScopes.AppData) && node.IsUnder(Fake.Sandbox(Account, Grant.ClientId)));

    /// <summary>Writable: inside the sandbox with files.app_data, anywhere with files.write_all. Call under the lock.</summary>
    public bool CanWrite(DiskTopNode node) =>
        Grant.Has(DiskTopScopes.WriteAll) || (Grant.Has(DiskTopScopes.AppData) && node.IsUnder(Fake.Sandbox(Account, Grant.ClientId)));

    public void RequireWrite(DiskTopNode node)
    {
        if (!CanWrite(node))
        {
            throw DiskTopErrors.Forbidden($"insufficient_scope: '{node.Path}' is outside what this app may write (files.write_all needed)");
        }
    }

    /// <summary>A readable file by id (404 unknown — folder ids are a separate namespace — 403 outside the app's reach). Call under the lock.</summary>
    public DiskTopNode File(long id)
    {
        var node = Account.Files.GetValueOrDefault(id) ?? throw DiskTopErrors.NotFound($"file {id} not found");
        return CanRead(node) ? node : throw DiskTopErrors.Forbidden($"file {id} is outside the app's sandbox");
    }

    /// <summary>The folder at a relative path (<paramref name="field"/> names the parameter in errors). Call under the lock.</summary>
    public DiskTopNode FolderAt(string? path, string field)
    {
        var root = PathRoot();
        var node = DiskTopAccount.Resolve(root, DiskTopPaths.Split(path, field))
            ?? throw DiskTopErrors.NotFound($"{field} '{path}' not found");
        return node.IsFolder ? node : throw DiskTopErrors.BadRequest($"{field} '{path}' is not a folder");
    }

    public string? Field(string name) => Form[name].ToString() is { Length: > 0 } value ? value : null;

    public string RequiredField(string name) => Field(name) ?? throw DiskTopErrors.BadRequest($"{name} is required");

    /// <summary>An integer query parameter: absent or empty → <paramref name="fallback"/>, otherwise it must parse.</summary>
    public long QueryInt(string name, long fallback) =>
        Query[name].ToString() switch
        {
            "" => fallback,
            var text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) => value,
            _ => throw DiskTopErrors.BadRequest($"{name} must be an integer"),
        };

    /// <summary>The values of <c>name[]</c> form keys as ids (only the documented bracket form counts).</summary>
    public List<long> IdArray(string name)
    {
        StringValues values = Form[name + "[]"];
        var ids = new List<long>();
        foreach (var value in values)
        {
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw DiskTopErrors.BadRequest($"{name}[] values must be integers, got '{value}'");
            }

            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }
}

/// <summary>Relative API paths and names.</summary>
internal static class DiskTopPaths
{
    /// <summary>
    /// "/" (or empty) → []; "/a/b", "a/b" and "/a/b/" → ["a", "b"]. Empty inner segments ("a//b"), "." and ".." are 400.
    /// </summary>
    public static string[] Split(string? path, string field)
    {
        if (string.IsNullOrEmpty(path) || path == "/")
        {
            return [];
        }

        var trimmed = path.Trim('/');
        var segments = trimmed.Split('/');
        if (segments.Any(s => s.Length == 0 || s is "." or ".."))
        {
            throw DiskTopErrors.BadRequest($"{field} '{path}' is not a valid path");
        }

        return segments;
    }

    /// <summary>"/" + segments: the normalised form the list echoes back.</summary>
    public static string Normalize(string? path, string field) => "/" + string.Join('/', Split(path, field));

    public static void CheckName(string name, string field)
    {
        if (name.Length == 0 || name.Length > 255 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw DiskTopErrors.BadRequest($"{field} '{name}' is not a valid name");
        }
    }
}
