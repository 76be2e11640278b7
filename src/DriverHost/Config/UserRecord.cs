using System.Text;

namespace OpenList.DriverHost.Config;

/// <summary>One entry of <c>users</c>.</summary>
public sealed record UserRecord
{
    public const string ReadPermission = "read";
    public const string WritePermission = "write";

    /// <summary>Compared ordinally (case-sensitive); never contains <c>:</c>.</summary>
    public string Username { get; init; } = "";

    /// <summary><c>pbkdf2-sha256$…</c> from <c>driverhost hash-password</c>. Secret: never logged or shown.</summary>
    public string PasswordHash { get; init; } = "";

    /// <summary><c>read</c> and/or <c>write</c>; defaults to <c>["read"]</c>.</summary>
    public ValueList<string> Permissions { get; init; } = [ReadPermission];

    /// <summary>The user's root inside the mount table: absolute, normalised, no <c>..</c>.</summary>
    public string BasePath { get; init; } = "/";

    /// <summary>True when the user may PUT, MKCOL, MOVE, COPY, DELETE and PROPPATCH.</summary>
    public bool CanWrite => Permissions.Contains(WritePermission);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Username = {Username}, PasswordHash = ***, Permissions = {Permissions}, BasePath = {BasePath}");
        return true;
    }
}
