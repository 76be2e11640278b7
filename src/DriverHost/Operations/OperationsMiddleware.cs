using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenList.DriverHost.Auth;
using OpenList.DriverHost.Mounts;

namespace OpenList.DriverHost.Operations;

/// <summary>
/// <c>GET /healthz</c>: always answered, without authentication (it sits before Basic auth): 200 with the process
/// status and each mount's path, driver and ok/error (the error is the message clients see as a 503; it holds no
/// secrets). A failed mount does not fail the check: the process serves the other mounts.
/// <c>GET /metrics</c>: Prometheus text. It sits after Basic auth, so it needs the same credentials as WebDAV when
/// users are configured (any user) and none when the host runs without users (loopback only).
/// </summary>
public static class OperationsEndpoints
{
    public const string HealthPath = "/healthz";
    public const string MetricsPath = "/metrics";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Answers <c>/healthz</c> before authentication.</summary>
    public static Func<HttpContext, Func<Task>, Task> Health(MountTableHolder table) => async (context, next) =>
    {
        if (!context.Request.Path.Equals(HealthPath, StringComparison.Ordinal) || !IsRead(context.Request.Method))
        {
            await next().ConfigureAwait(false);
            return;
        }

        var mounts = table.Current.Mounts.Select(m => new Dictionary<string, string?>
        {
            ["mount_path"] = m.MountPath,
            ["driver"] = m.Record.Driver,
            ["status"] = m.Error is null ? "ok" : "error",
            ["error"] = m.Error,
        }).ToArray();
        var body = new Dictionary<string, object>
        {
            ["status"] = "ok",
            ["mounts_failed"] = mounts.Count(m => m["status"] == "error"),
            ["mounts"] = mounts,
        };
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted).ConfigureAwait(false);
        }
    };

    /// <summary>Answers <c>/metrics</c> after authentication.</summary>
    public static Func<HttpContext, Func<Task>, Task> Metrics(MetricsExporter exporter) => async (context, next) =>
    {
        if (!context.Request.Path.Equals(MetricsPath, StringComparison.Ordinal) || !IsRead(context.Request.Method) || context.GetUser() is null)
        {
            await next().ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = MetricsExporter.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(exporter.Render(), context.RequestAborted).ConfigureAwait(false);
        }
    };

    private static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
}
