namespace OpenList.DriverHost.CloudFakes;

/// <summary>A token pair as <c>/oauth/token</c> returns it (<paramref name="Scope"/> is space-separated).</summary>
public sealed record DiskTopTokens(string AccessToken, string RefreshToken, int ExpiresIn, string Scope);

/// <summary>The documented scopes (disktop-open-platform.md "Scopes").</summary>
public static class DiskTopScopes
{
    public const string UserRead = "user.read";
    public const string AppData = "files.app_data";
    public const string ReadAll = "files.read_all";
    public const string WriteAll = "files.write_all";
    public const string ShareRead = "share.read";
    public const string ShareCreate = "share.create";

    /// <summary>What a new app may ask for ("New apps default to sandbox-only").</summary>
    public static readonly IReadOnlyList<string> SandboxOnly = [UserRead, AppData];

    public static readonly IReadOnlyList<string> All = [UserRead, AppData, ReadAll, WriteAll, ShareRead, ShareCreate];

    /// <summary>What the fake grants when a request names no scope: "user.read files.app_data".</summary>
    public const string Default = UserRead + " " + AppData;
}

/// <summary>
/// What precreate / complete do when the target folder already holds the name. The docs are silent;
/// the default refuses (HTTP 409, errno 409) so a driver must delete or rename first.
/// </summary>
public enum DiskTopNameConflict
{
    /// <summary>409 at precreate (and again at complete if the name appeared meanwhile).</summary>
    Reject,

    /// <summary>An existing file of that name is replaced (new file id); a folder of that name is still 409.</summary>
    Overwrite,

    /// <summary>The new file gets "name(1).ext", "name(2).ext", …</summary>
    AutoRename,
}
