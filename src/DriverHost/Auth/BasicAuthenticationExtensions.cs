using Microsoft.AspNetCore.Builder;

namespace OpenList.DriverHost.Auth;

/// <summary>Pipeline registration for <see cref="BasicAuthenticationMiddleware"/>.</summary>
public static class BasicAuthenticationExtensions
{
    /// <summary>
    /// Adds HTTP Basic authentication. <see cref="UserDirectory"/> and <see cref="LoginLockout"/> come from the
    /// service provider; <paramref name="exemptPaths"/> (such as <c>/healthz</c>) are served without it.
    /// </summary>
    public static IApplicationBuilder UseBasicAuthentication(this IApplicationBuilder app, params string[] exemptPaths) =>
        app.UseMiddleware<BasicAuthenticationMiddleware>((IEnumerable<string>)exemptPaths);
}
