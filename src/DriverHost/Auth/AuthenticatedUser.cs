using Microsoft.AspNetCore.Http;

namespace OpenList.DriverHost.Auth;

/// <summary>
/// Who a request runs as, set by <see cref="BasicAuthenticationMiddleware"/> in
/// <c>HttpContext.Features</c>. <see cref="BasePath"/> is the user's root in the mount table (<c>/</c> or
/// <c>/a/b</c>); every DAV path is joined to it.
/// </summary>
public sealed record AuthenticatedUser(string Username, bool CanWrite, string BasePath)
{
    /// <summary>True when no credentials were checked (no users configured, or an OPTIONS request).</summary>
    public bool IsAnonymous { get; init; }

    /// <summary>Everyone when no users are configured (loopback only): read and write, base path <c>/</c>.</summary>
    public static AuthenticatedUser AnonymousOwner { get; } = new("anonymous", CanWrite: true, "/") { IsAnonymous = true };

    /// <summary>An unauthenticated OPTIONS request while users are configured: read-only, base path <c>/</c>.</summary>
    public static AuthenticatedUser AnonymousReader { get; } = new("anonymous", CanWrite: false, "/") { IsAnonymous = true };
}

/// <summary>Access to the <see cref="AuthenticatedUser"/> of a request.</summary>
public static class HttpContextUserExtensions
{
    /// <summary>The user set by <see cref="BasicAuthenticationMiddleware"/>; null on exempt paths or before it ran.</summary>
    public static AuthenticatedUser? GetUser(this HttpContext context) => context.Features.Get<AuthenticatedUser>();

    public static void SetUser(this HttpContext context, AuthenticatedUser user) => context.Features.Set(user);
}
